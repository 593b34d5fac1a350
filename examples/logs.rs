//! `docker logs -f CONTAINER`: its output so far, then as it comes until the container stops;
//! stdout to stdout, stderr to stderr.
//!
//! `cargo run --example logs -- CONTAINER`

use docker_engine_api::Docker;
use docker_engine_api::streams::{self, LogsOptions, StdStream};
use futures_util::TryStreamExt;
use std::io::Write;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let id = std::env::args().nth(1).ok_or("usage: logs CONTAINER")?;
    let docker = Docker::connect().await?;
    let mut logs = streams::logs(&docker, &id, LogsOptions::new().follow(true)).await?;
    while let Some(chunk) = logs.try_next().await? {
        match chunk.stream {
            StdStream::Stderr => std::io::stderr().write_all(&chunk.bytes)?,
            _ => std::io::stdout().write_all(&chunk.bytes)?,
        }
    }
    Ok(())
}
