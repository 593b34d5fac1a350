//! One program for old and new daemons: the containerd the daemon uses, from
//! `SystemInfo.Containerd` where the daemon has it (API 1.46 on), else the daemon's server
//! version, which every version reports. It prints which path it took.
//!
//! It uses the newest module (v1.55, the default feature) with whatever daemon it meets:
//! `docker.v1_55()` talks the negotiated version when the daemon is older, as the Go SDK does,
//! so fields the daemon lacks stay `None`. (To have each daemon's own types instead, enable its
//! version's feature and write the code once with `with_api!`, as the other examples do.)
//!
//! `cargo run --example versions`

use docker_engine_api::{Docker, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let docker = Docker::connect().await?;
    let wire = docker.api_version();
    println!("module v1.55, API v{wire} on the wire");
    let info = docker.call(docker.v1_55().system_info().send()).await?;
    if wire.minor >= 46 {
        let address = info.containerd.and_then(|c| c.address).unwrap_or_default();
        println!("path: since 1.46, containerd at {address}");
    } else {
        let version = info.server_version.unwrap_or_default();
        println!("path: fallback, server version {version}");
    }
    Ok(())
}
