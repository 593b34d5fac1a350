//! Where the daemon listens (`DOCKER_HOST`) and the HTTP client that reaches it.

use crate::error::{ConnectReason, Error, Result};
pub use crate::ssh::SshTarget;
use crate::tls::TlsConfig;
use std::path::PathBuf;
use std::time::Duration;

/// The default socket of a local daemon.
pub const DEFAULT_SOCKET: &str = "/var/run/docker.sock";

/// A daemon address, as `DOCKER_HOST` spells it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Endpoint {
    /// `unix:///var/run/docker.sock`
    Unix(PathBuf),
    /// `tcp://host:2375` or `http://host:2375`: HTTP, or HTTPS when the connection has a
    /// [`TlsConfig`].
    Tcp { host: String, port: u16 },
    /// `ssh://[user@]host[:port][/remote/socket]`: through `ssh` and `docker system dial-stdio`
    /// on that host, as the docker CLI does (see [`SshTarget`]).
    Ssh(SshTarget),
}

impl Endpoint {
    /// Parses a `DOCKER_HOST` value the way the docker CLI does.
    pub fn parse(s: &str) -> Result<Self> {
        let bad = |why: &str| Error::Config(format!("invalid DOCKER_HOST `{s}`: {why}"));
        let (scheme, rest) = s
            .split_once("://")
            .ok_or_else(|| bad("expected `unix://PATH`, `tcp://HOST:PORT` or `ssh://[USER@]HOST`"))?;
        match scheme {
            "unix" => {
                if rest.is_empty() {
                    return Ok(Endpoint::Unix(DEFAULT_SOCKET.into()));
                }
                if !rest.starts_with('/') {
                    return Err(bad("the socket path must be absolute"));
                }
                Ok(Endpoint::Unix(rest.into()))
            }
            "tcp" | "http" => {
                let authority = rest.trim_end_matches('/');
                if authority.is_empty() || authority.contains('/') {
                    return Err(bad("expected HOST:PORT without a path"));
                }
                let (host, port) = match authority.rsplit_once(':') {
                    Some((h, p)) if !h.ends_with(':') || h.starts_with('[') => {
                        (h, p.parse::<u16>().map_err(|_| bad("the port is not a number"))?)
                    }
                    _ => (authority, 2375),
                };
                if host.is_empty() {
                    return Err(bad("the host is empty"));
                }
                Ok(Endpoint::Tcp {
                    host: host.to_string(),
                    port,
                })
            }
            "https" => Err(bad(
                "write `tcp://` and configure TLS (DOCKER_TLS_VERIFY, DOCKER_CERT_PATH)",
            )),
            "npipe" => Err(bad("named pipes exist only on Windows")),
            "ssh" => SshTarget::parse(rest).map(Endpoint::Ssh).map_err(bad),
            "fd" => Err(bad("the `fd` transport is not supported")),
            _ => Err(bad(&format!("unknown scheme `{scheme}`"))),
        }
    }

    /// The base URL requests go to (the host part is ignored on a unix socket).
    pub(crate) fn base_url(&self, tls: Option<&TlsConfig>) -> String {
        match self {
            Endpoint::Unix(_) | Endpoint::Ssh(_) => "http://docker.sock".to_string(),
            Endpoint::Tcp { host, port } if tls.is_some() => format!("https://{host}:{port}"),
            Endpoint::Tcp { host, port } => format!("http://{host}:{port}"),
        }
    }
}

impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Endpoint::Unix(p) => write!(f, "unix://{}", p.display()),
            Endpoint::Tcp { host, port } => write!(f, "tcp://{host}:{port}"),
            Endpoint::Ssh(target) => target.fmt(f),
        }
    }
}

/// Timeouts of the HTTP client. Requests have none by default: logs, events, attach and wait
/// legitimately last as long as the container does.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timeouts {
    pub connect: Option<Duration>,
    pub request: Option<Duration>,
}

/// Builds the reqwest client for `endpoint` (TLS applies to `tcp://` only, as with the CLI);
/// `tunnel` is the local socket of an `ssh://` endpoint's tunnel.
pub(crate) fn http_client(
    endpoint: &Endpoint,
    timeouts: Timeouts,
    tls: Option<&TlsConfig>,
    tunnel: Option<&std::path::Path>,
) -> Result<reqwest::Client> {
    let mut b = reqwest::Client::builder().no_proxy().http1_only();
    #[cfg(feature = "tls")]
    {
        b = b.tls_backend_preconfigured(crate::tls::unused_client_config());
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
    if let Some(t) = timeouts.connect {
        b = b.connect_timeout(t);
    }
    if let Some(t) = timeouts.request {
        b = b.timeout(t);
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
pub(crate) fn transport_error(endpoint: &Endpoint, e: reqwest::Error) -> Error {
    if e.is_timeout() {
        return Error::Timeout {
            endpoint: endpoint.to_string(),
        };
    }
    // A refused handshake shows when connecting, or (TLS 1.3: a client certificate the daemon
    // does not accept) at the first read.
    #[cfg(feature = "tls")]
    if let Some(why) = crate::tls::tls_error(&e) {
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
    Error::Http(e)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_docker_host() {
        assert_eq!(
            Endpoint::parse("unix:///run/x.sock").unwrap(),
            Endpoint::Unix("/run/x.sock".into())
        );
        assert_eq!(
            Endpoint::parse("unix://").unwrap(),
            Endpoint::Unix(DEFAULT_SOCKET.into())
        );
        let tcp = |h: &str, p| Endpoint::Tcp {
            host: h.into(),
            port: p,
        };
        assert_eq!(
            Endpoint::parse("tcp://127.0.0.1:2375").unwrap(),
            tcp("127.0.0.1", 2375)
        );
        assert_eq!(
            Endpoint::parse("tcp://localhost").unwrap(),
            tcp("localhost", 2375)
        );
        assert_eq!(
            Endpoint::parse("http://localhost:8080/").unwrap(),
            tcp("localhost", 8080)
        );
        assert_eq!(Endpoint::parse("tcp://[::1]:2375").unwrap(), tcp("[::1]", 2375));
        let ssh = Endpoint::parse("ssh://me@build.example:2222").unwrap();
        assert!(matches!(&ssh, Endpoint::Ssh(t) if t.host == "build.example" && t.port == Some(2222)));
        assert_eq!(ssh.to_string(), "ssh://me@build.example:2222");
        for bad in [
            "",
            "/var/run/docker.sock",
            "unix://relative",
            "tcp://",
            "tcp://h:port",
            "tcp://h:1/x",
            "ssh://",
            "ssh://u@-oProxyCommand=x",
            "npipe:////./pipe/docker_engine",
            "https://h:2376",
            "foo://x",
        ] {
            assert!(matches!(Endpoint::parse(bad), Err(Error::Config(_))), "{bad}");
        }
    }
}
