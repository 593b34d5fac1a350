//! The main job: connect to the local daemon (`DOCKER_HOST` or /var/run/docker.sock), show the
//! negotiated version, list containers and images, then run a container to completion and print
//! its output. The image is built from scratch with the static busybox (`BUSYBOX`, default
//! /bin/busybox) if it is not there yet: no registry is needed.
//!
//! `cargo run --example run`

use docker_engine_api::{ByteStream, Docker, Error, with_api};

const IMAGE: &str = "dockerapi-example/busybox:latest";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let docker = Docker::connect().await?;
    let daemon = docker.daemon().expect("negotiated");
    println!(
        "daemon at {}: API v{} (min v{}), using module v{} on the wire as /v{}",
        docker.endpoint(),
        daemon.max,
        daemon.min.map(|m| m.to_string()).unwrap_or_default(),
        docker.api().version(),
        docker.api_version()
    );

    with_api!(docker.api(), c, api => {
        // A list is `Option<Vec<_>>` (the daemon may send `null`), or a newtype of one in the
        // versions whose spec names the array type: `iter().flatten()` reads both.
        let containers = docker.call(c.container_list().all(true).send()).await?;
        let containers: Vec<_> = containers.iter().flatten().collect();
        println!("{} containers", containers.len());
        for ct in containers {
            let id = ct.id.as_ref().map(|i| i.to_string()).unwrap_or_default();
            let names = ct.names.clone().unwrap_or_default();
            println!("  {} {names:?} {}", id.get(..12).unwrap_or(&id), ct.status.as_deref().unwrap_or(""));
        }
        let images = docker.call(c.image_list().send()).await?;
        let images: Vec<_> = images.iter().flatten().collect();
        println!("{} images", images.len());
        for im in images.iter() {
            println!("  {:?} {} bytes", im.repo_tags.clone().unwrap_or_default(), im.size.unwrap_or(0));
        }

        if !images.iter().any(|i| i.repo_tags.iter().flatten().any(|t| t == IMAGE)) {
            println!("building {IMAGE} from scratch");
            let progress = docker.call(c.image_build().t(IMAGE).body(build_context()?).send()).await?;
            let text = String::from_utf8_lossy(&read_all(progress).await?).to_string();
            if text.contains("errorDetail") {
                return Err(format!("build failed: {text}").into());
            }
        }

        let created = docker.call(c.container_create().body_map(|mut b| {
            b.image = Some(IMAGE.to_string());
            b.cmd = Some(vec!["sh".into(), "-c".into(), "echo hello from $(hostname); uname -a".into()]);
            b.host_config = Some(api::types::HostConfig { network_mode: Some("none".into()), ..Default::default() });
            b
        }).send()).await?;
        let id = created.id.ok_or("no container id")?;
        docker.call(c.container_start().id(id.clone()).send()).await?;
        let exit = docker.call(c.container_wait().id(id.clone()).send()).await?;
        let logs = docker.call(c.container_logs().id(id.clone()).stdout(true).stderr(true).send()).await?;
        // Multiplexed frames: 8-byte headers before each chunk (decoded properly by the stream API later).
        let logs = read_all(logs).await?;
        println!("container {} exited with {:?}; output:", &id[..12], exit.status_code);
        print!("{}", demux_lossy(&logs));
        docker.call(c.container_delete().id(id).send()).await?;
    });
    Ok(())
}

async fn read_all(stream: ByteStream) -> Result<Vec<u8>, Error> {
    use futures_util::TryStreamExt;
    let chunks: Vec<_> = stream.into_inner().try_collect().await.map_err(Error::Http)?;
    Ok(chunks.concat())
}

/// Strips the 8-byte multiplexing headers (stream, 0, 0, 0, big-endian length).
fn demux_lossy(mut bytes: &[u8]) -> String {
    let mut out = Vec::new();
    while bytes.len() >= 8 {
        let len = u32::from_be_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize;
        let end = (8 + len).min(bytes.len());
        out.extend_from_slice(&bytes[8..end]);
        bytes = &bytes[end..];
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn build_context() -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    let path = std::env::var("BUSYBOX").unwrap_or_else(|_| "/bin/busybox".into());
    let busybox =
        std::fs::read(&path).map_err(|e| format!("{path}: {e} (apt-get install busybox-static)"))?;
    let dockerfile = "FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\nCMD [\"sh\"]\n";
    let mut tar = tar::Builder::new(Vec::new());
    for (name, data, mode) in [
        ("Dockerfile", dockerfile.as_bytes(), 0o644),
        ("busybox", &busybox[..], 0o755),
    ] {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(mode);
        header.set_cksum();
        tar.append_data(&mut header, name, data)?;
    }
    Ok(tar.into_inner()?)
}
