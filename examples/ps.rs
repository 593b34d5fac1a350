//! `docker ps -a --filter label=LABEL`: the containers with a label (`key` or `key=value`), one
//! line each: short id, name, status.
//!
//! `cargo run --example ps -- com.example.app=web`

use docker_engine_api::{Docker, Filters, with_api};

#[tokio::main]
async fn main() -> Result<(), docker_engine_api::Error> {
    let label = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "com.example.app".into());
    let docker = Docker::connect().await?;
    let filters = Filters::new().label(label);
    with_api!(docker.api(), async |client, _api| {
        let list = docker
            .call(client.container_list().all(true).filters(filters).send())
            .await?;
        for c in list.iter().flatten() {
            let name = c
                .names
                .iter()
                .flatten()
                .next()
                .map_or("", |n| n.trim_start_matches('/'));
            let id = c.id.as_deref().unwrap_or_default();
            println!("{id:.12}  {name}  {}", c.status.as_deref().unwrap_or_default());
        }
        Ok(())
    })
}
