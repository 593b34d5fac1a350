//! A daemon that misbehaves on purpose, for the faults no real daemon produces (and for tests
//! that need a daemon without its side effects): an HTTP/1.1 server on loopback TCP or a unix
//! socket whose answers a test scripts per request.

use bytes::Bytes;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};

/// A request as the fake daemon saw it.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// The request target as sent: path and query, still percent-encoded.
    pub target: String,
    /// Header lines, `name: value`, names lowercased.
    pub headers: Vec<String>,
    pub body: Vec<u8>,
}

impl Request {
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }
}

/// What to answer.
pub enum Reply {
    /// These bytes (a whole response), then the next request on the same connection.
    Raw(Vec<u8>),
    /// A response head, then the body's chunks as they are produced (with a pause between
    /// them), then close the connection.
    Streamed {
        head: String,
        chunks: Box<dyn Iterator<Item = Bytes> + Send>,
        pause: Duration,
    },
    /// These bytes after a pause (a slow daemon), then the next request.
    Slow(Duration, Vec<u8>),
    /// Never answer; keep the connection open.
    Silent,
}

impl Reply {
    /// A complete response with a body.
    pub fn full(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
        let mut head = format!("HTTP/1.1 {status}\r\ncontent-length: {}\r\n", body.len());
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        Reply::Raw([head.as_bytes(), body].concat())
    }

    pub fn json(status: &str, body: &str) -> Reply {
        Reply::full(status, &[("content-type", "application/json")], body.as_bytes())
    }

    /// What a 1.41 daemon answers to `/_ping` and `/vX.Y/version` (a lenient one: it accepts
    /// any version), or `None` for other paths.
    pub fn negotiation(req: &Request) -> Option<Reply> {
        let version = req
            .path()
            .strip_prefix("/v")
            .and_then(|p| p.strip_suffix("/version"));
        match req.path() {
            "/_ping" => Some(Reply::full(
                "200 OK",
                &[("api-version", "1.41"), ("ostype", "linux")],
                b"OK",
            )),
            _ if version.is_some_and(|v| !v.contains('/')) => Some(Reply::json(
                "200 OK",
                r#"{"ApiVersion":"1.41","MinAPIVersion":"1.12"}"#,
            )),
            _ => None,
        }
    }

    /// Closes the connection without an answer.
    pub fn hang_up() -> Reply {
        Reply::Streamed {
            head: String::new(),
            chunks: Box::new(std::iter::empty()),
            pause: Duration::ZERO,
        }
    }
}

type Handler = Arc<dyn Fn(&Request) -> Reply + Send + Sync>;

/// A running fake daemon; it stops with the test's runtime.
pub struct Fake {
    /// `tcp://127.0.0.1:PORT` or `unix:///tmp/...`.
    pub host: String,
    pub requests: Arc<Mutex<Vec<Request>>>,
    /// Connections open right now.
    pub open: Arc<AtomicUsize>,
    /// The directory of a unix socket, removed with the fake.
    dir: Option<std::path::PathBuf>,
}

impl Drop for Fake {
    fn drop(&mut self) {
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

impl Fake {
    /// On loopback TCP.
    pub async fn tcp(handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> Fake {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let host = format!("tcp://{}", listener.local_addr().unwrap());
        let fake = Fake::new(host);
        let (handler, requests, open): (Handler, _, _) =
            (Arc::new(handler), fake.requests.clone(), fake.open.clone());
        tokio::spawn(async move {
            while let Ok((conn, _)) = listener.accept().await {
                tokio::spawn(serve(conn, handler.clone(), requests.clone(), open.clone()));
            }
        });
        fake
    }

    /// On a unix socket in a directory of its own.
    pub async fn unix(handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> Fake {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "dea-fake-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let socket = dir.join("docker.sock");
        let listener = tokio::net::UnixListener::bind(&socket).unwrap();
        let mut fake = Fake::new(format!("unix://{}", socket.display()));
        fake.dir = Some(dir);
        let (handler, requests, open): (Handler, _, _) =
            (Arc::new(handler), fake.requests.clone(), fake.open.clone());
        tokio::spawn(async move {
            while let Ok((conn, _)) = listener.accept().await {
                tokio::spawn(serve(conn, handler.clone(), requests.clone(), open.clone()));
            }
        });
        fake
    }

    fn new(host: String) -> Fake {
        Fake {
            host,
            requests: Arc::default(),
            open: Arc::default(),
            dir: None,
        }
    }

    /// The requests so far, as `METHOD target`.
    pub fn lines(&self) -> Vec<String> {
        let requests = self.requests.lock().unwrap();
        requests
            .iter()
            .map(|r| format!("{} {}", r.method, r.target))
            .collect()
    }
}

/// Counts a connection while it is open.
struct OpenGuard(Arc<AtomicUsize>);

impl Drop for OpenGuard {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

async fn serve<C: AsyncRead + AsyncWrite + Unpin>(
    conn: C,
    handler: Handler,
    requests: Arc<Mutex<Vec<Request>>>,
    open: Arc<AtomicUsize>,
) {
    open.fetch_add(1, Ordering::SeqCst);
    let _guard = OpenGuard(open);
    let mut conn = BufReader::new(conn);
    while let Some(req) = read_request(&mut conn).await {
        requests.lock().unwrap().push(req.clone());
        match handler(&req) {
            Reply::Raw(mut bytes) => {
                // A response to HEAD has no body, whatever its length says.
                if req.method == "HEAD"
                    && let Some(end) = bytes.windows(4).position(|w| w == b"\r\n\r\n")
                {
                    bytes.truncate(end + 4);
                }
                if conn.write_all(&bytes).await.is_err() {
                    return;
                }
            }
            Reply::Slow(pause, bytes) => {
                tokio::time::sleep(pause).await;
                if conn.write_all(&bytes).await.is_err() {
                    return;
                }
            }
            Reply::Streamed { head, chunks, pause } => {
                if conn.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                for chunk in chunks {
                    if conn.write_all(&chunk).await.is_err() {
                        return;
                    }
                    if !pause.is_zero() {
                        tokio::time::sleep(pause).await;
                    }
                }
                let _ = conn.shutdown().await;
                return;
            }
            Reply::Silent => {
                // Hold the connection until the client gives up.
                let mut sink = [0u8; 1024];
                while conn.read(&mut sink).await.is_ok_and(|n| n > 0) {}
                return;
            }
        }
    }
}

/// Reads one request (a body by `content-length` only); `None` at the end of the connection.
async fn read_request<R: AsyncRead + Unpin>(conn: &mut BufReader<R>) -> Option<Request> {
    let mut line = String::new();
    if conn.read_line(&mut line).await.ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next()?.to_string(), parts.next()?.to_string());
    let mut headers = Vec::new();
    let mut length = 0;
    loop {
        let mut h = String::new();
        conn.read_line(&mut h).await.ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (name, value) = h.split_once(':')?;
        let (name, value) = (name.trim().to_ascii_lowercase(), value.trim());
        if name == "content-length" {
            length = value.parse().ok()?;
        }
        headers.push(format!("{name}: {value}"));
    }
    let mut body = vec![0; length];
    conn.read_exact(&mut body).await.ok()?;
    Some(Request {
        method,
        target,
        headers,
        body,
    })
}
