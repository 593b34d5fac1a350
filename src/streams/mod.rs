//! The streaming endpoints, written once for every API version: container output (logs, attach,
//! exec) as [`LogChunk`]s, and JSON-lines bodies (events, stats, build, pull, push, load) as
//! typed items.
//!
//! The generated clients return these bodies as a [`ByteStream`](crate::ByteStream); the functions
//! here turn one into a typed stream. Types come from whichever version module is in use, so
//! the same code works under [`with_api!`](crate::with_api):
//!
//! ```no_run
//! use docker_engine_api::{Docker, streams::{self, LogsOptions}, with_api};
//! use futures_util::StreamExt;
//!
//! # async fn demo(docker: Docker) -> Result<(), docker_engine_api::Error> {
//! // Stdout and stderr, multiplexed or TTY: the framing comes from the response (API 1.42+)
//! // or from the container's `Tty` flag (older daemons).
//! let mut logs = streams::logs(&docker, "web", LogsOptions::new().tail(50)).await?;
//! while let Some(chunk) = logs.next().await {
//!     let chunk = chunk?;
//!     println!("{:?}: {}", chunk.stream, String::from_utf8_lossy(&chunk.bytes));
//! }
//!
//! // Build progress in the module's own type; a failing step is an `Err` item.
//! let context = std::fs::read("context.tar").unwrap();
//! with_api!(docker.api(), async |client, api| {
//!     let body = docker.call(client.image_build().t("demo").body(context).send()).await?;
//!     let mut progress = streams::build_progress::<api::types::BuildInfo>(body);
//!     while let Some(item) = progress.next().await {
//!         let item = item?;
//!         print!("{}", item.stream.as_deref().unwrap_or_default());
//!         if let Some(id) = streams::build_image_id(&item) {
//!             println!("built {id}");
//!         }
//!     }
//!     Ok(())
//! })?;
//!
//! // Events bounded by `until`, so the stream ends. (`api::types::EventMessage` is there from
//! // API 1.40 on; `serde_json::Value` works with every module.)
//! let body = with_api!(docker.api(), async |client, _api| {
//!     docker.call(client.system_events().since("0").until("1").send()).await
//! })?;
//! let mut events = streams::events::<serde_json::Value>(body);
//! while let Some(event) = events.next().await {
//!     println!("{}", event?["Action"]);
//! }
//! # Ok(()) }
//! ```
//!
//! Errors the daemon reports inside a stream it answered with `200` (a failing build step, an
//! error frame) come as [`Error::Stream`](crate::Error::Stream) items; a JSON-lines stream goes
//! on after them, as far as the daemon does.

mod frames;
mod json_lines;
mod logs;

pub use frames::{
    FrameDecoder, Framing, LogChunk, MAX_CHUNK, MULTIPLEXED_CONTENT_TYPE, RAW_CONTENT_TYPE, StdStream,
};
pub use json_lines::{
    JsonLines, JsonLinesDecoder, MAX_LINE, build_image_id, build_progress, events, json_lines, pull_progress,
    stats,
};
pub use logs::{LogStream, LogsOptions, container_framing, exec_framing, log_stream, log_stream_from, logs};

use bytes::Bytes;
use futures_util::TryStreamExt;
use std::pin::Pin;

/// A response body as an `AsyncRead`, which is what tokio-util's `FramedRead` decodes from.
pub type BodyReader = tokio_util::io::StreamReader<
    futures_util::stream::MapErr<
        Pin<Box<dyn futures_util::Stream<Item = reqwest::Result<Bytes>> + Send + Sync>>,
        fn(reqwest::Error) -> std::io::Error,
    >,
    Bytes,
>;

/// Wraps a body for `FramedRead`; its reqwest errors come back out as [`Error::Http`](crate::Error::Http).
fn body_reader(body: crate::ByteStream) -> BodyReader {
    let to_io: fn(reqwest::Error) -> std::io::Error = std::io::Error::other;
    tokio_util::io::StreamReader::new(body.into_inner().map_err(to_io))
}
