//! `docker build -t TAG DIR`: the directory as a build context (`.dockerignore` honoured, the
//! tar streamed as it is written), the progress as it comes, then the image id.
//!
//! `cargo run --example build -- path/to/dir my-image:latest`

use docker_engine_api::{Docker, build_context, streams, with_api};
use futures_util::TryStreamExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().ok_or("usage: build DIR [TAG]")?;
    let tag = args
        .next()
        .unwrap_or_else(|| "dockerapi-example/built:latest".into());
    let docker = Docker::connect().await?;
    let context = build_context::tar_body(dir.as_ref())?;
    with_api!(docker.api(), async |client, api| {
        let body = docker
            .call(client.image_build().t(&tag).rm(true).body(context).send())
            .await?;
        let mut progress = streams::build_progress::<api::types::BuildInfo>(body);
        while let Some(item) = progress.try_next().await? {
            print!(
                "{}",
                item.stream
                    .as_deref()
                    .or(item.status.as_deref())
                    .unwrap_or_default()
            );
            if let Some(id) = streams::build_image_id(&item) {
                println!("image id: {id}");
            }
        }
        Ok(())
    })?;
    Ok(())
}
