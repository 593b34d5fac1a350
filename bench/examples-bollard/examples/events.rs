//! `docker events --filter type=container --filter label=LABEL --since SINCE --until UNTIL`
//! with bollard.

use bollard::Docker;
use bollard::query_parameters::EventsOptionsBuilder;
use futures_util::TryStreamExt;
use std::collections::HashMap;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let label = args.next().unwrap_or_else(|| "com.example.app".into());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs();
    let since = args.next().unwrap_or_else(|| (now - 60).to_string());
    let until = args.next().unwrap_or_else(|| now.to_string());
    let docker = Docker::connect_with_defaults()?.negotiate_version().await?;
    let filters = HashMap::from([("type", vec!["container"]), ("label", vec![label.as_str()])]);
    let options = EventsOptionsBuilder::default()
        .since(&since)
        .until(&until)
        .filters(&filters)
        .build();
    let mut events = docker.events(Some(options));
    while let Some(e) = events.try_next().await? {
        let actor = e.actor.unwrap_or_default();
        let id = actor.id.unwrap_or_default();
        let name = actor
            .attributes
            .unwrap_or_default()
            .remove("name")
            .unwrap_or_default();
        let kind = e.typ.map(|t| t.to_string()).unwrap_or_default();
        let (time, action) = (e.time.unwrap_or_default(), e.action.unwrap_or_default());
        println!("{time} {kind} {action} {id:.12} {name}");
    }
    Ok(())
}
