//! Streaming throughput and memory: container logs (multiplexed, non-TTY) and image save,
//! read through this crate, through a raw hyper connection and through bollard, in one run;
//! and the offline demultiplexer on an in-memory buffer.
//!
//! `cargo run --release --manifest-path bench/Cargo.toml --bin streams -- [SOCKET] [MB]`
//!
//! Each measurement runs in a child process of this binary (`streams child MODE ...`) so its
//! peak RSS is its own; the parent prints a Markdown table with ratios to raw hyper.

use docker_engine_api::streams::{Framing, LogStream, log_stream};
use docker_engine_api::{Docker, with_api};
use futures_util::{StreamExt, TryStreamExt};
use std::time::Instant;

type BoxError = Box<dyn std::error::Error>;

const IMAGE_BASE: &str = "dockerapi-bench/busybox:latest";

fn main() -> Result<(), BoxError> {
    let args: Vec<String> = std::env::args().collect();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    if args.get(1).map(String::as_str) == Some("child") {
        return rt.block_on(child(&args[2..]));
    }
    let socket = args.get(1).cloned().unwrap_or_else(|| "/var/run/docker.sock".into());
    let mb: usize = args.get(2).map_or(Ok(100), |s| s.parse())?;
    rt.block_on(parent(&socket, mb))
}

async fn parent(socket: &str, mb: usize) -> Result<(), BoxError> {
    let docker = Docker::builder().host(&format!("unix://{socket}"))?.connect().await?;
    ensure_base_image(&docker).await?;
    println!("Docker at {socket}, API v{}\n", docker.api_version());

    println!("| stream | client | MB | MB/s | ratio to raw | peak RSS |\n| --- | --- | ---: | ---: | ---: | ---: |");
    for size in [mb / 4, mb] {
        let logs = logs_container(&docker, size).await?;
        let image = big_image(&docker, size).await?;
        for (what, target) in [("logs", &logs), ("save", &image)] {
            let mut raw = 0.0;
            for client in ["raw", "ours", "bollard"] {
                let (bytes, secs, rss_kb) = run_child(socket, &format!("{what}-{client}"), target)?;
                let rate = bytes as f64 / 1e6 / secs;
                if client == "raw" {
                    raw = rate;
                }
                println!(
                    "| {what} | {client} | {:.0} | {rate:.0} | {:.2}x | {:.1} MB |",
                    bytes as f64 / 1e6,
                    rate / raw,
                    rss_kb as f64 / 1024.0
                );
            }
        }
        remove(&docker, &logs, &image).await?;
    }

    // Offline: the demultiplexer alone on an in-memory buffer of 16 KiB frames.
    let payload = vec![b'x'; 16 * 1024];
    let mut buf = Vec::with_capacity(mb << 20);
    while buf.len() < mb << 20 {
        buf.extend_from_slice(&[1, 0, 0, 0]);
        buf.extend_from_slice(&(payload.len() as u32).to_be_bytes());
        buf.extend_from_slice(&payload);
    }
    let start = Instant::now();
    let mut stream = LogStream::from_reader(&buf[..], Framing::Multiplexed);
    let mut total = 0usize;
    while let Some(chunk) = stream.try_next().await? {
        total += chunk.bytes.len();
    }
    let secs = start.elapsed().as_secs_f64();
    // Reference: copying each payload once into a reused buffer.
    let start = Instant::now();
    let mut out = vec![0u8; 16 * 1024];
    let mut copied = 0;
    for frame in buf.chunks(8 + 16 * 1024) {
        out[..frame.len() - 8].copy_from_slice(&frame[8..]);
        copied += std::hint::black_box(&out).len();
    }
    let copy_secs = start.elapsed().as_secs_f64();
    println!(
        "\nOffline demux of {:.0} MB in 16 KiB frames: {:.0} MB/s ({total} payload bytes); one memcpy of each payload: {:.0} MB/s.",
        buf.len() as f64 / 1e6,
        total as f64 / 1e6 / secs,
        copied as f64 / 1e6 / copy_secs
    );
    Ok(())
}

/// Runs `MODE TARGET` in a child process under `/usr/bin/time`: (bytes, seconds, peak RSS KB).
fn run_child(socket: &str, mode: &str, target: &str) -> Result<(usize, f64, u64), BoxError> {
    let exe = std::env::current_exe()?;
    let out = std::process::Command::new("/usr/bin/time")
        .args(["-f", "rss=%M"])
        .arg(exe)
        .args(["child", mode, socket, target])
        .output()?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(format!("{mode}: {stderr}").into());
    }
    let mut it = stdout.split_whitespace();
    let bytes = it.next().ok_or("no byte count")?.parse()?;
    let secs = it.next().ok_or("no time")?.parse()?;
    let rss = stderr.lines().find_map(|l| l.strip_prefix("rss=")).ok_or("no rss")?.trim().parse()?;
    Ok((bytes, secs, rss))
}

/// The child: reads one stream to the end, counting bytes; prints "BYTES SECONDS".
async fn child(args: &[String]) -> Result<(), BoxError> {
    let (mode, socket, target) = (&args[0], &args[1], &args[2]);
    // Connecting (and our version negotiation) happens before the clock starts.
    let docker = match mode.ends_with("-ours") {
        true => Some(Docker::builder().host(&format!("unix://{socket}"))?.connect().await?),
        false => None,
    };
    let start = Instant::now();
    let bytes = match mode.as_str() {
        "logs-raw" => raw_get(socket, &format!("/containers/{target}/logs?stdout=1&stderr=1")).await?,
        "save-raw" => raw_get(socket, &format!("/images/{target}/get")).await?,
        "logs-ours" => {
            let docker = docker.expect("connected");
            let body = with_api!(docker.api(), async |c, _api| docker.call(c.container_logs().id(target).stdout(true).stderr(true).send()).await)?;
            let mut frames = log_stream(body, Framing::Multiplexed);
            let mut n = 0;
            while let Some(chunk) = frames.try_next().await? {
                n += chunk.bytes.len();
            }
            n
        }
        "save-ours" => {
            let docker = docker.expect("connected");
            let body = with_api!(docker.api(), async |c, _api| docker.call(c.image_get().name(target).send()).await)?;
            let mut body = body.into_inner();
            let mut n = 0;
            while let Some(chunk) = body.try_next().await? {
                n += chunk.len();
            }
            n
        }
        "logs-bollard" => {
            let docker = bollard::Docker::connect_with_socket(socket, 600, bollard::API_DEFAULT_VERSION)?;
            let options = bollard::query_parameters::LogsOptionsBuilder::default().stdout(true).stderr(true).build();
            let mut logs = docker.logs(target, Some(options));
            let mut n = 0;
            while let Some(item) = logs.next().await {
                n += item?.into_bytes().len();
            }
            n
        }
        "save-bollard" => {
            let docker = bollard::Docker::connect_with_socket(socket, 600, bollard::API_DEFAULT_VERSION)?;
            let mut body = docker.export_image(target);
            let mut n = 0;
            while let Some(chunk) = body.next().await {
                n += chunk?.len();
            }
            n
        }
        other => return Err(format!("unknown mode {other}").into()),
    };
    println!("{bytes} {}", start.elapsed().as_secs_f64());
    Ok(())
}

/// GET on a fresh hyper HTTP/1.1 connection, counting body bytes.
async fn raw_get(socket: &str, path: &str) -> Result<usize, BoxError> {
    use http_body_util::BodyExt;
    let stream = tokio::net::UnixStream::connect(socket).await?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await?;
    tokio::spawn(conn);
    let req = hyper::Request::get(format!("/v1.41{path}")).header("host", "docker").body(http_body_util::Empty::<hyper::body::Bytes>::new())?;
    let mut body = sender.send_request(req).await?.into_body();
    let mut n = 0;
    while let Some(frame) = body.frame().await {
        if let Ok(data) = frame?.into_data() {
            n += data.len();
        }
    }
    Ok(n)
}

async fn build(docker: &Docker, tag: &str, dockerfile: &str, with_busybox: bool) -> Result<(), BoxError> {
    let mut tar = tar::Builder::new(Vec::new());
    let mut files = vec![("Dockerfile".to_string(), dockerfile.as_bytes().to_vec(), 0o644)];
    if with_busybox {
        files.push(("busybox".to_string(), std::fs::read("/bin/busybox")?, 0o755));
    }
    for (name, data, mode) in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(mode);
        header.set_cksum();
        tar.append_data(&mut header, name, &data[..])?;
    }
    let context = tar.into_inner()?;
    let out = with_api!(docker.api(), async |c, _api| docker.call(c.image_build().t(tag).body(context).send()).await)?;
    let text: Vec<_> = out.into_inner().try_collect().await?;
    let text = String::from_utf8_lossy(&text.concat()).to_string();
    if text.contains("errorDetail") {
        return Err(format!("build {tag}: {text}").into());
    }
    Ok(())
}

async fn ensure_base_image(docker: &Docker) -> Result<(), BoxError> {
    let dockerfile = "FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\n";
    build(docker, IMAGE_BASE, dockerfile, true).await
}

/// An exited container whose log holds `mb` MB of 100-byte lines on stdout.
async fn logs_container(docker: &Docker, mb: usize) -> Result<String, BoxError> {
    let script = format!("yes 012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678 | head -c {}", mb << 20);
    let id = with_api!(docker.api(), async |c, api| {
        let created = docker.call(c.container_create().body_map(|mut b| {
            b.image = Some(IMAGE_BASE.to_string());
            b.cmd = Some(vec!["sh".into(), "-c".into(), script.clone()]);
            b.host_config = Some(api::types::HostConfig { network_mode: Some("none".into()), ..Default::default() });
            b
        }).send()).await?;
        let id = created.id.ok_or_else(|| docker_engine_api::Error::Protocol("no container Id".into()))?;
        docker.call(c.container_start().id(id.clone()).send()).await?;
        docker.call(c.container_wait().id(id.clone()).send()).await?;
        Ok(id)
    })?;
    Ok(id)
}

/// An image of about `mb` MB (random bytes, so nothing compresses it away).
async fn big_image(docker: &Docker, mb: usize) -> Result<String, BoxError> {
    let tag = format!("dockerapi-bench/big-{mb}:latest");
    build(docker, &tag, &format!("FROM {IMAGE_BASE}\nRUN head -c {} /dev/urandom > /big\n", mb << 20), false).await?;
    Ok(tag)
}

async fn remove(docker: &Docker, container: &str, image: &str) -> Result<(), BoxError> {
    with_api!(docker.api(), async |c, _api| {
        docker.call(c.container_delete().id(container).send()).await?;
        docker.call(c.image_delete().name(image).send()).await?;
        Ok(())
    })?;
    Ok(())
}
