//! The facade's one error type, split by the phase in which something went wrong.

use crate::ApiVersion;
use std::fmt;

/// Everything that can go wrong talking to a daemon.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The configuration is invalid: a bad `DOCKER_HOST`, a bad version string, an unsupported
    /// transport.
    Config(String),
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
    /// A connect or request timeout expired. `endpoint` is the daemon's address; it is empty
    /// when a stream (logs, events, progress) timed out after its response began.
    Timeout {
        /// The daemon's address, or empty for a stream.
        endpoint: String,
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
    Version(String),
    /// The operation does not exist in the API version in use.
    NotAvailable {
        /// What was asked for (an operation, or `since 1.N` code).
        operation: String,
        /// The API version in use.
        version: ApiVersion,
    },
    /// The connection to the daemon closed or broke before the response was complete (the
    /// daemon died or restarted mid-request or mid-stream). `endpoint` is empty when a stream
    /// (logs, events, progress) lost it after its response began.
    ConnectionLost {
        /// The daemon's address, or empty for a stream.
        endpoint: String,
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
    Protocol(String),
    /// Something the daemon sent exceeds a limit of this client: a JSON-lines line longer than
    /// the stream's maximum, a JSON body larger than the facade reads. `limit` is in bytes.
    TooLarge {
        /// What was too large (a JSON-lines line, a response body).
        what: String,
        /// The limit it exceeded, in bytes.
        limit: usize,
    },
    /// Any other transport failure.
    Http(reqwest::Error),
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
    /// An I/O error outside reqwest (an upgraded connection, a reader given to a decoder).
    Io(std::io::Error),
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
            Error::Timeout { endpoint } if endpoint.is_empty() => f.write_str(
                "timed out reading a stream from the Docker daemon (a request timeout covers the whole body)",
            ),
            Error::Timeout { endpoint } => write!(f, "timed out talking to the Docker daemon at {endpoint}"),
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
            Error::NotAvailable { operation, version } => {
                write!(f, "{operation} is not available in API v{version}")
            }
            Error::ConnectionLost { endpoint, .. } if endpoint.is_empty() => {
                f.write_str("the connection to the Docker daemon was lost mid-stream")
            }
            Error::ConnectionLost { endpoint, .. } => {
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
            Ok(e) if e.is_timeout() => Error::Timeout {
                endpoint: String::new(),
            },
            Ok(e) if crate::transport::connection_lost(&*e) => Error::ConnectionLost {
                endpoint: String::new(),
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
