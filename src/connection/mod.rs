//! The connection to a daemon: where it listens, and the HTTP client that reaches it. A new
//! transport touches this module (and [`Error`]'s variants) only.
//!
//! - `endpoint.rs`: `DOCKER_HOST` addresses ([`Endpoint`]), parsed strictly;
//! - `tls.rs`: TLS to `tcp://` daemons ([`TlsConfig`], the `tls` feature);
//! - `ssh.rs`: `ssh://` daemons, through a local socket whose connections run `ssh`;
//! - here: the [`Link`] of a [`Docker`](crate::Docker), built for its endpoint (a unix socket,
//!   TCP with or without TLS, the ssh tunnel's socket), and the transport errors, classified
//!   and explained (a failed `ssh` says why).
//!
//! The requests themselves go through `request.rs`.

mod endpoint;
mod ssh;
mod tls;

pub use endpoint::{DEFAULT_SOCKET, Endpoint};
pub(crate) use endpoint::{Host, split_authority};
pub use ssh::SshTarget;
use ssh::SshTunnel;
pub use tls::TlsConfig;

use crate::error::{ConnectReason, Error, Result};
use std::time::Duration;

/// How long connecting may take by default: dialing, and all of [`DockerBuilder::connect`]
/// (ping and version negotiation).
///
/// [`DockerBuilder::connect`]: crate::DockerBuilder::connect
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

/// Idle connections kept per daemon by default; more concurrent requests open more
/// connections, closed when they finish.
pub const DEFAULT_MAX_IDLE: usize = 8;

/// How long an idle pooled connection is kept.
pub const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(30);

/// Timeouts and pool size of the HTTP client. Requests have no timeout by default: logs,
/// events, attach and wait legitimately last as long as the container does.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    pub connect: Duration,
    pub request: Option<Duration>,
    pub read: Option<Duration>,
    pub max_idle: usize,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: DEFAULT_CONNECT_TIMEOUT,
            request: None,
            read: None,
            max_idle: DEFAULT_MAX_IDLE,
        }
    }
}

/// What every request of one client shares: where the daemon is and how to reach it.
#[derive(Debug)]
pub(crate) struct Link {
    pub endpoint: Endpoint,
    pub http: reqwest::Client,
    /// `http://docker.sock` (unix, ssh) or `http[s]://host:port`, without a trailing `/`.
    pub base: String,
    /// The local end of an `ssh://` endpoint's tunnel, alive as long as the link.
    pub tunnel: Option<SshTunnel>,
}

impl Link {
    /// The link to `endpoint`: for `ssh://`, its tunnel started (`ssh_options` before the
    /// host), then the HTTP client.
    pub fn open(
        endpoint: Endpoint,
        timeouts: Timeouts,
        tls: Option<&TlsConfig>,
        ssh_options: &[String],
    ) -> Result<Link> {
        let tunnel = match &endpoint {
            Endpoint::Ssh(target) => {
                let args = target.command_args(ssh_options, Some(timeouts.connect));
                let tunnel = SshTunnel::start(args)
                    .map_err(|e| Error::Config(format!("cannot start the ssh tunnel for {endpoint}: {e}")))?;
                Some(tunnel)
            }
            _ => None,
        };
        let socket = tunnel.as_ref().map(|t| t.socket());
        let http = http_client(&endpoint, timeouts, tls, socket.as_deref())?;
        Ok(Link {
            base: endpoint.base_url(tls),
            endpoint,
            http,
            tunnel,
        })
    }

    /// Classifies a transport error (see [`transport_error`]); for an `ssh://` endpoint whose
    /// `ssh` process failed, its reason.
    pub fn error(&self, e: reqwest::Error) -> Error {
        self.explain(transport_error(&self.endpoint, e))
    }

    /// A transport error of an `ssh://` endpoint whose `ssh` process failed, explained by it.
    pub fn explain(&self, err: Error) -> Error {
        let transport = matches!(
            err,
            Error::Http(_) | Error::Connect { .. } | Error::ConnectionLost { .. }
        );
        match self
            .tunnel
            .as_ref()
            .filter(|_| transport)
            .and_then(SshTunnel::take_failure)
        {
            Some(why) => Error::Connect {
                endpoint: self.endpoint.to_string(),
                reason: ConnectReason::Ssh(why),
                source: Box::new(err),
            },
            None => err,
        }
    }
}

/// Builds the reqwest client for `endpoint` (TLS applies to `tcp://` only, as with the CLI);
/// `tunnel` is the local socket of an `ssh://` endpoint's tunnel.
pub(crate) fn http_client(
    endpoint: &Endpoint,
    timeouts: Timeouts,
    tls: Option<&TlsConfig>,
    tunnel: Option<&std::path::Path>,
) -> Result<reqwest::Client> {
    // No redirect is followed: a 3xx is an error (`Error::Redirect`), so no request and no
    // credential in it goes anywhere but the daemon the user named.
    let mut b = reqwest::Client::builder()
        .no_proxy()
        .http1_only()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(timeouts.connect)
        .pool_max_idle_per_host(timeouts.max_idle)
        .pool_idle_timeout(POOL_IDLE_TIMEOUT);
    #[cfg(feature = "tls")]
    {
        b = b.tls_backend_preconfigured(tls::unused_client_config());
    }
    if let (Some(tls), Endpoint::Tcp { .. }) = (tls, endpoint) {
        #[cfg(feature = "tls")]
        {
            b = b.tls_backend_preconfigured(tls.client_config()?);
        }
        #[cfg(not(feature = "tls"))]
        return Err(Error::Config(format!(
            "TLS is configured (certificates in {}), but docker-engine-api was built without its `tls` feature",
            tls.dir().display()
        )));
    }
    if let Some(t) = timeouts.request {
        b = b.timeout(t);
    }
    if let Some(t) = timeouts.read {
        b = b.read_timeout(t);
    }
    match (endpoint, tunnel) {
        (Endpoint::Unix(path), _) => b = b.unix_socket(path.clone()),
        (Endpoint::Ssh(_), Some(socket)) => b = b.unix_socket(socket),
        (Endpoint::Ssh(_), None) => return Err(Error::Config("an ssh:// endpoint needs its tunnel".into())),
        (Endpoint::Tcp { .. }, _) => {}
    }
    b.build()
        .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))
}

/// Classifies a transport error: timeout, connection failure (with the OS reason), or other.
/// The request URL is dropped from the error: on a unix socket or an ssh tunnel it is an
/// internal `http://docker.sock/...`, and the error names the endpoint as the user wrote it.
pub(crate) fn transport_error(endpoint: &Endpoint, e: reqwest::Error) -> Error {
    let e = e.without_url();
    if e.is_timeout() {
        return Error::Timeout {
            endpoint: Some(endpoint.to_string()),
        };
    }
    // A refused handshake shows when connecting, or (TLS 1.3: a client certificate the daemon
    // does not accept) at the first read.
    #[cfg(feature = "tls")]
    if let Some(why) = tls::tls_error(&e) {
        return Error::Connect {
            endpoint: endpoint.to_string(),
            reason: ConnectReason::Tls(why),
            source: Box::new(e),
        };
    }
    if e.is_connect() {
        let reason = io_kind(&e).map_or(ConnectReason::Other, |k| match k {
            std::io::ErrorKind::NotFound => ConnectReason::NotFound,
            std::io::ErrorKind::PermissionDenied => ConnectReason::PermissionDenied,
            std::io::ErrorKind::ConnectionRefused => ConnectReason::Refused,
            _ => ConnectReason::Other,
        });
        return Error::Connect {
            endpoint: endpoint.to_string(),
            reason,
            source: Box::new(e),
        };
    }
    // A build context that failed mid-stream: the file, not "error sending request".
    if let Some(file) = crate::build_context::failed_file(&e) {
        return Error::Io(file);
    }
    if connection_lost(&e) {
        return Error::ConnectionLost {
            endpoint: Some(endpoint.to_string()),
            source: Box::new(e),
        };
    }
    Error::Http(e)
}

/// Whether an error means the daemon closed or broke the connection before the response (or
/// its body) was complete: a daemon that died or restarted, a proxy that hung up.
pub(crate) fn connection_lost(e: &(dyn std::error::Error + 'static)) -> bool {
    use std::io::ErrorKind::*;
    let mut cur = Some(e);
    while let Some(err) = cur {
        if let Some(h) = err.downcast_ref::<hyper::Error>()
            && (h.is_incomplete_message() || h.is_closed() || h.is_canceled())
        {
            return true;
        }
        if let Some(io) = err.downcast_ref::<std::io::Error>()
            && matches!(
                io.kind(),
                UnexpectedEof | ConnectionReset | ConnectionAborted | BrokenPipe
            )
        {
            return true;
        }
        cur = err.source();
    }
    false
}

fn io_kind(e: &(dyn std::error::Error + 'static)) -> Option<std::io::ErrorKind> {
    let mut cur = Some(e);
    while let Some(err) = cur {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            return Some(io.kind());
        }
        cur = err.source();
    }
    None
}
