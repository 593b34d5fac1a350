//! Docker Engine API bindings generated from the upstream specs, one module per API version.
//!
//! Each `v1_XX` feature adds the module [`v1_XX`](crate) generated from the Engine API v1.XX
//! spec; features are additive. [`Docker`] connects to a daemon, negotiates the API version
//! and selects the newest enabled module the daemon speaks.
//!
//! ```no_run
//! use docker_engine_api::{Docker, with_api};
//!
//! # async fn demo() -> Result<(), docker_engine_api::Error> {
//! let docker = Docker::connect().await?;
//! // The same code for whichever module was selected: `api` names that module.
//! let names: Vec<String> = with_api!(docker.api(), client, _api => {
//!     let list = docker.call(client.container_list().all(true).send()).await?;
//!     list.iter().flatten().flat_map(|c| c.names.clone().unwrap_or_default()).collect()
//! });
//! println!("{names:?}");
//! # Ok(()) }
//! ```

pub mod archive;
pub mod build_context;
mod call;
mod context;
mod docker;
mod error;
pub mod hijack;
pub mod registry_auth;
mod ssh;
pub mod streams;
mod tls;
mod transport;
mod version;

pub use docker::{DaemonVersions, Docker, DockerBuilder};
pub use error::{ConnectReason, Error, Result};
pub use progenitor_client::{ByteStream, ResponseValue};
pub use registry_auth::RegistryAuth;
pub use tls::TlsConfig;
pub use transport::{DEFAULT_SOCKET, Endpoint, SshTarget};
pub use version::ApiVersion;

#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

// The generated version modules, `Api` and `with_api!` (see build.rs).
include!(concat!(env!("OUT_DIR"), "/modules.rs"));
