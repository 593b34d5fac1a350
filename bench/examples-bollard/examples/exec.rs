//! `docker exec -i [-t] CONTAINER CMD…` with bollard: stdin piped, output printed, the exit
//! code as this program's; a TTY in raw mode when stdin is a terminal.

use bollard::exec::{CreateExecOptions, StartExecResults};
use bollard::query_parameters::ResizeExecOptions;
use bollard::{Docker, container::LogOutput};
use futures_util::TryStreamExt;
use std::io::{IsTerminal, Write};
use std::os::fd::AsFd;
use tokio::io::AsyncWriteExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let container = args.next().ok_or("usage: exec CONTAINER [CMD…]")?;
    let cmd: Vec<String> = args.collect();
    let cmd = if cmd.is_empty() { vec!["sh".into()] } else { cmd };
    let tty = std::io::stdin().is_terminal();
    let docker = Docker::connect_with_defaults()?.negotiate_version().await?;
    let (yes, cmd) = (Some(true), Some(cmd));
    let options = CreateExecOptions {
        cmd,
        attach_stdin: yes,
        attach_stdout: yes,
        attach_stderr: yes,
        tty: Some(tty),
        ..Default::default()
    };
    let exec = docker.create_exec(&container, options).await?.id;
    let StartExecResults::Attached {
        mut output,
        mut input,
    } = docker.start_exec(&exec, None).await?
    else {
        return Err("the exec started detached".into());
    };
    let saved = if tty { stty(&["-g"])? } else { String::new() };
    if let Some((rows, cols)) = stty(&["size"]).unwrap_or_default().trim().split_once(' ') {
        docker
            .resize_exec(
                &exec,
                ResizeExecOptions {
                    h: rows.parse()?,
                    w: cols.parse()?,
                },
            )
            .await?;
        stty(&["raw", "-echo"])?;
    }
    let stdin = std::fs::File::from(std::io::stdin().as_fd().try_clone_to_owned()?);
    tokio::spawn(async move {
        tokio::io::copy(&mut tokio::fs::File::from_std(stdin), &mut input).await?;
        input.shutdown().await
    });
    while let Some(chunk) = output.try_next().await? {
        let (mut out, bytes): (Box<dyn Write>, _) = match chunk {
            LogOutput::StdErr { message } => (Box::new(std::io::stderr()), message),
            other => (Box::new(std::io::stdout()), other.into_bytes()),
        };
        out.write_all(&bytes)?;
        out.flush()?;
    }
    if tty {
        stty(&[saved.trim()])?;
    }
    // No wait for execs: inspect until it has stopped.
    loop {
        let inspect = docker.inspect_exec(&exec).await?;
        if let (Some(false), Some(code)) = (inspect.running, inspect.exit_code) {
            std::process::exit(code as i32);
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// Runs `stty` on this terminal and returns what it printed.
fn stty(args: &[&str]) -> std::io::Result<String> {
    let out = std::process::Command::new("stty")
        .args(args)
        .stdin(std::process::Stdio::inherit())
        .output()?;
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}
