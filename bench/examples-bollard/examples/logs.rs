//! `docker logs -f CONTAINER` with bollard.

use bollard::query_parameters::LogsOptionsBuilder;
use bollard::{Docker, container::LogOutput};
use futures_util::TryStreamExt;
use std::io::Write;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let id = std::env::args().nth(1).ok_or("usage: logs CONTAINER")?;
    let docker = Docker::connect_with_defaults()?.negotiate_version().await?;
    let options = LogsOptionsBuilder::default()
        .follow(true)
        .stdout(true)
        .stderr(true)
        .build();
    let mut logs = docker.logs(&id, Some(options));
    while let Some(chunk) = logs.try_next().await? {
        match chunk {
            LogOutput::StdErr { message } => std::io::stderr().write_all(&message)?,
            other => std::io::stdout().write_all(&other.into_bytes())?,
        }
    }
    Ok(())
}
