//! `docker exec -i [-t] CONTAINER CMD…`: this program's stdin goes to the command, its output
//! comes back (stdout and stderr apart), and its exit code is this program's. With a terminal
//! on stdin the command gets a TTY the terminal's size and the terminal is in raw mode (through
//! `stty`) until it ends; otherwise stdin is just piped.
//!
//! `echo hello | cargo run --example exec -- CONTAINER tr a-z A-Z`

use docker_engine_api::streams::StdStream;
use docker_engine_api::{Docker, with_api};
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
    let docker = Docker::connect().await?;
    let exec = with_api!(docker.api(), async |client, _api| {
        let create = client.container_exec().id(&container).body_map(|mut b| {
            b.cmd = Some(cmd);
            (b.attach_stdin, b.attach_stdout, b.attach_stderr, b.tty) =
                (Some(true), Some(true), Some(true), Some(tty));
            b
        });
        Ok(docker.call(create.send()).await?.id)
    })?
    .ok_or("no exec id")?;
    let mut attached = docker.exec_attach(&exec).await?;
    let saved = if tty { stty(&["-g"])? } else { String::new() };
    if let Some((rows, cols)) = stty(&["size"]).unwrap_or_default().trim().split_once(' ') {
        attached.resize(rows.parse()?, cols.parse()?).await?;
        stty(&["raw", "-echo"])?;
    }
    let mut input = attached
        .stdin
        .take()
        .ok_or("the daemon did not upgrade the connection")?;
    let stdin = std::fs::File::from(std::io::stdin().as_fd().try_clone_to_owned()?);
    tokio::spawn(async move {
        tokio::io::copy(&mut tokio::fs::File::from_std(stdin), &mut input).await?;
        input.shutdown().await
    });
    while let Some(chunk) = attached.output.try_next().await? {
        let mut out: Box<dyn Write> = match chunk.stream {
            StdStream::Stderr => Box::new(std::io::stderr()),
            _ => Box::new(std::io::stdout()),
        };
        out.write_all(&chunk.bytes)?;
        out.flush()?;
    }
    if tty {
        stty(&[saved.trim()])?;
    }
    std::process::exit(attached.wait().await? as i32);
}

/// Runs `stty` on this terminal and returns what it printed.
fn stty(args: &[&str]) -> std::io::Result<String> {
    let out = std::process::Command::new("stty")
        .args(args)
        .stdin(std::process::Stdio::inherit())
        .output()?;
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}
