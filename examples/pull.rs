//! `docker pull IMAGE` with the credentials `docker login` stored (`config.json` of
//! `DOCKER_CONFIG`, default ~/.docker: `auths` or a credential helper), printing the progress.
//!
//! `cargo run --example pull -- registry.example.com:5000/team/app:1.0`

use docker_engine_api::{Docker, RegistryAuth, streams, with_api};
use futures_util::TryStreamExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let image = std::env::args().nth(1).ok_or("usage: pull IMAGE[:TAG]")?;
    let auth = RegistryAuth::from_docker_config(&image)?.unwrap_or_default();
    let docker = Docker::connect().await?;
    let body = with_api!(docker.api(), async |client, _api| {
        let pull = client
            .image_create()
            .from_image(&image)
            .x_registry_auth(auth.header());
        docker.call(pull.send()).await
    })?;
    // Progress as JSON values: the same code for every module (`id` is not in the oldest specs).
    let mut progress = streams::pull_progress::<serde_json::Value>(body);
    while let Some(p) = progress.try_next().await? {
        println!(
            "{} {}",
            p["id"].as_str().unwrap_or_default(),
            p["status"].as_str().unwrap_or_default()
        );
    }
    println!("pulled {image}");
    Ok(())
}
