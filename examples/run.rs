//! The main job (`scripts/example.sh`), `docker run --rm IMAGE CMD…`: create a container
//! (network `none`), start it, print its output as it comes, wait for it, remove it, and exit
//! with its exit code.
//!
//! The image is `EXAMPLE_IMAGE`, by default `dockerapi-example/busybox:latest`, built here
//! `FROM scratch` with the static busybox (`BUSYBOX`, default /bin/busybox) when it is missing:
//! no registry is needed.
//!
//! `cargo run --example run -- sh -c 'echo hello from $(hostname)'`

use docker_engine_api::streams::{self, LogsOptions, StdStream};
use docker_engine_api::{Docker, Error, build_context, with_api};
use futures_util::TryStreamExt;
use std::io::Write;

type BoxError = Box<dyn std::error::Error>;

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let image = std::env::var("EXAMPLE_IMAGE").unwrap_or_else(|_| "dockerapi-example/busybox:latest".into());
    let mut cmd: Vec<String> = std::env::args().skip(1).collect();
    if cmd.is_empty() {
        cmd = vec![
            "sh".into(),
            "-c".into(),
            "echo hello from $(hostname); uname -s".into(),
        ];
    }
    let docker = Docker::connect().await?;
    let id = with_api!(docker.api(), async |client, api| -> Result<String, BoxError> {
        match docker.call(client.image_inspect().name(&image).send()).await {
            Err(Error::Daemon { status: 404, .. }) => build_busybox(&docker, &image).await?,
            other => drop(other?),
        }
        let create = client.container_create().body_map(|mut b| {
            b.image = Some(image.clone());
            b.cmd = Some(cmd);
            b.host_config = Some(api::types::HostConfig {
                network_mode: Some("none".into()),
                ..Default::default()
            });
            b
        });
        let id = docker.call(create.send()).await?.id.ok_or("no container id")?;
        docker.call(client.container_start().id(&id).send()).await?;
        Ok(id)
    })?;
    let mut output = streams::logs(&docker, &id, LogsOptions::new().follow(true)).await?;
    while let Some(chunk) = output.try_next().await? {
        match chunk.stream {
            StdStream::Stderr => std::io::stderr().write_all(&chunk.bytes)?,
            _ => std::io::stdout().write_all(&chunk.bytes)?,
        }
    }
    let code = with_api!(docker.api(), async |client, _api| {
        let exit = docker.call(client.container_wait().id(&id).send()).await?;
        docker.call(client.container_delete().id(&id).send()).await?;
        Ok(exit.status_code)
    })?
    .ok_or("no exit code")?;
    std::process::exit(code as i32);
}

/// `FROM scratch` with the static busybox and its applets: an image without any registry.
async fn build_busybox(docker: &Docker, tag: &str) -> Result<(), BoxError> {
    let dir = std::env::temp_dir().join(format!("busybox-context-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    std::fs::copy(
        std::env::var("BUSYBOX").unwrap_or("/bin/busybox".into()),
        dir.join("busybox"),
    )?;
    let dockerfile =
        "FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\n";
    std::fs::write(dir.join("Dockerfile"), dockerfile)?;
    let body = build_context::tar_body(&dir)?;
    let progress = with_api!(docker.api(), async |client, _api| {
        docker.call(client.image_build().t(tag).body(body).send()).await
    })?;
    let built = streams::build_progress::<serde_json::Value>(progress)
        .try_for_each(|_| async { Ok(()) })
        .await;
    std::fs::remove_dir_all(&dir)?;
    eprintln!("built {tag}");
    Ok(built?)
}
