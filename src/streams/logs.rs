//! Container output (logs, attach and exec bodies) as a stream of [`LogChunk`]s, and where its
//! framing comes from.

use super::{BodyReader, FrameDecoder, Framing, LogChunk, body_reader};
use crate::error::Result;
use crate::{ByteStream, Docker};
use futures_util::Stream;
use serde::Deserialize;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio_util::codec::FramedRead;

/// Container output decoded as it arrives: `Ok` chunks in the daemon's order, ending with the
/// body; an error (transport, malformed frame, the daemon's error frame) is the last item.
pub struct LogStream<R = BodyReader> {
    inner: FramedRead<R, FrameDecoder>,
}

/// Decodes a logs, attach or exec body (`docker.call(client.container_logs()…send())`) with the
/// framing from [`container_framing`], [`exec_framing`] or [`Framing::decide`].
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
