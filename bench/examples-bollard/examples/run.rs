//! `docker run --rm IMAGE CMD…` with bollard: create (network `none`), start, print the output
//! as it comes, wait, remove, exit with the exit code; the busybox image is built `FROM
//! scratch` when missing.

use bollard::errors::Error;
use bollard::models::{ContainerCreateBody, HostConfig};
use bollard::query_parameters::{BuildImageOptionsBuilder, LogsOptionsBuilder};
use bollard::{Docker, body_full, container::LogOutput};
use futures_util::TryStreamExt;
use std::io::Write;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let image = std::env::var("EXAMPLE_IMAGE").unwrap_or_else(|_| "dockerapi-example/busybox:latest".into());
    let mut cmd: Vec<String> = std::env::args().skip(1).collect();
    if cmd.is_empty() {
        cmd = vec![
            "sh".into(),
            "-c".into(),
            "echo hello from $(hostname); uname -s".into(),
        ];
    }
    let docker = Docker::connect_with_defaults()?.negotiate_version().await?;
    match docker.inspect_image(&image).await {
        Err(Error::DockerResponseServerError { status_code: 404, .. }) => {
            build_busybox(&docker, &image).await?
        }
        other => drop(other?),
    }
    let host_config = HostConfig {
        network_mode: Some("none".into()),
        ..Default::default()
    };
    let body = ContainerCreateBody {
        image: Some(image),
        cmd: Some(cmd),
        host_config: Some(host_config),
        ..Default::default()
    };
    let id = docker.create_container(None, body).await?.id;
    docker.start_container(&id, None).await?;
    let options = LogsOptionsBuilder::default()
        .follow(true)
        .stdout(true)
        .stderr(true)
        .build();
    let mut output = docker.logs(&id, Some(options));
    while let Some(chunk) = output.try_next().await? {
        match chunk {
            LogOutput::StdErr { message } => std::io::stderr().write_all(&message)?,
            other => std::io::stdout().write_all(&other.into_bytes())?,
        }
    }
    // A non-zero exit code is an error of the wait stream.
    let code = match docker.wait_container(&id, None).try_next().await {
        Ok(exit) => exit.ok_or("no exit code")?.status_code,
        Err(Error::DockerContainerWaitError { code, .. }) => code,
        Err(e) => return Err(e.into()),
    };
    docker.remove_container(&id, None).await?;
    std::process::exit(code as i32);
}

/// `FROM scratch` with the static busybox and its applets: an image without any registry.
async fn build_busybox(docker: &Docker, tag: &str) -> Result<(), Box<dyn std::error::Error>> {
    let mut tar = tar::Builder::new(Vec::new());
    tar.append_path_with_name(
        std::env::var("BUSYBOX").unwrap_or("/bin/busybox".into()),
        "busybox",
    )?;
    let dockerfile =
        "FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\n";
    let mut header = tar::Header::new_gnu();
    header.set_size(dockerfile.len() as u64);
    header.set_mode(0o644);
    header.set_cksum();
    tar.append_data(&mut header, "Dockerfile", dockerfile.as_bytes())?;
    let options = BuildImageOptionsBuilder::default().t(tag).build();
    let progress = docker.build_image(options, None, Some(body_full(tar.into_inner()?.into())));
    progress.try_for_each(|_| async { Ok(()) }).await?;
    eprintln!("built {tag}");
    Ok(())
}
