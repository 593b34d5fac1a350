//! `docker events --filter type=container --filter label=LABEL --since SINCE --until UNTIL`:
//! what happened to the labelled containers in a window of time. `until` bounds the stream, so
//! it ends.
//!
//! `cargo run --example events -- com.example.app 1700000000 1700000060` (Unix seconds; by
//! default the last minute)

use docker_engine_api::{Docker, Filters, streams, with_api};
use futures_util::TryStreamExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let label = args.next().unwrap_or_else(|| "com.example.app".into());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs();
    let since = args.next().unwrap_or_else(|| (now - 60).to_string());
    let until = args.next().unwrap_or_else(|| now.to_string());
    let docker = Docker::connect().await?;
    let filters = Filters::new().type_("container").label(label);
    let body = with_api!(docker.api(), async |client, _api| {
        let request = client.system_events().since(since).until(until).filters(filters);
        docker.call(request.send()).await
    })?;
    // `serde_json::Value`: every API version's events (the typed `EventMessage` is 1.40+).
    let mut events = streams::events::<serde_json::Value>(body);
    while let Some(e) = events.try_next().await? {
        let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
        let (id, name) = (text(&e["Actor"]["ID"]), text(&e["Actor"]["Attributes"]["name"]));
        let (kind, action) = (text(&e["Type"]), text(&e["Action"]));
        println!("{} {kind} {action} {id:.12} {name}", e["time"]);
    }
    Ok(())
}
