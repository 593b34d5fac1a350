//! JSON-lines bodies (events, stats, build, pull, push, load) as streams of typed items.

use super::{BodyReader, body_reader};
use crate::ByteStream;
use crate::error::{Error, Result};
use bytes::{Buf, BytesMut};
use futures_util::Stream;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::LazyLock;
use std::task::{Context, Poll, ready};
use tokio_util::codec::{Decoder, FramedRead};

/// A [`Decoder`] of one JSON value per line into `T`.
///
/// Lines end with `\n` or `\r\n` and may arrive split anywhere; blank lines are skipped, and so
/// is surrounding whitespace. Each line is an item, so one bad line does not end the stream:
/// - a line with a non-null `error` or `errorDetail` is `Err(`[`Error::Stream`]`)` (the daemon
///   reports failures this way after answering `200`);
/// - a line that is not JSON, or not a `T`, is `Err(`[`Error::Decode`]`)` with the line number
///   in the stream and an excerpt of the line.
///
/// - a line longer than the decoder's maximum ([`MAX_LINE`] by default) is
///   `Err(`[`Error::TooLarge`]`)`; it is skipped without being buffered, so memory stays bounded
///   whatever the daemon sends.
///
/// Fields `T` does not name are ignored (decode into `serde_json::Value` to keep them all).
/// The decoder's own error (the outer `Result`) is only ever an I/O error of the input.
pub struct JsonLinesDecoder<T> {
    /// Where to resume looking for `\n`: a long line is scanned once, not once per read.
    scanned: usize,
    /// Lines consumed so far (the current one's number once it is taken).
    line: usize,
    max_line: usize,
    /// Inside a line that exceeded `max_line`: dropping bytes up to its end.
    skipping: bool,
    item: PhantomData<fn() -> T>,
}

/// The longest JSON-lines line decoded by default: 16 MiB, far above any line a daemon sends
/// (events, progress and stats lines are under a few KiB; BuildKit's trace lines, tens of KiB).
pub const MAX_LINE: usize = 16 << 20;

impl<T> JsonLinesDecoder<T> {
    /// A decoder with lines of at most [`MAX_LINE`] bytes.
    pub fn new() -> JsonLinesDecoder<T> {
        JsonLinesDecoder {
            scanned: 0,
            line: 0,
            max_line: MAX_LINE,
            skipping: false,
            item: PhantomData,
        }
    }

    /// Sets the longest line decoded, in bytes (without its `\n`).
    pub fn with_max_line(mut self, max_line: usize) -> Self {
        self.max_line = max_line;
        self
    }

    fn too_long(&mut self) -> Result<T> {
        Err(Error::TooLarge {
            what: format!("line {} of a JSON-lines stream", self.line),
            limit: self.max_line,
        })
    }
}

impl<T> Default for JsonLinesDecoder<T> {
    fn default() -> Self {
        JsonLinesDecoder::new()
    }
}

impl<T> std::fmt::Debug for JsonLinesDecoder<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsonLinesDecoder")
            .field("item", &std::any::type_name::<T>())
            .field("line", &self.line)
            .finish_non_exhaustive()
    }
}

impl<T: DeserializeOwned> Decoder for JsonLinesDecoder<T> {
    type Item = Result<T>;
    type Error = Error;

    fn decode(&mut self, buf: &mut BytesMut) -> Result<Option<Result<T>>> {
        loop {
            let Some(newline) = memchr::memchr(b'\n', &buf[self.scanned..]) else {
                if self.skipping {
                    buf.clear();
                    self.scanned = 0;
                } else if buf.len() > self.max_line {
                    // Report the line now and drop it as it arrives.
                    buf.clear();
                    self.scanned = 0;
                    self.skipping = true;
                    self.line += 1;
                    return Ok(Some(self.too_long()));
                } else {
                    self.scanned = buf.len();
                }
                return Ok(None);
            };
            let end = self.scanned + newline;
            self.scanned = 0;
            if std::mem::take(&mut self.skipping) {
                buf.advance(end + 1);
                continue;
            }
            self.line += 1;
            if end > self.max_line {
                buf.advance(end + 1);
                return Ok(Some(self.too_long()));
            }
            // Decoded in place, then dropped from the buffer: the line is never split off.
            let text = buf[..end].trim_ascii();
            let item = (!text.is_empty()).then(|| self.item(text));
            buf.advance(end + 1);
            if let Some(item) = item {
                return Ok(Some(item));
            }
        }
    }

    fn decode_eof(&mut self, buf: &mut BytesMut) -> Result<Option<Result<T>>> {
        if let Some(item) = self.decode(buf)? {
            return Ok(Some(item));
        }
        if std::mem::take(&mut self.skipping) {
            buf.clear();
            return Ok(None);
        }
        // A last line without its `\n`.
        let line = buf.split();
        self.scanned = 0;
        let text = line.trim_ascii();
        if text.is_empty() {
            return Ok(None);
        }
        self.line += 1;
        Ok(Some(self.item(text)))
    }
}

impl<T: DeserializeOwned> JsonLinesDecoder<T> {
    fn item(&self, text: &[u8]) -> Result<T> {
        if let Some(e) = daemon_error(text) {
            return Err(e);
        }
        serde_json::from_slice(text).map_err(|e| self.decode_error(text, &e))
    }

    /// [`Error::decode`] of the line, with its line number in the stream rather than in the line.
    fn decode_error(&self, text: &[u8], e: &serde_json::Error) -> Error {
        match Error::decode(text, e) {
            Error::Decode {
                message,
                column,
                excerpt,
                ..
            } => {
                let position = format!(" at line {} column {}", e.line(), e.column());
                Error::Decode {
                    message: message
                        .strip_suffix(&position)
                        .map_or_else(|| message.clone(), str::to_string),
                    line: self.line,
                    column,
                    excerpt,
                }
            }
            other => other,
        }
    }
}

/// The daemon's in-stream error: `{"errorDetail":{"code":1,"message":"…"},"error":"…"}`.
fn daemon_error(text: &[u8]) -> Option<Error> {
    #[derive(Deserialize)]
    struct Probe {
        #[serde(default)]
        error: Option<serde_json::Value>,
        #[serde(default, rename = "errorDetail")]
        error_detail: Option<serde_json::Value>,
    }
    // Only objects (serde would also read a struct from a JSON array), and only lines that
    // mention an `"error…` key at all: the others, nearly every line, are parsed once, as items.
    static ERROR_KEY: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new(b"\"error"));
    if text.first() != Some(&b'{') || ERROR_KEY.find(text).is_none() {
        return None;
    }
    let Probe { error, error_detail } = serde_json::from_slice(text).ok()?;
    let error = error.filter(|e| !e.is_null());
    let detail = error_detail.filter(|d| !d.is_null());
    if error.is_none() && detail.is_none() {
        return None;
    }
    let text_of = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let detail_message = detail
        .as_ref()
        .and_then(|d| d.get("message"))
        .and_then(|m| m.as_str())
        .filter(|m| !m.is_empty())
        .map(str::to_string);
    let message = detail_message
        .or_else(|| error.as_ref().map(text_of))
        .or_else(|| detail.as_ref().map(text_of))
        .unwrap_or_default();
    let code = detail
        .as_ref()
        .and_then(|d| d.get("code"))
        .and_then(|c| c.as_i64());
    Some(Error::Stream { message, code })
}

/// A JSON-lines body decoded as it arrives (see [`JsonLinesDecoder`] for what is an `Err`
/// item). Ends with the body, or after a transport error.
pub struct JsonLines<T, R = BodyReader> {
    inner: FramedRead<R, JsonLinesDecoder<T>>,
}

impl<T, R> JsonLines<T, R> {
    /// Decodes from any `tokio::io::AsyncRead`.
    pub fn from_reader(reader: R) -> JsonLines<T, R> {
        JsonLines::with_decoder(reader, JsonLinesDecoder::new())
    }

    fn with_decoder(reader: R, decoder: JsonLinesDecoder<T>) -> JsonLines<T, R> {
        JsonLines {
            inner: FramedRead::new(reader, decoder),
        }
    }

    /// Sets the longest line decoded, in bytes ([`MAX_LINE`] by default); a longer line is an
    /// [`Error::TooLarge`] item, and the stream goes on after it.
    pub fn max_line(mut self, max_line: usize) -> Self {
        self.inner.decoder_mut().max_line = max_line;
        self
    }
}

// Bounded through `FramedRead` so that tokio need not be a dependency just to name `AsyncRead`.
impl<T, R> Stream for JsonLines<T, R>
where
    FramedRead<R, JsonLinesDecoder<T>>: Stream<Item = Result<Result<T>>> + Unpin,
{
    type Item = Result<T>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<T>>> {
        Poll::Ready(ready!(Pin::new(&mut self.inner).poll_next(cx)).map(|r| r.and_then(|item| item)))
    }
}

impl<T, R> std::fmt::Debug for JsonLines<T, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsonLines")
            .field("decoder", self.inner.decoder())
            .finish_non_exhaustive()
    }
}

/// Decodes a JSON-lines body into `T` (a type of the version module in use, or
/// `serde_json::Value`).
pub fn json_lines<T: DeserializeOwned>(body: ByteStream) -> JsonLines<T> {
    JsonLines::from_reader(body_reader(body))
}

/// `GET /events`: `streams::events::<api::types::EventMessage>(body)`. Bound it with `until`
/// to have it end; actions such as `exec_create: sh -c true` are kept as sent.
pub fn events<T: DeserializeOwned>(body: ByteStream) -> JsonLines<T> {
    json_lines(body)
}

/// `GET /containers/{id}/stats`: `ContainerStatsResponse` where the module has it (the older
/// specs leave it untyped: use `serde_json::Value`).
pub fn stats<T: DeserializeOwned>(body: ByteStream) -> JsonLines<T> {
    json_lines(body)
}

/// Progress of `POST /images/create` (`CreateImageInfo`), and of push (`PushImageInfo`), load
/// and plugin pull: a failed layer, a missing image or a refused push is an [`Error::Stream`]
/// item. A push's last item reports the pushed digest in `aux` (the recorded spec fix
/// `push-aux`). Credentials go in `x_registry_auth` ([`RegistryAuth::header`]). A pull names
/// its tag, in `from_image` (`busybox:1.36`) or in `tag`: a bare repository name pulls every tag
/// of it (the CLI adds `:latest`, the API does not).
///
/// [`RegistryAuth::header`]: crate::RegistryAuth::header
pub fn pull_progress<T: DeserializeOwned>(body: ByteStream) -> JsonLines<T> {
    json_lines(body)
}

/// Progress of `POST /build` (`BuildInfo`): a failing step is an [`Error::Stream`] item, the
/// image ID is in an `aux` item ([`build_image_id`]). BuildKit builds (`version=2`, API v1.38+)
/// also send `{"id":"moby.buildkit.trace","aux":"<base64>"}` progress items; the generated
/// `BuildInfo` keeps that `aux` as a JSON value (the recorded spec fix `build-aux-any`, which
/// also declares it in v1.30 to v1.35, whose specs leave it out).
pub fn build_progress<T: DeserializeOwned>(body: ByteStream) -> JsonLines<T> {
    json_lines(body)
}

/// The image ID a build item reports: `aux` `{"ID":"sha256:…"}`, which both builders send (the
/// classic builder once at the end, BuildKit as its `moby.image.id` item). `None` for every
/// other item, BuildKit's base64 string `aux` (an encoded progress trace) included. Works on
/// any version's `BuildInfo` and on `serde_json::Value`; the daemons send the ID from API v1.30
/// on (none before: there is none to find over an older wire version).
pub fn build_image_id<T: serde::Serialize>(item: &T) -> Option<String> {
    let value = serde_json::to_value(item).ok()?;
    let id = value.get("aux")?.get("ID")?.as_str()?;
    (!id.is_empty()).then(|| id.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::streams::frames::tests::fixture;
    use futures_util::StreamExt;
    use serde_json::Value;

    /// Feeds `chunks` as `FramedRead` does; the outer error (I/O only) cannot happen here.
    fn feed<'a, T: DeserializeOwned>(
        mut decoder: JsonLinesDecoder<T>,
        chunks: impl IntoIterator<Item = &'a [u8]>,
    ) -> Vec<Result<T>> {
        let mut buf = BytesMut::new();
        let mut out = Vec::new();
        for chunk in chunks {
            buf.extend_from_slice(chunk);
            while let Some(item) = decoder.decode(&mut buf).unwrap() {
                out.push(item);
            }
        }
        while let Some(item) = decoder.decode_eof(&mut buf).unwrap() {
            out.push(item);
        }
        out
    }

    fn values(chunks: &[&[u8]]) -> Vec<Result<Value>> {
        feed(JsonLinesDecoder::new(), chunks.iter().copied())
    }

    /// Items and errors, comparable.
    fn shown<T: std::fmt::Debug>(items: &[Result<T>]) -> Vec<String> {
        items.iter().map(|i| format!("{i:?}")).collect()
    }

    #[test]
    fn a_line_over_the_limit_is_one_error_and_is_never_buffered() {
        let long = format!("{{\"x\":\"{}\"}}\n", "a".repeat(1000));
        let input = [b"{\"a\":1}\n".as_slice(), long.as_bytes(), b"{\"b\":2}\n"].concat();
        let mut decoder = JsonLinesDecoder::<Value>::new().with_max_line(100);
        let mut buf = BytesMut::new();
        let mut out = Vec::new();
        let mut most = 0;
        for chunk in input.chunks(7) {
            buf.extend_from_slice(chunk);
            while let Some(item) = decoder.decode(&mut buf).unwrap() {
                out.push(item);
            }
            most = most.max(buf.len());
        }
        while let Some(item) = decoder.decode_eof(&mut buf).unwrap() {
            out.push(item);
        }
        assert!(most <= 100 + 7, "buffered {most} bytes");
        assert_eq!(out.len(), 3, "{}", shown(&out).join("\n"));
        assert_eq!(out[0].as_ref().unwrap()["a"], 1);
        assert!(matches!(&out[1], Err(Error::TooLarge { limit: 100, what }) if what.contains("line 2")));
        assert_eq!(out[2].as_ref().unwrap()["b"], 2);
        // Cut into two reads, the long line arrives whole: still one error, then the next line.
        let items = feed(
            JsonLinesDecoder::<Value>::new().with_max_line(100),
            [&input[..5], &input[5..]],
        );
        assert_eq!(shown(&items), shown(&out));
        // At end of input without a newline.
        let items = feed(
            JsonLinesDecoder::<Value>::new().with_max_line(10),
            [long.trim_end().as_bytes()],
        );
        assert!(
            matches!(items.as_slice(), [Err(Error::TooLarge { .. })]),
            "{items:?}"
        );
    }

    #[test]
    fn recorded_streams_split_anywhere() {
        for daemon in ["20.10", "28"] {
            for file in ["build.jsonl", "build-error.jsonl", "build-octet-stream.jsonl"] {
                let bytes = fixture(&format!("daemon/{daemon}/{file}"));
                let lines = bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty()).count();
                let whole = shown(&values(&[&bytes]));
                assert_eq!(whole.len(), lines, "{daemon}/{file}");
                for at in 0..=bytes.len() {
                    let (a, b) = bytes.split_at(at);
                    assert_eq!(shown(&values(&[a, b])), whole, "{daemon}/{file} split at {at}");
                }
                let bytewise: Vec<&[u8]> = bytes.chunks(1).collect();
                assert_eq!(shown(&values(&bytewise)), whole, "{daemon}/{file} 1-byte reads");
            }
            // events.jsonl is 21 KB: byte by byte, and cut around every line end.
            let bytes = fixture(&format!("daemon/{daemon}/events.jsonl"));
            let whole = values(&[&bytes]);
            assert!(whole.iter().all(Result::is_ok));
            let whole = shown(&whole);
            let bytewise: Vec<&[u8]> = bytes.chunks(1).collect();
            assert_eq!(shown(&values(&bytewise)), whole);
            for (newline, _) in bytes.iter().enumerate().filter(|(_, b)| **b == b'\n') {
                for at in newline.saturating_sub(2)..(newline + 3).min(bytes.len()) {
                    let (a, b) = bytes.split_at(at);
                    assert_eq!(shown(&values(&[a, b])), whole, "events split at {at}");
                }
            }
        }
    }

    #[test]
    fn crlf_blank_lines_and_a_last_line_without_newline() {
        let bytes = fixture("daemon/28/build.jsonl");
        let lf = shown(&values(&[&bytes]));
        let crlf: Vec<u8> = String::from_utf8(bytes.clone())
            .unwrap()
            .replace('\n', "\r\n\r\n  \t\n")
            .into_bytes();
        let trimmed = &crlf[..crlf.len() - 7]; // no line end at all after the last item
        for at in 0..=trimmed.len() {
            let (a, b) = trimmed.split_at(at);
            assert_eq!(shown(&values(&[a, b])), lf, "CRLF split at {at}");
        }
        assert!(values(&[b"\n\r\n   \n"]).is_empty());
        assert!(values(&[b""]).is_empty());
    }

    #[test]
    fn error_items_are_errors_and_the_stream_goes_on() {
        for daemon in ["20.10", "28"] {
            let mut bytes = fixture(&format!("daemon/{daemon}/build-error.jsonl"));
            bytes.extend_from_slice(b"{\"stream\":\"after\"}\n");
            let items = values(&[&bytes]);
            let (last, before) = items.split_last().unwrap();
            assert_eq!(last.as_ref().unwrap()["stream"], "after");
            let (failure, before) = before.split_last().unwrap();
            assert!(before.iter().all(Result::is_ok), "{daemon}");
            match failure {
                Err(Error::Stream { message, code }) => {
                    assert_eq!(*code, Some(1));
                    assert_eq!(
                        message,
                        "The command '/bin/sh -c echo about to fail && false' returned a non-zero code: 1"
                    );
                }
                other => panic!("{daemon}: {other:?}"),
            }
            // BuildKit's failure has no code.
            let bytes = fixture(&format!("streams/{daemon}/build-buildkit-error.jsonl"));
            let items = values(&[&bytes]);
            match items.last().unwrap() {
                Err(Error::Stream { message, code: None }) => {
                    assert!(message.contains("exit code: 1"), "{message}")
                }
                other => panic!("{daemon}: {other:?}"),
            }
            assert!(items[..items.len() - 1].iter().all(Result::is_ok));
        }
    }

    #[test]
    fn error_shapes() {
        let err = |line: &[u8]| match values(&[line]).pop().unwrap() {
            Err(Error::Stream { message, code }) => Some((message, code)),
            Ok(_) => None,
            Err(other) => panic!("{other:?}"),
        };
        assert_eq!(err(br#"{"error":"only this"}"#), Some(("only this".into(), None)));
        assert_eq!(
            err(br#"{"errorDetail":{"message":"detail","code":404}}"#),
            Some(("detail".into(), Some(404)))
        );
        assert_eq!(
            err(br#"{"errorDetail":{"message":""},"error":"fallback"}"#),
            Some(("fallback".into(), None))
        );
        assert_eq!(
            err(br#"{"error":{"weird":true}}"#),
            Some((r#"{"weird":true}"#.into(), None))
        );
        assert_eq!(err(br#"{"error":null,"errorDetail":null,"status":"fine"}"#), None);
        assert_eq!(err(br#"{"status":"Downloading","progressDetail":{}}"#), None);
        // serde reads a struct from an array too: that must not look like an error.
        assert_eq!(err(br#"["an","array"]"#), None);
    }

    #[test]
    fn bad_lines_say_where_and_do_not_end_the_stream() {
        let items = values(&[b"{\"a\":1}\n\nnot json at all\n{\"a\":2}\n{\"a\":\n"]);
        assert_eq!(items.len(), 4);
        match &items[1] {
            Err(Error::Decode {
                line,
                column,
                excerpt,
                message,
            }) => {
                // serde's column: where it noticed, in the line.
                assert_eq!((*line, *column), (3, 2));
                assert_eq!(excerpt, "not json at all");
                assert!(!message.contains("at line"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(items[2].as_ref().unwrap()["a"], 2);
        assert!(matches!(items[3], Err(Error::Decode { line: 5, .. })));
        // Not valid UTF-8: an error item, not a panic.
        let items = values(&[b"\xff\xfe{\n{\"a\":3}\n"]);
        assert!(matches!(items[0], Err(Error::Decode { line: 1, .. })));
        assert!(items[1].is_ok());
    }

    #[test]
    fn unknown_fields_and_free_form_actions_are_kept() {
        #[derive(Debug, Deserialize)]
        struct Event {
            #[serde(rename = "Action")]
            action: String,
        }
        let events: Vec<Event> = feed(JsonLinesDecoder::new(), [&fixture("daemon/28/events.jsonl")[..]])
            .into_iter()
            .collect::<Result<_>>()
            .unwrap();
        let actions: Vec<_> = events.iter().map(|e| e.action.as_str()).collect();
        assert!(
            actions.iter().any(|a| a.starts_with("exec_create: ")),
            "{actions:?}"
        );
    }

    /// `BuildInfo` as generated with the fix `build-aux-any`: `aux` is any JSON value.
    #[derive(Debug, Deserialize, serde::Serialize)]
    struct BuildInfo {
        id: Option<String>,
        stream: Option<String>,
        aux: Option<Value>,
    }

    #[test]
    fn buildkit_progress_decodes_into_the_spec_type() {
        for daemon in ["20.10", "28"] {
            let bytes = fixture(&format!("streams/{daemon}/build-buildkit.jsonl"));
            let items: Vec<BuildInfo> = feed(JsonLinesDecoder::new(), [&bytes[..]])
                .into_iter()
                .collect::<Result<_>>()
                .unwrap();
            let traces: Vec<_> = items
                .iter()
                .filter(|i| i.id.as_deref() == Some("moby.buildkit.trace"))
                .collect();
            assert!(traces.len() > 3, "{daemon}");
            assert!(
                traces
                    .iter()
                    .all(|t| t.aux.as_ref().is_some_and(Value::is_string)),
                "{daemon}"
            );
            let ids: Vec<_> = items.iter().filter_map(build_image_id).collect();
            assert_eq!(ids.len(), 1, "{daemon}: {ids:?}");
            assert!(ids[0].starts_with("sha256:"));
            // The same from untyped items, where the trace strings are kept.
            let raw: Vec<Value> = feed(JsonLinesDecoder::new(), [&bytes[..]])
                .into_iter()
                .collect::<Result<_>>()
                .unwrap();
            assert!(raw.iter().any(|v| v["aux"].is_string()));
            assert_eq!(raw.iter().filter_map(build_image_id).collect::<Vec<_>>(), ids);
        }
    }

    #[test]
    fn classic_build_image_id() {
        for daemon in ["20.10", "28"] {
            let bytes = fixture(&format!("daemon/{daemon}/build.jsonl"));
            let items: Vec<BuildInfo> = feed(JsonLinesDecoder::new(), [&bytes[..]])
                .into_iter()
                .collect::<Result<_>>()
                .unwrap();
            let ids: Vec<_> = items.iter().filter_map(build_image_id).collect();
            assert_eq!(ids.len(), 1, "{daemon}");
            let short = &ids[0]["sha256:".len()..][..12];
            assert!(
                items
                    .iter()
                    .any(|i| i.stream.as_deref() == Some(&format!("Successfully built {short}\n"))),
                "{daemon}: the ID the builder printed"
            );
        }
        assert_eq!(build_image_id(&serde_json::json!({"aux": "Cm8KR3No"})), None);
        assert_eq!(build_image_id(&serde_json::json!({"aux": {"ID": ""}})), None);
        assert_eq!(build_image_id(&serde_json::json!({"stream": "x"})), None);
    }

    #[tokio::test]
    async fn a_body_decodes_through_framed_read() {
        let bytes = fixture("daemon/20.10/build-error.jsonl");
        let whole = shown(&values(&[&bytes]));
        for at in 0..=bytes.len() {
            let chunks = vec![bytes[..at].to_vec(), bytes[at..].to_vec()];
            let items: Vec<Result<Value>> = json_lines(crate::streams::logs::tests::body(chunks))
                .collect()
                .await;
            assert_eq!(shown(&items), whole, "split at {at}");
        }
        let bytes = fixture("streams/28/build-buildkit.jsonl");
        let items: Vec<Result<BuildInfo>> = build_progress(crate::streams::logs::tests::body(vec![bytes]))
            .collect()
            .await;
        assert!(items.iter().all(Result::is_ok));
    }
}
