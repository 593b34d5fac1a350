//! `docker pull IMAGE` with bollard and the credentials `docker login` stored: bollard does not
//! read the CLI's `config.json`, so this does (`auths` only, no credential helpers).

use base64::Engine;
use bollard::Docker;
use bollard::auth::DockerCredentials;
use bollard::query_parameters::CreateImageOptionsBuilder;
use futures_util::TryStreamExt;
use std::path::PathBuf;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let image = std::env::args().nth(1).ok_or("usage: pull IMAGE[:TAG]")?;
    let docker = Docker::connect_with_defaults()?.negotiate_version().await?;
    let options = CreateImageOptionsBuilder::default().from_image(&image).build();
    let mut progress = docker.create_image(Some(options), None, stored_credentials(&image));
    while let Some(p) = progress.try_next().await? {
        println!(
            "{} {}",
            p.id.as_deref().unwrap_or_default(),
            p.status.as_deref().unwrap_or_default()
        );
    }
    println!("pulled {image}");
    Ok(())
}

/// The user and password stored for the image's registry in `config.json` (`auths`).
fn stored_credentials(image: &str) -> Option<DockerCredentials> {
    let registry = match image.split_once('/') {
        Some((host, _)) if host.contains(['.', ':']) || host == "localhost" => host,
        _ => "https://index.docker.io/v1/",
    };
    let home = std::env::var("HOME").map(|h| PathBuf::from(h).join(".docker"));
    let dir = std::env::var("DOCKER_CONFIG").map(PathBuf::from).or(home).ok()?;
    let config: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("config.json")).ok()?).ok()?;
    let auth = base64::engine::general_purpose::STANDARD
        .decode(config["auths"][registry]["auth"].as_str()?)
        .ok()?;
    let (username, password) = std::str::from_utf8(&auth).ok()?.split_once(':')?;
    Some(DockerCredentials {
        username: Some(username.into()),
        password: Some(password.into()),
        serveraddress: Some(registry.into()),
        ..Default::default()
    })
}
