//! One program for old and new daemons with bollard: `SystemInfo.Containerd` where the daemon
//! has it (API 1.46 on), else the server version; it prints which path it took. Bollard has one
//! set of models (API 1.53): fields an older daemon lacks are `None`.

use bollard::Docker;

#[tokio::main]
async fn main() -> Result<(), bollard::errors::Error> {
    let docker = Docker::connect_with_defaults()?.negotiate_version().await?;
    let version = docker.client_version();
    println!("API v{version} on the wire");
    let info = docker.info().await?;
    if (version.major_version, version.minor_version) >= (1, 46) {
        let address = info.containerd.and_then(|c| c.address).unwrap_or_default();
        println!("path: since 1.46, containerd at {address}");
    } else {
        let version = info.server_version.unwrap_or_default();
        println!("path: fallback, server version {version}");
    }
    Ok(())
}
