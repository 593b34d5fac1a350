//! Container output (logs, attach and exec bodies) as a stream of [`LogChunk`]s, and where its
//! framing comes from.

use super::{BodyReader, FrameDecoder, Framing, LogChunk, body_reader};
use crate::error::Result;
use crate::{ApiVersion, ByteStream, Docker, ResponseValue};
use futures_util::Stream;
use progenitor_client::ClientInfo;
use serde::Deserialize;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio_util::codec::FramedRead;

/// What [`logs`] asks for: the query parameters of `GET /containers/{id}/logs`.
///
/// [`LogsOptions::new`] (also the default) is what `docker logs` shows: stdout and stderr,
/// the whole log, without timestamps, not following.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogsOptions {
    stdout: bool,
    stderr: bool,
    follow: bool,
    timestamps: bool,
    details: bool,
    tail: Option<u64>,
    since: Option<String>,
    until: Option<String>,
}

impl Default for LogsOptions {
    fn default() -> LogsOptions {
        LogsOptions::new()
    }
}

impl LogsOptions {
    /// Stdout and stderr, all of the log, no timestamps, no follow.
    pub fn new() -> LogsOptions {
        LogsOptions {
            stdout: true,
            stderr: true,
            follow: false,
            timestamps: false,
            details: false,
            tail: None,
            since: None,
            until: None,
        }
    }

    /// Whether to include stdout (default `true`; a TTY's output is all stdout).
    pub fn stdout(mut self, stdout: bool) -> LogsOptions {
        self.stdout = stdout;
        self
    }

    /// Whether to include stderr (default `true`).
    pub fn stderr(mut self, stderr: bool) -> LogsOptions {
        self.stderr = stderr;
        self
    }

    /// Keeps the stream open and goes on with new output until the container stops.
    pub fn follow(mut self, follow: bool) -> LogsOptions {
        self.follow = follow;
        self
    }

    /// Prefixes every line with its RFC 3339 time (inside the chunk's bytes).
    pub fn timestamps(mut self, timestamps: bool) -> LogsOptions {
        self.timestamps = timestamps;
        self
    }

    /// Adds the extra attributes of the log driver (`--log-opt labels=…`) to every line.
    pub fn details(mut self, details: bool) -> LogsOptions {
        self.details = details;
        self
    }

    /// Only the last `lines` lines (default: all).
    pub fn tail(mut self, lines: u64) -> LogsOptions {
        self.tail = Some(lines);
        self
    }

    /// Only output since this time: Unix seconds (`1700000000`, `1700000000.5`), an RFC 3339
    /// date, or a Go duration back from now (`10m`).
    pub fn since(mut self, time: impl fmt::Display) -> LogsOptions {
        self.since = Some(time.to_string());
        self
    }

    /// Only output before this time (API 1.35+; older daemons ignore it), as for
    /// [`since`](Self::since).
    pub fn until(mut self, time: impl fmt::Display) -> LogsOptions {
        self.until = Some(time.to_string());
        self
    }

    fn query(&self) -> Vec<(&'static str, String)> {
        let mut q = vec![
            ("stdout", self.stdout.to_string()),
            ("stderr", self.stderr.to_string()),
        ];
        for (key, on) in [
            ("follow", self.follow),
            ("timestamps", self.timestamps),
            ("details", self.details),
        ] {
            if on {
                q.push((key, "true".into()));
            }
        }
        q.extend(self.tail.map(|n| ("tail", n.to_string())));
        q.extend(self.since.clone().map(|t| ("since", t)));
        q.extend(self.until.clone().map(|t| ("until", t)));
        q
    }
}

/// Container `id`'s logs, decoded: the framing comes from the response's `Content-Type`
/// ([`Framing::of_logs`]), so a daemon of API 1.42 or newer needs no other request; older ones
/// (Docker 20.10, or a connection pinned below 1.42) are asked for the container's `Tty` flag
/// ([`container_framing`]) once the logs have answered.
///
/// ```no_run
/// use docker_engine_api::{Docker, streams::{self, LogsOptions}};
/// use futures_util::TryStreamExt;
///
/// # async fn demo(docker: Docker) -> Result<(), docker_engine_api::Error> {
/// let mut logs = streams::logs(&docker, "web", LogsOptions::new().tail(100).follow(true)).await?;
/// while let Some(chunk) = logs.try_next().await? {
///     print!("{:?}: {}", chunk.stream, String::from_utf8_lossy(&chunk.bytes));
/// }
/// # Ok(()) }
/// ```
pub async fn logs(docker: &Docker, id: &str, options: LogsOptions) -> Result<LogStream> {
    let mut url = docker.url(&["containers", id, "logs"])?;
    url.query_pairs_mut().extend_pairs(options.query());
    let response = docker.link().send(docker.http().get(url)).await?;
    log_stream_of(
        docker,
        id,
        ResponseValue::stream(response),
        Some(docker.api_version()),
    )
    .await
}

/// Decodes the response of a generated `container_logs` request, taking the framing from its
/// `Content-Type` where that tells ([`Framing::of_logs`]) and from an inspect of container `id`
/// where not. `client` is the generated client that made the request: the `/vX.Y` of its
/// base URL is the request's API version, which says whether the `Content-Type` can be trusted.
/// Errors are mapped as by [`Docker::call`].
///
/// ```no_run
/// use docker_engine_api::{Docker, streams, with_api};
///
/// # async fn demo(docker: Docker) -> Result<(), docker_engine_api::Error> {
/// let logs = with_api!(docker.api(), async |client, _api| {
///     let request = client.container_logs().id("web").stdout(true).stderr(true).send();
///     streams::log_stream_from(&docker, client, "web", request).await
/// })?;
/// println!("{:?}", logs.framing());
/// # Ok(()) }
/// ```
pub async fn log_stream_from<C, E>(
    docker: &Docker,
    client: &C,
    id: &str,
    request: impl Future<Output = std::result::Result<ResponseValue<ByteStream>, progenitor_client::Error<E>>>,
) -> Result<LogStream>
where
    C: ClientInfo<()>,
    E: serde::Serialize,
{
    let response = match request.await {
        Ok(response) => response,
        Err(e) => return Err(docker.link().map_generated(e).await),
    };
    log_stream_of(docker, id, response, request_version(client.baseurl())).await
}

/// The API version of a generated client's base URL, `http://…/v1.51`.
fn request_version(base_url: &str) -> Option<ApiVersion> {
    let last = base_url.trim_end_matches('/').rsplit('/').next()?;
    last.strip_prefix('v')?.parse().ok()
}

async fn log_stream_of(
    docker: &Docker,
    id: &str,
    response: ResponseValue<ByteStream>,
    version: Option<ApiVersion>,
) -> Result<LogStream> {
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let framing = match version {
        Some(version) => Framing::of_logs(content_type, version),
        // Of an unknown request version only `multiplexed-stream` tells.
        None => Framing::decide(None, content_type),
    };
    let framing = match framing {
        Some(framing) => framing,
        None => container_framing(docker, id).await?,
    };
    Ok(log_stream(response.into_inner(), framing))
}

/// Container output decoded as it arrives: `Ok` chunks in the daemon's order, ending with the
/// body; an error (transport, malformed frame, the daemon's error frame) is the last item.
pub struct LogStream<R = BodyReader> {
    inner: FramedRead<R, FrameDecoder>,
}

/// Decodes a logs, attach or exec body (`docker.call(client.container_logs()…send())`) with the
/// framing from [`container_framing`], [`exec_framing`] or [`Framing::decide`]. (For logs,
/// [`logs`] and [`log_stream_from`] find the framing themselves, mostly without an inspect.)
pub fn log_stream(body: ByteStream, framing: Framing) -> LogStream {
    LogStream::from_reader(body_reader(body), framing)
}

impl<R> LogStream<R> {
    /// Decodes output from any `tokio::io::AsyncRead` (an upgraded attach connection, a file).
    pub fn from_reader(reader: R, framing: Framing) -> LogStream<R> {
        LogStream {
            inner: FramedRead::new(reader, FrameDecoder::new(framing)),
        }
    }

    /// The framing the stream is decoded with.
    pub fn framing(&self) -> Framing {
        self.inner.decoder().framing()
    }
}

// Bounded through `FramedRead` so that tokio need not be a dependency just to name `AsyncRead`.
impl<R> Stream for LogStream<R>
where
    FramedRead<R, FrameDecoder>: Stream<Item = Result<LogChunk>> + Unpin,
{
    type Item = Result<LogChunk>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Pin::new(&mut self.inner).poll_next(cx)
    }
}

impl<R> std::fmt::Debug for LogStream<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LogStream")
            .field("decoder", self.inner.decoder())
            .finish_non_exhaustive()
    }
}

/// The framing of container `id`'s logs and attach output, from its `Config.Tty`.
pub async fn container_framing(docker: &Docker, id: &str) -> Result<Framing> {
    #[derive(Deserialize)]
    struct Inspect {
        #[serde(rename = "Config")]
        config: Option<Config>,
    }
    #[derive(Deserialize)]
    struct Config {
        #[serde(rename = "Tty")]
        tty: Option<bool>,
    }
    let inspect: Inspect = get_json(docker, &["containers", id, "json"]).await?;
    // Absent means Go's zero value (the daemon always sends it).
    Ok(Framing::from_tty(
        inspect.config.and_then(|c| c.tty).unwrap_or(false),
    ))
}

/// The framing of exec `id`'s output, from its `ProcessConfig.tty`.
pub async fn exec_framing(docker: &Docker, id: &str) -> Result<Framing> {
    #[derive(Deserialize)]
    struct Inspect {
        #[serde(rename = "ProcessConfig")]
        process_config: Option<ProcessConfig>,
    }
    #[derive(Deserialize)]
    struct ProcessConfig {
        tty: Option<bool>,
    }
    let inspect: Inspect = get_json(docker, &["exec", id, "json"]).await?;
    Ok(Framing::from_tty(
        inspect.process_config.and_then(|p| p.tty).unwrap_or(false),
    ))
}

/// `GET` of a versioned path, decoding only the fields `T` names: the `Tty` flags are in every
/// API version, so this needs no version module.
async fn get_json<T: serde::de::DeserializeOwned>(docker: &Docker, segments: &[&str]) -> Result<T> {
    let request = docker.request(reqwest::Method::GET, segments)?;
    docker.link().json(request).await
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::error::Error;
    use crate::streams::frames::tests::fixture;
    use crate::streams::{LogChunk, StdStream};
    use bytes::Bytes;
    use futures_util::StreamExt;

    pub(crate) fn body(chunks: Vec<Vec<u8>>) -> ByteStream {
        let items = chunks.into_iter().map(|c| Ok(Bytes::from(c)));
        ByteStream::new(Box::pin(futures_util::stream::iter(items)))
    }

    async fn all(stream: LogStream) -> Vec<Result<LogChunk>> {
        stream.collect().await
    }

    #[tokio::test]
    async fn a_body_decodes_the_same_however_it_is_cut() {
        for daemon in ["20.10", "28"] {
            let bytes = fixture(&format!("daemon/{daemon}/logs-multiplexed.bin"));
            let whole: Vec<LogChunk> = all(log_stream(body(vec![bytes.clone()]), Framing::Multiplexed))
                .await
                .into_iter()
                .collect::<Result<_>>()
                .unwrap();
            assert_eq!(whole.len(), 3);
            for at in 0..=bytes.len() {
                let (a, b) = bytes.split_at(at);
                let split = all(log_stream(
                    body(vec![a.to_vec(), b.to_vec()]),
                    Framing::Multiplexed,
                ))
                .await;
                let split: Vec<LogChunk> = split.into_iter().collect::<Result<_>>().unwrap();
                assert_eq!(split, whole, "{daemon}: split at {at}");
            }
            let bytewise = bytes.iter().map(|b| vec![*b]).collect();
            let bytewise: Vec<LogChunk> = all(log_stream(body(bytewise), Framing::Multiplexed))
                .await
                .into_iter()
                .collect::<Result<_>>()
                .unwrap();
            assert_eq!(bytewise, whole, "{daemon}: 1-byte reads");
        }
    }

    #[tokio::test]
    async fn an_error_is_the_last_item() {
        let mut bytes = fixture("daemon/28/logs-multiplexed.bin");
        bytes.extend_from_slice(&[7, 0, 0, 0, 0, 0, 0, 1, b'x']);
        bytes.extend_from_slice(&fixture("daemon/28/logs-multiplexed.bin"));
        let mut stream = log_stream(body(vec![bytes]), Framing::Multiplexed);
        for _ in 0..3 {
            assert!(stream.next().await.unwrap().is_ok());
        }
        let err = stream.next().await.unwrap().unwrap_err();
        assert!(matches!(err, Error::Frame { offset: 37, .. }), "{err}");
        assert!(err.to_string().contains("07 00 00 00 00 00 00 01"), "{err}");
        assert!(stream.next().await.is_none());
    }

    #[tokio::test]
    async fn raw_bodies_pass_through() {
        let bytes = fixture("daemon/20.10/logs-tty.bin");
        let chunks = all(log_stream(
            body(vec![bytes[..5].to_vec(), bytes[5..].to_vec()]),
            Framing::Raw,
        ))
        .await;
        let joined: Vec<u8> = chunks
            .iter()
            .map(|c| c.as_ref().unwrap())
            .inspect(|c| assert_eq!(c.stream, StdStream::Stdout))
            .flat_map(|c| c.bytes.to_vec())
            .collect();
        assert_eq!(joined, bytes);
    }

    #[test]
    fn the_request_version_of_a_base_url() {
        let v = |s: &str| request_version(s);
        assert_eq!(v("http://docker.sock/v1.51"), Some(ApiVersion::v1(51)));
        assert_eq!(v("https://[::1]:2376/v1.41/"), Some(ApiVersion::v1(41)));
        assert_eq!(v("http://docker.sock"), None);
        assert_eq!(v("http://vhost"), None);
        assert_eq!(v(""), None);
    }

    #[test]
    fn logs_options_as_query_parameters() {
        let q = |o: LogsOptions| {
            o.query()
                .into_iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("&")
        };
        assert_eq!(q(LogsOptions::new()), "stdout=true&stderr=true");
        assert_eq!(q(LogsOptions::default()), "stdout=true&stderr=true");
        let all = LogsOptions::new()
            .stderr(false)
            .follow(true)
            .timestamps(true)
            .details(true)
            .tail(5)
            .since(1700000000)
            .until("10m");
        assert_eq!(
            q(all),
            "stdout=true&stderr=false&follow=true&timestamps=true&details=true&tail=5&since=1700000000&until=10m"
        );
    }

    #[test]
    fn io_errors_unwrap_to_what_they_carry() {
        let ours = std::io::Error::other(Error::Stream {
            message: "m".into(),
            code: Some(1),
        });
        assert!(matches!(Error::from(ours), Error::Stream { code: Some(1), .. }));
        let plain = std::io::Error::new(std::io::ErrorKind::BrokenPipe, "gone");
        assert!(matches!(Error::from(plain), Error::Io(e) if e.kind() == std::io::ErrorKind::BrokenPipe));
    }
}
