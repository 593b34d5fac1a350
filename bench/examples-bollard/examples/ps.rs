//! `docker ps -a --filter label=LABEL` with bollard: short id, name, status.

use bollard::Docker;
use bollard::query_parameters::ListContainersOptionsBuilder;
use std::collections::HashMap;

#[tokio::main]
async fn main() -> Result<(), bollard::errors::Error> {
    let label = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "com.example.app".into());
    let docker = Docker::connect_with_defaults()?.negotiate_version().await?;
    let filters = HashMap::from([("label".to_string(), vec![label])]);
    let options = ListContainersOptionsBuilder::default()
        .all(true)
        .filters(&filters)
        .build();
    for c in docker.list_containers(Some(options)).await? {
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
}
