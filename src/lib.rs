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
//! lacks are ignored or refused by it. `with_api!(.., since = 1.N, ..)` runs its body only
//! when the version on the wire is 1.N or newer. A pin the daemon does not accept fails
//! `connect` with [`Error::Version`].
//!
//! # One code for every version: `Api` and `with_api!`
//!
//! [`Docker::api`] is an [`Api`]: an enum with one variant per enabled version feature, holding
//! that module's generated `Client`. Another crate of the build may enable more features, and
//! so add variants: match it with [`with_api!`] rather than by hand. [`Api::version`] is the
//! module's version, [`Api::wire_version`] the one it talks. `docker.v1_41()` (one method per
//! enabled module) gives one module's client directly.
//!
//! [`with_api!`] writes the code once: its body is compiled for every enabled module, with
//! `client` bound to that module's client and `api` naming the module (`api::types::HostConfig`).
//!
//! ```no_run
//! use docker_engine_api::{Docker, with_api};
//!
//! # async fn demo() -> Result<(), docker_engine_api::Error> {
//! let docker = Docker::connect().await?;
//! // The same code for whichever module was selected.
//! let names: Vec<String> = with_api!(docker.api(), async |client, _api| {
//!     let list = docker.call(client.container_list().all(true).send()).await?;
//!     Ok(list.iter().flatten().flat_map(|c| c.names.clone().unwrap_or_default()).collect())
//! })?;
//! println!("{names:?}");
//! # Ok(()) }
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

pub mod archive;
pub mod build_context;
mod connection;
mod context;
mod docker;
mod error;
mod filters;
pub mod hijack;
pub mod registry_auth;
mod request;
pub mod streams;
mod trace;
mod version;

pub use connection::{
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_IDLE, DEFAULT_SOCKET, Endpoint, SshTarget, TlsConfig,
};
pub use docker::{DaemonVersions, Docker, DockerBuilder};
pub use error::{ConnectReason, Error, Result};
pub use filters::Filters;
pub use progenitor_client::{ByteStream, ResponseValue};
pub use registry_auth::RegistryAuth;
pub use request::{MAX_ERROR_BODY, MAX_JSON_BODY, TRUNCATED};
/// The JSON crate of the generated types, for untyped bodies and stream items
/// (`streams::events::<serde_json::Value>`) without a dependency of your own.
pub use serde_json;
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

// The generated version modules, `Api`, `__with_api!` and `Docker::v1_XX()` (build.rs, with
// docker_engine_api_codegen::glue; snapshots in generator/tests/golden/glue_*.rs).
include!(concat!(env!("OUT_DIR"), "/modules.rs"));

/// Runs the same code on whichever version module an [`Api`] holds (see
/// [the crate documentation](crate#one-code-for-every-version-api-and-with_api)).
///
/// ```text
/// with_api!(api, async |client, module| body)            // an async body, run once
/// with_api!(api, |client, module| body)                  // the same, not async
/// with_api!(api, since = 1.43, async |client, module| body)
/// with_api!(api, since = 1.43, |client, module| body)
/// ```
///
/// `api` is an [`Api`] or a `&Api`. The body is compiled once per enabled module, with `client`
/// bound to that module's `Client` (a reference when `api` is one) and `module` naming the
/// module, e.g. `module::types::HostConfig`; it must have one type for every enabled version.
/// It is a closure's body: `?` and `return` leave the body, not the enclosing function, and
/// `with_api!` evaluates to what the body gives, a `Result<_, Error>`; write the type to give
/// another one (`async |client, module| -> Option<i64> { .. }`, a block then). The async form
/// runs the body as a boxed future of its own per module, awaited in place, so a large body
/// over every module needs no more stack than one module's code.
///
/// With `since = 1.N` the body (a `Result<_, Error>`) is compiled only for the modules of
/// v1.N and newer, and runs when the version on the wire is v1.N or newer (a newer module may
/// talk an older daemon); otherwise `with_api!` is `Err(Error::NotAvailable)`. Code with
/// operations that old modules lack thus compiles with them enabled.
///
/// These forms are expressions to rustfmt, which formats their bodies. The older forms
/// `with_api!(api, client, module => body)` and `with_api!(api, client, module, since 1.N =>
/// body)` remain: their body is inlined in each arm of the enclosing function (`?` leaves that
/// function, and the body is a plain value), and rustfmt leaves it as written.
///
/// ```no_run
/// use docker_engine_api::{Docker, Error, with_api};
///
/// # async fn demo(docker: Docker) -> Result<(), Error> {
/// let id = with_api!(docker.api(), async |client, api| {
///     let body = api::types::HostConfig { network_mode: Some("none".into()), ..Default::default() };
///     let created = docker
///         .call(client.container_create().body_map(|mut b| {
///             b.image = Some("busybox".into());
///             b.host_config = Some(body);
///             b
///         }).send())
///         .await?;
///     created.id.ok_or_else(|| Error::Protocol("no container Id".into()))
/// })?;
/// // Only where the wire version is 1.44 or newer: `Err(Error::NotAvailable)` elsewhere.
/// let stats = with_api!(docker.api(), since = 1.44, async |client, _api| {
///     docker.call(client.container_stats().id(&id).stream(false).one_shot(true).send()).await
/// });
/// # let _ = stats;
/// # Ok(()) }
/// ```
#[macro_export]
macro_rules! with_api {
    ($api:expr, async |$client:ident, $module:ident| -> $ret:ty $body:block) => {
        $crate::__with_api!((boxed $ret), $api, $client, $module, $body)
    };
    ($api:expr, async |$client:ident, $module:ident| $body:expr) => {
        $crate::__with_api!((boxed $crate::Result<_>), $api, $client, $module, $body)
    };
    ($api:expr, |$client:ident, $module:ident| -> $ret:ty $body:block) => {
        $crate::__with_api!((call $ret), $api, $client, $module, $body)
    };
    ($api:expr, |$client:ident, $module:ident| $body:expr) => {
        $crate::__with_api!((call $crate::Result<_>), $api, $client, $module, $body)
    };
    ($api:expr, since = $since:tt, async |$client:ident, $module:ident| $body:expr) => {
        $crate::__with_api!((boxed $crate::Result<_>), $api, $client, $module, since $since, $body)
    };
    ($api:expr, since = $since:tt, |$client:ident, $module:ident| $body:expr) => {
        $crate::__with_api!((call $crate::Result<_>), $api, $client, $module, since $since, $body)
    };
    ($api:expr, $client:ident, $module:ident => $body:expr) => {
        $crate::__with_api!((inline), $api, $client, $module, $body)
    };
    ($api:expr, $client:ident, $module:ident, since $since:tt => $body:expr) => {
        $crate::__with_api!((inline), $api, $client, $module, since $since, $body)
    };
}

/// One arm of `__with_api!` (the generated dispatch): `module` names the version module, and
/// the mode says how the body is held.
#[doc(hidden)]
#[macro_export]
macro_rules! __with_api_arm {
    ((inline), $version:ident as $module:ident, $body:expr) => {{
        #[allow(unused_imports)]
        use $crate::$version as $module;
        $body
    }};
    ((boxed $ret:ty), $version:ident as $module:ident, $body:expr) => {{
        #[allow(unused_imports)]
        use $crate::$version as $module;
        $crate::__boxed::<$ret, _>(async { $body }).await
    }};
    ((call $ret:ty), $version:ident as $module:ident, $body:expr) => {{
        #[allow(unused_imports)]
        use $crate::$version as $module;
        $crate::__call::<$ret, _>(|| $body)
    }};
}

/// The body of an async `with_api!` arm as a future of its own on the heap: the enclosing
/// future holds a pointer, and polls the body's code in a frame of its own. `R` gives the
/// body's type before it is checked (for `?`).
#[doc(hidden)]
pub fn __boxed<R, F: std::future::Future<Output = R>>(body: F) -> std::pin::Pin<Box<F>> {
    Box::pin(body)
}

/// The body of a non-async `with_api!` arm, called in place; `R` is its type.
#[doc(hidden)]
pub fn __call<R, F: FnOnce() -> R>(body: F) -> R {
    body()
}

#[cfg(all(test, feature = "v1_55"))]
mod with_api_tests;
