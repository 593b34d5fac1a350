//! One program for old and new daemons (built with `--features v1_41,v1_51`): the containerd
//! the daemon uses, from `SystemInfo.Containerd` where the daemon has it (API 1.46 on), else
//! the daemon's server version, which every version reports. It prints which path it took.
//!
//! `cargo run --example versions --no-default-features --features v1_41,v1_51`

use docker_engine_api::{Docker, Error, with_api};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let docker = Docker::connect().await?;
    let (module, wire) = (docker.api().version(), docker.api_version());
    println!("module v{module}, API v{wire} on the wire");
    let containerd: Result<String, Error> = with_api!(docker.api(), client, _api, since 1.46 => {
        let info = docker.call(client.system_info().send()).await?;
        Ok(info.containerd.and_then(|c| c.address).unwrap_or_default())
    });
    match containerd {
        Ok(address) => println!("path: since 1.46, containerd at {address}"),
        Err(Error::NotAvailable { .. }) => with_api!(docker.api(), client, _api => {
            let info = docker.call(client.system_info().send()).await?;
            let version = info.server_version.unwrap_or_default();
            println!("path: fallback, server version {version}");
        }),
        Err(e) => return Err(e),
    }
    Ok(())
}
