//! The facade's one error type, split by the phase in which something went wrong.

use crate::ApiVersion;
use std::fmt;

/// Everything that can go wrong talking to a daemon.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The configuration is invalid: a bad `DOCKER_HOST`, a bad version string, an unsupported
    /// transport.
    Config(
        /// What is wrong, and where (the variable, file or value, credentials redacted).
        String,
    ),
    /// The daemon could not be reached at `endpoint` (socket missing, permission denied,
    /// connection refused).
    Connect {
        /// The daemon's address as the user gave it (no credentials).
        endpoint: String,
        /// What the operating system (or TLS, or ssh) said, as something to match on.
        reason: ConnectReason,
        /// The underlying error.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A connect, request or read timeout expired.
    Timeout {
        /// The daemon's address; `None` when a stream (logs, events, progress) timed out after
        /// its response began (its decoder does not know the address).
        endpoint: Option<String>,
    },
    /// The daemon answered with an error status; `message` is the daemon's own (its JSON
    /// `message`, or the body as text when it is not JSON).
    Daemon {
        /// The HTTP status (404 for a missing object, 409 for a conflict, ...).
        status: u16,
        /// The daemon's message, at most [`MAX_ERROR_BODY`](crate::MAX_ERROR_BODY) bytes.
        message: String,
    },
    /// A response body did not decode into the expected type.
    Decode {
        /// serde_json's message, with the JSON path of the failing member.
        message: String,
        /// Line of the failure in the body, from 1.
        line: usize,
        /// Column of the failure in that line, from 1.
        column: usize,
        /// The body around the failure, shortened.
        excerpt: String,
    },
    /// No enabled version module can talk to this daemon, or the daemon rejected the version.
    Version(
        /// The versions involved (the daemon's, the enabled modules', a pin).
        String,
    ),
    /// Code for a newer API than the one on the wire: `with_api!(.., since = 1.N, ..)` when
    /// the connection talks an older version (an older daemon, an older module or a pin).
    NotAvailable {
        /// The first API version with the operation (the `since` of `with_api!`).
        since: ApiVersion,
        /// The API version on the wire ([`Api::wire_version`](crate::Api::wire_version)).
        version: ApiVersion,
    },
    /// The connection to the daemon closed or broke before the response was complete (the
    /// daemon died or restarted mid-request or mid-stream).
    ConnectionLost {
        /// The daemon's address; `None` when a stream (logs, events, progress) lost it after
        /// its response began (its decoder does not know the address).
        endpoint: Option<String>,
        /// The underlying error.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The daemon answered with a redirect, which is never followed (credentials in the request
    /// must not go anywhere else); `location` is its `Location` header, cut at 512 characters.
    Redirect {
        /// The 3xx status.
        status: u16,
        /// Where the daemon pointed to.
        location: Option<String>,
    },
    /// The daemon sent something that is not valid Docker API (a malformed `Api-Version`
    /// header, a missing or corrupt header the operation needs).
    Protocol(
        /// What the daemon sent, and what was expected.
        String,
    ),
    /// Something the daemon sent exceeds a limit of this client: a JSON-lines line longer than
    /// the stream's maximum, a JSON body larger than the facade reads. `limit` is in bytes.
    TooLarge {
        /// What was too large (a JSON-lines line, a response body).
        what: String,
        /// The limit it exceeded, in bytes.
        limit: usize,
    },
    /// Any other transport failure.
    Http(
        /// reqwest's error, without the request URL (an internal one on unix sockets).
        reqwest::Error,
    ),
    /// The daemon reported an error inside a stream it had answered with a success status: the
    /// `error`/`errorDetail` of a JSON-lines item (a failing build step, a pull of a missing
    /// image), or an error frame of a multiplexed stream. `code` is `errorDetail.code`.
    Stream {
        /// The daemon's message.
        message: String,
        /// `errorDetail.code`, when the daemon sent one.
        code: Option<i64>,
    },
    /// A multiplexed stream (logs, attach, exec output) lost its framing at byte `offset`: a
    /// malformed frame header, or the end of the stream inside a frame.
    Frame {
        /// Bytes of the stream read before the bad frame.
        offset: u64,
        /// What was wrong with it.
        message: String,
    },
    /// An I/O error outside reqwest (an upgraded connection, a reader given to a decoder, a
    /// file of a build context).
    Io(
        /// The error, as the operating system or the reader gave it.
        std::io::Error,
    ),
}

/// Why a connection failed, from the operating system's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConnectReason {
    /// The socket file or host does not exist.
    NotFound,
    /// The socket exists but this user may not open it.
    PermissionDenied,
    /// Nothing listens there.
    Refused,
    /// The TLS handshake failed (an unknown authority, a certificate for another host, a
    /// client certificate the daemon refused); rustls's reason.
    Tls(String),
    /// The `ssh` process of an `ssh://` endpoint failed (authentication, an unknown host key,
    /// no `docker` on the remote host); its exit status and standard error.
    Ssh(String),
    /// Any other reason (the [`Error::Connect`] source tells it).
    Other,
}

impl Error {
    /// The HTTP status of a daemon error.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Daemon { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Builds a decode error with the position and an excerpt of the body around it.
    pub(crate) fn decode(body: &[u8], e: &serde_json::Error) -> Self {
        let text = String::from_utf8_lossy(body);
        let offset = text
            .split_inclusive('\n')
            .take(e.line().saturating_sub(1))
            .map(str::len)
            .sum::<usize>()
            + e.column().saturating_sub(1);
        let start = floor_char(&text, offset.saturating_sub(60));
        let end = floor_char(&text, (offset + 60).min(text.len()));
        Error::Decode {
            message: e.to_string(),
            line: e.line(),
            column: e.column(),
            excerpt: text[start..end].to_string(),
        }
    }
}

/// The largest char boundary of `s` not after `i` (`i <= s.len()`).
pub(crate) fn floor_char(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config(m) => write!(f, "invalid configuration: {m}"),
            Error::Connect {
                endpoint,
                reason,
                source,
            } => {
                let why = match reason {
                    ConnectReason::NotFound => "it does not exist (is the daemon running?)",
                    ConnectReason::PermissionDenied => "permission denied (are you in the `docker` group?)",
                    ConnectReason::Refused => "connection refused",
                    ConnectReason::Tls(why) => {
                        return write!(f, "cannot connect to the Docker daemon at {endpoint}: TLS: {why}");
                    }
                    ConnectReason::Ssh(why) => {
                        return write!(f, "cannot connect to the Docker daemon at {endpoint}: {why}");
                    }
                    ConnectReason::Other => "connection failed",
                };
                // The OS's own words are the source's, not repeated here.
                let _ = source;
                write!(f, "cannot connect to the Docker daemon at {endpoint}: {why}")
            }
            Error::Timeout { endpoint: None } => f.write_str(
                "timed out reading a stream from the Docker daemon (a request timeout covers the whole body)",
            ),
            Error::Timeout {
                endpoint: Some(endpoint),
            } => write!(f, "timed out talking to the Docker daemon at {endpoint}"),
            Error::Daemon { status, message } => write!(f, "the daemon answered {status}: {message}"),
            Error::Decode {
                message,
                line,
                column,
                excerpt,
            } => {
                write!(
                    f,
                    "cannot decode the response at line {line}, column {column}: {message}; near `{excerpt}`"
                )
            }
            Error::Version(m) => write!(f, "API version: {m}"),
            Error::NotAvailable { since, version } => write!(
                f,
                "this operation needs API v{since} or newer; the connection talks v{version}"
            ),
            Error::ConnectionLost { endpoint: None, .. } => {
                f.write_str("the connection to the Docker daemon was lost mid-stream")
            }
            Error::ConnectionLost {
                endpoint: Some(endpoint),
                ..
            } => {
                write!(f, "the connection to the Docker daemon at {endpoint} was lost")
            }
            Error::Redirect { status, location } => write!(
                f,
                "the daemon answered {status} redirecting to {}; redirects are not followed",
                location.as_deref().unwrap_or("(no Location)")
            ),
            Error::Protocol(m) => write!(f, "the daemon sent an invalid response: {m}"),
            Error::TooLarge { what, limit } => write!(f, "{what} exceeds the limit of {limit} bytes"),
            Error::Http(e) => write!(f, "HTTP: {e}"),
            Error::Stream {
                message,
                code: Some(code),
            } => write!(f, "the daemon reported an error (code {code}): {message}"),
            Error::Stream { message, code: None } => write!(f, "the daemon reported an error: {message}"),
            Error::Frame { offset, message } => {
                write!(f, "malformed multiplexed stream at byte {offset}: {message}")
            }
            Error::Io(e) => write!(f, "I/O: {e}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Connect { source, .. } | Error::ConnectionLost { source, .. } => Some(source.as_ref()),
            // Their own message is in ours: the chain goes on from their source.
            Error::Http(e) => e.source(),
            Error::Io(e) => e.source(),
            _ => None,
        }
    }
}

/// What tokio-util codecs need of their error type. A response body read through
/// `tokio_util::io::StreamReader` reports reqwest's errors wrapped in `io::Error`: they come back
/// as [`Error::Http`] (and ours as themselves), so wrapping loses nothing.
impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        let wraps = |e: &std::io::Error| {
            e.get_ref()
                .is_some_and(|inner| inner.is::<reqwest::Error>() || inner.is::<Error>())
        };
        if !wraps(&e) {
            return Error::Io(e);
        }
        let inner = e.into_inner().expect("checked above");
        match inner.downcast::<reqwest::Error>() {
            Ok(e) if e.is_timeout() => Error::Timeout { endpoint: None },
            Ok(e) if crate::connection::connection_lost(&*e) => Error::ConnectionLost {
                endpoint: None,
                source: Box::new(e.without_url()),
            },
            Ok(e) => Error::Http(e.without_url()),
            Err(inner) => *inner.downcast::<Error>().expect("checked above"),
        }
    }
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_what_is_known() {
        let not_available = Error::NotAvailable {
            since: ApiVersion::v1(44),
            version: ApiVersion::v1(41),
        };
        assert_eq!(
            not_available.to_string(),
            "this operation needs API v1.44 or newer; the connection talks v1.41"
        );
        let timeout = Error::Timeout {
            endpoint: Some("unix:///x.sock".into()),
        };
        assert_eq!(
            timeout.to_string(),
            "timed out talking to the Docker daemon at unix:///x.sock"
        );
        let stream = Error::Timeout { endpoint: None }.to_string();
        assert!(stream.starts_with("timed out reading a stream"), "{stream}");
    }

    #[test]
    fn decode_errors_point_into_the_body() {
        let body = br#"{"Id":"abc","Created":"yesterday","Size":"large"}"#;
        let e = serde_json::from_slice::<std::collections::HashMap<String, u64>>(body).unwrap_err();
        let Error::Decode {
            line,
            column,
            excerpt,
            message,
        } = Error::decode(body, &e)
        else {
            panic!()
        };
        assert_eq!((line, column), (1, e.column()));
        assert!(excerpt.contains(r#""Id":"abc""#), "{excerpt}");
        assert!(message.contains("invalid type"), "{message}");
        // Multi-line bodies and multi-byte characters near the position.
        let body = "[\n  \"é\u{1F600}\",\n  oops\n]".as_bytes();
        let e = serde_json::from_slice::<Vec<String>>(body).unwrap_err();
        let Error::Decode { line, excerpt, .. } = Error::decode(body, &e) else {
            panic!()
        };
        assert_eq!(line, 3);
        assert!(excerpt.contains("oops"), "{excerpt}");
    }
}
