//! Docker Engine API bindings generated from the upstream specs, one module per API version.
//!
//! Each `v1_XX` feature adds the module [`v1_XX`](crate) generated from the Engine API v1.XX
//! spec; features are additive. [`Docker`] connects to a daemon, negotiates the API version
//! and selects the newest enabled module the daemon speaks.
//!
//! # Types shared between versions
//!
//! `vA::types::T` and `vB::types::T` are the same type exactly when `specs/type-identity.txt`
//! gives them the same owner version (they are in one run of versions with one definition of
//! `T`), under every feature set: enabling more versions, here or in another crate of the
//! graph, never changes which types are identical. See the README's "Types shared between
//! versions".
//!
//! # Which module, which version on the wire
//!
//! [`Docker::connect`] pings the daemon for its newest version, picks a module, and checks
//! with the daemon's `/version` that it accepts the version sent ([`Docker::api_version`]):
//!
//! | daemon | enabled modules | module | on the wire |
//! |---|---|---|---|
//! | 1.41 | v1_41, v1_51 | v1_41 | 1.41 |
//! | 1.45 | v1_41, v1_51 | v1_41 | 1.41 |
//! | 1.60 | v1_41, v1_51 | v1_51 | 1.51 |
//! | 1.41 | v1_55 (default) | v1_55 | 1.41 |
//! | 1.41 | v1_51, v1_55 | v1_51 | 1.41 |
//! | any, `DOCKER_API_VERSION=1.30` | v1_41, v1_55 | v1_41 | 1.30 |
//!
//! A module newer than the daemon talks the daemon's version: fields and operations the daemon
//! lacks are ignored or refused by it. `with_api!(.., since 1.N => ..)` runs its body only
//! when the version on the wire is 1.N or newer. A pin the daemon does not accept fails
//! `connect` with [`Error::Version`].
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
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod archive;
pub mod build_context;
mod context;
mod docker;
mod endpoint;
mod error;
mod filters;
pub mod hijack;
pub mod registry_auth;
mod request;
mod ssh;
pub mod streams;
mod tls;
mod trace;
mod transport;
mod version;

pub use docker::{DaemonVersions, Docker, DockerBuilder};
pub use error::{ConnectReason, Error, Result};
pub use filters::Filters;
pub use progenitor_client::{ByteStream, ResponseValue};
pub use registry_auth::RegistryAuth;
pub use request::{MAX_ERROR_BODY, MAX_JSON_BODY, TRUNCATED};
pub use tls::TlsConfig;
pub use transport::{DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_IDLE, DEFAULT_SOCKET, Endpoint, SshTarget};
pub use version::ApiVersion;

/// Entry points of the fuzz targets in fuzz/: not public API, may change or go at any time.
#[doc(hidden)]
pub mod __fuzz {
    /// The HTTP base URL of `endpoint`, without TLS.
    pub fn base_url(endpoint: &crate::Endpoint) -> String {
        endpoint.base_url(None)
    }

    /// A context's `meta.json`: its Docker endpoint and `SkipTLSVerify`.
    pub fn context_meta(meta_json: &[u8]) -> Result<(crate::Endpoint, bool), String> {
        crate::context::docker_endpoint(meta_json)
    }

    /// The errors of a CLI `config.json`'s stored credentials, each entry decoded.
    pub fn registry_config(config_json: &[u8]) -> Vec<String> {
        crate::registry_auth::config_errors(config_json)
    }

    /// `currentContext` of a CLI `config.json`.
    pub fn current_context(config_json: &[u8]) -> Result<Option<String>, String> {
        crate::context::current_context(config_json)
    }
}

#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

// The generated version modules, `Api` and `with_api!` (see build.rs).
include!(concat!(env!("OUT_DIR"), "/modules.rs"));

#[cfg(all(test, feature = "v1_55"))]
mod with_api_tests;
