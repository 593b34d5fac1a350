//! [`Docker`]: a connection to one daemon, with the API version negotiated and the matching
//! generated module selected.

use crate::connection::{Endpoint, Link, Timeouts, TlsConfig};
use crate::context;
use crate::error::{Error, Result};
use crate::{Api, ApiVersion, ENABLED_MINORS};
use reqwest::Method;
use std::sync::Arc;
use std::time::Duration;

/// What the daemon said about its API versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DaemonVersions {
    /// The newest API version the daemon speaks (`Api-Version` of `/_ping`).
    pub max: ApiVersion,
    /// The oldest one (`MinAPIVersion` of `/version`).
    pub min: Option<ApiVersion>,
    /// `Ostype` of `/_ping`: `linux` or `windows`.
    pub os_type: Option<String>,
}

/// A client of one Docker daemon.
///
/// ```no_run
/// # async fn demo() -> Result<(), docker_engine_api::Error> {
/// let docker = docker_engine_api::Docker::connect().await?;
/// println!("API v{} (module v{})", docker.api_version(), docker.api().version());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Docker {
    /// The daemon's address, HTTP client and `ssh` tunnel, shared by clones.
    link: Arc<Link>,
    wire: ApiVersion,
    daemon: Option<DaemonVersions>,
    api: Api,
}

/// Configures a [`Docker`] client; [`Docker::builder`] starts from defaults,
/// [`DockerBuilder::from_env`] from the environment.
#[derive(Debug, Clone, Default)]
pub struct DockerBuilder {
    endpoint: Option<Endpoint>,
    pin: Option<ApiVersion>,
    timeouts: Timeouts,
    tls: Option<TlsConfig>,
    ssh_options: Vec<String>,
}

impl DockerBuilder {
    /// Reads the environment as the docker CLI does: the daemon is `DOCKER_HOST` (`unix://`,
    /// `tcp://` or `ssh://`), else the context named by `DOCKER_CONTEXT` or by `currentContext`
    /// in `config.json` of `DOCKER_CONFIG` (default `~/.docker`), else
    /// `unix:///var/run/docker.sock`.
    /// `DOCKER_TLS_VERIFY`, `DOCKER_TLS` and `DOCKER_CERT_PATH` configure TLS (see
    /// [`TlsConfig`]; TLS needs the `tls` feature) unless a context does;
    /// `DOCKER_API_VERSION` pins the version (no negotiation).
    pub fn from_env() -> Result<Self> {
        let mut b = DockerBuilder::default();
        if let Some(host) = env("DOCKER_HOST")? {
            b.endpoint = Some(Endpoint::parse(&host)?);
            b.tls = TlsConfig::from_env(env)?;
        } else {
            let dir = context::config_dir(&env)?;
            match context::selected(&dir, &env)? {
                Some(name) => b = b.context_from(&dir, &name)?,
                None => b.tls = TlsConfig::from_env(env)?,
            }
        }
        if let Some(v) = env("DOCKER_API_VERSION")? {
            b.pin = Some(v.parse()?);
        }
        Ok(b)
    }

    /// The daemon of the docker CLI context `name` (its endpoint and TLS material), from the
    /// CLI's configuration directory (`DOCKER_CONFIG`, default `~/.docker`). `default` means
    /// `DOCKER_HOST` or the local socket.
    pub fn context(self, name: &str) -> Result<Self> {
        if name == context::DEFAULT_CONTEXT {
            let mut b = self;
            b.endpoint = env("DOCKER_HOST")?.map(|h| Endpoint::parse(&h)).transpose()?;
            b.tls = TlsConfig::from_env(env)?;
            return Ok(b);
        }
        self.context_from(&context::config_dir(&env)?, name)
    }

    fn context_from(mut self, dir: &std::path::Path, name: &str) -> Result<Self> {
        let ctx = context::load(dir, name)?;
        self.endpoint = Some(ctx.endpoint);
        self.tls = ctx.tls;
        Ok(self)
    }

    /// Options for the `ssh` command of an `ssh://` daemon, before the host: `["-i",
    /// "/path/key"]`, `["-F", "/path/ssh_config"]`, `["-o", "StrictHostKeyChecking=yes"]`.
    pub fn ssh_options<I: IntoIterator<Item = S>, S: Into<String>>(mut self, options: I) -> Self {
        self.ssh_options = options.into_iter().map(Into::into).collect();
        self
    }

    /// The daemon address, as in `DOCKER_HOST` (`unix:///path`, `tcp://host:port`,
    /// `ssh://user@host`).
    pub fn host(mut self, host: &str) -> Result<Self> {
        self.endpoint = Some(Endpoint::parse(host)?);
        Ok(self)
    }

    /// Uses this API version instead of negotiating one (like `DOCKER_API_VERSION`): it goes on
    /// the wire as is, and the newest enabled module not newer than it decodes the responses
    /// (the oldest module if every module is newer: fields and operations the older version
    /// lacks are then ignored or rejected by the daemon). [`connect`](Self::connect) fails with
    /// [`Error::Version`] when the daemon does not accept it (outside its [min, max]).
    pub fn version(mut self, version: ApiVersion) -> Self {
        self.pin = Some(version);
        self
    }

    /// Talks TLS to a `tcp://` daemon (ignored on a unix socket; needs the `tls` feature).
    pub fn tls(mut self, tls: TlsConfig) -> Self {
        self.tls = Some(tls);
        self
    }

    /// Limits how long connecting may take: each dial, and all of [`connect`](Self::connect)
    /// (ping and version negotiation). Default:
    /// [`DEFAULT_CONNECT_TIMEOUT`](crate::DEFAULT_CONNECT_TIMEOUT).
    pub fn connect_timeout(mut self, t: Duration) -> Self {
        self.timeouts.connect = t;
        self
    }

    /// Limits every request as a whole, streams included: a `logs --follow` or an events
    /// stream is cut after `t` (none by default; see [`read_timeout`](Self::read_timeout)).
    pub fn request_timeout(mut self, t: Duration) -> Self {
        self.timeouts.request = Some(t);
        self
    }

    /// Fails a response, stream or not, whose next bytes take longer than `t` to arrive
    /// ([`Error::Timeout`]): detects a stalled daemon without cutting long streams that
    /// keep flowing. None by default (an events stream may rightly be quiet for hours).
    /// Hijacked attach and exec connections are not covered.
    pub fn read_timeout(mut self, t: Duration) -> Self {
        self.timeouts.read = Some(t);
        self
    }

    /// How many idle connections to the daemon are kept for reuse. Default:
    /// [`DEFAULT_MAX_IDLE`](crate::DEFAULT_MAX_IDLE); idle ones close after 30 s.
    pub fn max_idle_connections(mut self, n: usize) -> Self {
        self.timeouts.max_idle = n;
        self
    }

    /// Connects: pings the daemon, negotiates the version (unless pinned) and checks that the
    /// daemon accepts it, all within the connect timeout.
    pub async fn connect(self) -> Result<Docker> {
        let endpoint = self
            .endpoint
            .unwrap_or_else(|| Endpoint::Unix(crate::DEFAULT_SOCKET.into()));
        let link = Link::open(endpoint, self.timeouts, self.tls.as_ref(), &self.ssh_options)?;
        let negotiate = negotiate(&link, self.pin);
        let (wire, module, daemon) = match tokio::time::timeout(self.timeouts.connect, negotiate).await {
            Ok(negotiated) => negotiated?,
            Err(_) => {
                return Err(link.explain(Error::Timeout {
                    endpoint: Some(link.endpoint.to_string()),
                }));
            }
        };
        let api = Api::new(
            module.minor,
            &format!("{}{}", link.base, wire.path_prefix()),
            link.http.clone(),
        )
        .expect("choose_module returns an enabled version");
        Ok(Docker {
            link: Arc::new(link),
            wire,
            daemon,
            api,
        })
    }
}

impl Docker {
    /// Connects as configured by the environment (see [`DockerBuilder::from_env`]).
    pub async fn connect() -> Result<Docker> {
        DockerBuilder::from_env()?.connect().await
    }

    /// A builder with defaults: the local socket, negotiation, no timeouts.
    pub fn builder() -> DockerBuilder {
        DockerBuilder::default()
    }

    /// The API version sent on the wire (`/v1.41/...`).
    pub fn api_version(&self) -> ApiVersion {
        self.wire
    }

    /// The daemon's versions, as it reported them when connecting.
    pub fn daemon(&self) -> Option<&DaemonVersions> {
        self.daemon.as_ref()
    }

    /// Where the daemon listens.
    pub fn endpoint(&self) -> &Endpoint {
        &self.link.endpoint
    }

    /// The generated client of the selected version module; use [`with_api!`](crate::with_api)
    /// to write code once for whichever it is.
    pub fn api(&self) -> &Api {
        &self.api
    }

    /// The HTTP client (it follows no redirects).
    pub fn http(&self) -> &reqwest::Client {
        &self.link.http
    }

    /// The versioned URL of the path made of `segments`, each percent-encoded:
    /// `["containers", id, "json"]` is `http://…/v1.41/containers/{id}/json`, whatever `id`
    /// holds. `.`, `..` and empty segments are [`Error::Config`].
    pub fn url(&self, segments: &[&str]) -> Result<reqwest::Url> {
        self.link.url(Some(self.wire), segments)
    }

    /// The one path of hand-written requests (see `request.rs`).
    pub(crate) fn link(&self) -> &Link {
        &self.link
    }

    /// A request to the versioned path made of `segments` (see [`Docker::url`]).
    pub(crate) fn request(&self, method: Method, segments: &[&str]) -> Result<reqwest::RequestBuilder> {
        self.link.request(method, Some(self.wire), segments)
    }

    /// The base URL for a module of version `module`: it talks the older of its own version and
    /// the negotiated one, as the Go SDK does.
    pub(crate) fn base_for(&self, module: ApiVersion) -> String {
        format!("{}{}", self.link.base, module.min(self.wire).path_prefix())
    }

    /// Awaits a generated request and maps its outcome: the response body on success, an
    /// [`Error`] with the daemon's message or the decode position otherwise. `304 Not
    /// Modified` of an operation without a body (start an already started or stop an already
    /// stopped container) is success.
    pub async fn call<T, E: serde::Serialize>(
        &self,
        request: impl Future<Output = Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>>>,
    ) -> Result<T> {
        match request.await {
            Ok(v) => Ok(v.into_inner()),
            Err(e) => Err(self.link.map_generated(e).await),
        }
    }
}

/// An environment variable; empty counts as unset.
pub(crate) fn env(name: &str) -> Result<Option<String>> {
    match std::env::var(name) {
        Ok(v) if v.is_empty() => Ok(None),
        Ok(v) => Ok(Some(v)),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(Error::Config(format!("{name} is not valid UTF-8"))),
    }
}

/// The newest module of `enabled` (minor numbers, oldest first) not newer than `v`.
pub(crate) fn choose_module(enabled: &[u32], v: ApiVersion) -> Result<ApiVersion> {
    let list = || {
        enabled
            .iter()
            .map(|m| format!("v1_{m}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if v.major != 1 {
        return Err(Error::Version(format!(
            "API v{v} is not a 1.x version; enabled modules: {}",
            list()
        )));
    }
    enabled
        .iter()
        .rev()
        .find(|m| **m <= v.minor)
        .map(|m| ApiVersion::v1(*m))
        .ok_or_else(|| {
            Error::Version(format!(
                "the daemon's API v{v} is older than every enabled version module ({}); enable the `v1_{}` \
             feature (or an older one)",
                list(),
                v.minor
            ))
        })
}

/// The version on the wire, the module that decodes it, and what the daemon said.
///
/// Negotiated: the newest enabled module not newer than the daemon, talking its own version;
/// for a daemon older than every enabled module, the oldest module, talking the daemon's
/// version (as the Go SDK does: fields and operations the daemon lacks are ignored or
/// refused by it). Pinned: the pin on the wire, decoded by the newest module not newer (or the
/// oldest). Either way the daemon's `/version` must accept the wire version.
async fn negotiate(
    link: &Link,
    pin: Option<ApiVersion>,
) -> Result<(ApiVersion, ApiVersion, Option<DaemonVersions>)> {
    let (max, os_type) = ping(link).await?;
    let (wire, module) = select(ENABLED_MINORS, max, pin)?;
    let min = min_version(link, wire).await?;
    Ok((wire, module, Some(DaemonVersions { max, min, os_type })))
}

/// The wire version and the module (see [`negotiate`]) for a daemon whose newest version is
/// `max`, with modules `enabled` (oldest first).
pub(crate) fn select(
    enabled: &[u32],
    max: ApiVersion,
    pin: Option<ApiVersion>,
) -> Result<(ApiVersion, ApiVersion)> {
    let wanted = pin.unwrap_or(max);
    let module = match choose_module(enabled, wanted) {
        Ok(module) => module,
        Err(e) if wanted.major != 1 => return Err(e),
        Err(e) => enabled.first().map(|m| ApiVersion::v1(*m)).ok_or(e)?,
    };
    Ok((pin.unwrap_or_else(|| module.min(max)), module))
}

/// `HEAD /_ping` (GET when HEAD is refused): the daemon's newest API version and OS type.
async fn ping(link: &Link) -> Result<(ApiVersion, Option<String>)> {
    let head = link.request(Method::HEAD, None, &["_ping"])?;
    let resp = match link.send(head).await {
        Ok(resp) => resp,
        Err(Error::Daemon { .. }) => link.send(link.request(Method::GET, None, &["_ping"])?).await?,
        Err(e) => return Err(e),
    };
    // Header names are case-insensitive (the daemon sends `Api-Version`, `Ostype`).
    let header = |name: &str| {
        resp.headers()
            .get(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
    };
    let max = header("api-version").ok_or_else(|| {
        Error::Protocol("/_ping has no Api-Version header; set DOCKER_API_VERSION to talk to it".into())
    })?;
    let max = max
        .parse()
        .map_err(|_| Error::Protocol(daemon_version_error("Api-Version of /_ping", &max)))?;
    Ok((max, header("ostype").map(|o| o.chars().take(64).collect())))
}

/// `GET /vX.Y/version`: the daemon's oldest API version; fails when it rejects `wire`.
async fn min_version(link: &Link, wire: ApiVersion) -> Result<Option<ApiVersion>> {
    #[derive(serde::Deserialize)]
    struct Version {
        #[serde(rename = "MinAPIVersion")]
        min: Option<String>,
    }
    let request = link.request(Method::GET, Some(wire), &["version"])?;
    let version: Version = link.json(request).await.map_err(|e| match e {
        Error::Daemon { status: 400, message } => {
            Error::Version(format!("the daemon rejected API v{wire}: {message}"))
        }
        other => other,
    })?;
    let parse = |m: String| {
        m.parse()
            .map_err(|_| Error::Protocol(daemon_version_error("MinAPIVersion of /version", &m)))
    };
    version.min.map(parse).transpose()
}

/// The message for a version string from the daemon that is not `MAJOR.MINOR`.
fn daemon_version_error(what: &str, value: &str) -> String {
    let shown: String = value.chars().take(40).collect();
    format!("its {what} is `{shown}`, not an API version (MAJOR.MINOR)")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The negotiation table of the crate docs (daemon × enabled modules → module, wire).
    #[test]
    fn selects_the_module_and_the_wire_version() {
        let v = ApiVersion::v1;
        let cases = [
            // daemon max, enabled, pin => (wire, module)
            (41, &[55][..], None, (41, 55)),
            (51, &[55], None, (51, 55)),
            (41, &[25, 41, 51], None, (41, 41)),
            (45, &[25, 41, 51], None, (41, 41)),
            (60, &[25, 41, 51], None, (51, 51)),
            (41, &[51, 55], None, (41, 51)),
            (51, &[41, 55], Some(30), (30, 41)),
            (51, &[41, 55], Some(45), (45, 41)),
            (51, &[41, 55], Some(99), (99, 55)),
        ];
        for (max, enabled, pin, (wire, module)) in cases {
            let got = select(enabled, v(max), pin.map(v)).unwrap();
            assert_eq!(
                got,
                (v(wire), v(module)),
                "daemon {max}, modules {enabled:?}, pin {pin:?}"
            );
        }
        assert!(matches!(
            select(&[41], ApiVersion { major: 2, minor: 0 }, None),
            Err(Error::Version(_))
        ));
    }

    #[test]
    fn chooses_the_newest_module_not_newer_than_the_daemon() {
        let enabled = [25, 41, 51];
        assert_eq!(
            choose_module(&enabled, ApiVersion::v1(41)).unwrap(),
            ApiVersion::v1(41)
        );
        assert_eq!(
            choose_module(&enabled, ApiVersion::v1(45)).unwrap(),
            ApiVersion::v1(41)
        );
        // A daemon newer than every module: the newest module.
        assert_eq!(
            choose_module(&enabled, ApiVersion::v1(60)).unwrap(),
            ApiVersion::v1(51)
        );
        // Older than every module: a clear error naming the feature to enable.
        let err = choose_module(&enabled, ApiVersion::v1(24))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("older than every enabled version module") && err.contains("`v1_24`"),
            "{err}"
        );
        assert!(matches!(
            choose_module(&enabled, ApiVersion { major: 2, minor: 0 }),
            Err(Error::Version(_))
        ));
    }
}
