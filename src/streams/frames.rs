//! The multiplexed-stream frame decoder: container logs, attach and exec output without a TTY.

use crate::ApiVersion;
use crate::error::Error;
use bytes::{Buf, Bytes, BytesMut};
use tokio_util::codec::Decoder;

/// Frame header: stream type, three zero bytes, big-endian payload length.
const HEADER_LEN: usize = 8;

/// The largest chunk handed out: a longer frame comes as several chunks of the same stream, cut
/// every `MAX_CHUNK` bytes of its payload (wherever the reads ended, so the cuts are always the
/// same). Keeps memory bounded whatever length a header claims. The daemon's own frames are at
/// most 32 KiB (its copy buffer), so this does not cut them.
pub const MAX_CHUNK: usize = 64 * 1024;

/// Which standard stream a chunk of output came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StdStream {
    /// Stream type 0 (the daemon echoes stdin in some attach modes).
    Stdin,
    /// Stream type 1; also everything of a TTY (raw) stream.
    Stdout,
    /// Stream type 2.
    Stderr,
}

/// A piece of container output: one frame of a multiplexed stream (or a part of a long one, see
/// [`MAX_CHUNK`]), or whatever arrived of a raw (TTY) stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogChunk {
    /// Where the bytes were written (stdout for all of a TTY stream).
    pub stream: StdStream,
    /// The bytes, as the container wrote them.
    pub bytes: Bytes,
}

/// How container output is framed. Decide it from the container's or exec's `Tty` flag, or from
/// the response `Content-Type` where that is reliable: see [`Framing::decide`] and, for logs,
/// [`Framing::of_logs`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// Without a TTY: 8-byte headers name the stream of each frame.
    Multiplexed,
    /// With a TTY: the bytes as the terminal wrote them, all on stdout.
    Raw,
}

/// The `Content-Type` of a body that is certainly multiplexed (logs since API 1.42, upgraded
/// attach and exec since 1.42).
pub const MULTIPLEXED_CONTENT_TYPE: &str = "application/vnd.docker.multiplexed-stream";

/// The `Content-Type` daemons of API 1.42 and newer send for a logs body of a TTY container
/// when the request's version is 1.42 or newer (see [`Framing::of_logs`]); for anything else
/// it means nothing (older request versions, attach, exec).
pub const RAW_CONTENT_TYPE: &str = "application/vnd.docker.raw-stream";

/// Whether `content_type` (parameters ignored, case-insensitive) is the media type `mime`.
fn is_media_type(content_type: Option<&str>, mime: &str) -> bool {
    content_type.is_some_and(|ct| {
        ct.split(';')
            .next()
            .is_some_and(|m| m.trim().eq_ignore_ascii_case(mime))
    })
}

impl Framing {
    /// The framing of output from a container or exec with this `Tty` setting.
    pub fn from_tty(tty: bool) -> Framing {
        if tty { Framing::Raw } else { Framing::Multiplexed }
    }

    /// Decides from what is known: the response's `Content-Type` when it is
    /// [`MULTIPLEXED_CONTENT_TYPE`], else the `Tty` flag; `None` when neither tells.
    ///
    /// `application/vnd.docker.raw-stream` proves nothing: Docker 20.10 sends it for every attach
    /// and exec body and 28 for non-upgraded ones, multiplexed or not; Docker 20.10 sends no
    /// `Content-Type` for logs at all. (Of a logs body requested at API 1.42 or newer it does
    /// prove a TTY: [`Framing::of_logs`].) Guessing from the bytes is no way out either (TTY output
    /// can start with `\x01\0\0\0`), so without a `Tty` flag the answer is `None`.
    pub fn decide(tty: Option<bool>, content_type: Option<&str>) -> Option<Framing> {
        if is_media_type(content_type, MULTIPLEXED_CONTENT_TYPE) {
            return Some(Framing::Multiplexed);
        }
        tty.map(Framing::from_tty)
    }

    /// The framing of a container **logs** body from its `Content-Type` and the API version
    /// the request was made with (its `/vX.Y` path); `None` when they do not tell, and only the
    /// container's `Tty` flag can ([`container_framing`](super::container_framing)).
    ///
    /// Daemons of API 1.42 and newer (Docker 23+) answer a logs request of version 1.42 or
    /// newer with [`MULTIPLEXED_CONTENT_TYPE`] without a TTY and [`RAW_CONTENT_TYPE`] with
    /// one. To requests of older versions they send `raw-stream` for both, and older daemons
    /// send no `Content-Type` at all (Docker 20.10): then the answer is `None`. A multiplexed
    /// `Content-Type` is trusted whatever the version (no daemon sends it for a TTY).
    pub fn of_logs(content_type: Option<&str>, request_version: ApiVersion) -> Option<Framing> {
        if is_media_type(content_type, MULTIPLEXED_CONTENT_TYPE) {
            Some(Framing::Multiplexed)
        } else if is_media_type(content_type, RAW_CONTENT_TYPE) && request_version >= ApiVersion::v1(42) {
            Some(Framing::Raw)
        } else {
            None
        }
    }
}

/// A [`Decoder`] of container output into [`LogChunk`]s.
///
/// Multiplexed: reads the 8-byte header (stream 0, 1 or 2; three zero bytes; big-endian u32
/// length), then the payload, however the bytes were split across reads. Zero-length frames are
/// skipped. A malformed header ([`Error::Frame`]), an error frame of the daemon (stream type 3,
/// [`Error::Stream`]) or the end of the input inside a frame ([`Error::Frame`], from
/// `decode_eof`) is an error, after which the decoder yields nothing more: framing cannot be
/// recovered without guessing.
///
/// Raw: every byte as stdout, in the chunks it arrived in.
#[derive(Debug, Clone)]
pub struct FrameDecoder {
    framing: Framing,
    state: State,
    /// Bytes consumed so far, for error positions.
    offset: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Header,
    Payload { stream: StdStream, remaining: usize },
    Failed,
}

impl FrameDecoder {
    /// A decoder for a stream of the given framing.
    pub fn new(framing: Framing) -> FrameDecoder {
        FrameDecoder {
            framing,
            state: State::Header,
            offset: 0,
        }
    }

    /// The framing this decoder reads.
    pub fn framing(&self) -> Framing {
        self.framing
    }

    fn fail(&mut self, buf: &mut BytesMut, e: Error) -> Result<Option<LogChunk>, Error> {
        self.state = State::Failed;
        buf.clear();
        Err(e)
    }

    fn take(&mut self, buf: &mut BytesMut, n: usize) -> Bytes {
        self.offset += n as u64;
        buf.split_to(n).freeze()
    }
}

impl Decoder for FrameDecoder {
    type Item = LogChunk;
    type Error = Error;

    fn decode(&mut self, buf: &mut BytesMut) -> Result<Option<LogChunk>, Error> {
        if self.framing == Framing::Raw {
            if buf.is_empty() {
                return Ok(None);
            }
            let n = buf.len();
            let bytes = self.take(buf, n);
            return Ok(Some(LogChunk {
                stream: StdStream::Stdout,
                bytes,
            }));
        }
        loop {
            match self.state {
                State::Failed => {
                    buf.clear();
                    return Ok(None);
                }
                State::Header => {
                    if buf.len() < HEADER_LEN {
                        return Ok(None);
                    }
                    let header: [u8; HEADER_LEN] = buf[..HEADER_LEN].try_into().expect("8 bytes");
                    let len = u32::from_be_bytes(header[4..].try_into().expect("4 bytes")) as usize;
                    // Nonzero padding is as malformed as an unknown stream type.
                    let stream = match header {
                        [_, 0, 0, 0, ..] => header[0],
                        _ => u8::MAX,
                    };
                    let stream = match stream {
                        0 => StdStream::Stdin,
                        1 => StdStream::Stdout,
                        2 => StdStream::Stderr,
                        // Moby's `Systemerr`: the daemon failed while copying, the payload says why.
                        3 => {
                            let shown = HEADER_LEN + len.min(MAX_CHUNK);
                            if buf.len() < shown {
                                buf.reserve(shown - buf.len());
                                return Ok(None);
                            }
                            let message = String::from_utf8_lossy(&buf[HEADER_LEN..shown])
                                .trim_end()
                                .to_string();
                            return self.fail(buf, Error::Stream { message, code: None });
                        }
                        _ => {
                            let e = Error::Frame {
                                offset: self.offset,
                                message: format!(
                                    "invalid frame header {} (expected stream 0, 1 or 2, then three zero bytes)",
                                    hex(&header)
                                ),
                            };
                            return self.fail(buf, e);
                        }
                    };
                    buf.advance(HEADER_LEN);
                    self.offset += HEADER_LEN as u64;
                    if len > 0 {
                        self.state = State::Payload {
                            stream,
                            remaining: len,
                        };
                    }
                }
                State::Payload { stream, remaining } => {
                    let want = remaining.min(MAX_CHUNK);
                    if buf.len() < want {
                        buf.reserve(want - buf.len());
                        return Ok(None);
                    }
                    let bytes = self.take(buf, want);
                    self.state = match remaining - want {
                        0 => State::Header,
                        remaining => State::Payload { stream, remaining },
                    };
                    return Ok(Some(LogChunk { stream, bytes }));
                }
            }
        }
    }

    fn decode_eof(&mut self, buf: &mut BytesMut) -> Result<Option<LogChunk>, Error> {
        if let Some(chunk) = self.decode(buf)? {
            return Ok(Some(chunk));
        }
        let message = match self.state {
            // Only an error frame waits with a whole header: give what arrived of its message.
            State::Header if buf.len() >= HEADER_LEN => {
                let message = String::from_utf8_lossy(&buf[HEADER_LEN..]).trim_end().to_string();
                return self.fail(buf, Error::Stream { message, code: None });
            }
            State::Header if !buf.is_empty() => {
                format!(
                    "the stream ended inside a frame header ({} of 8 bytes)",
                    buf.len()
                )
            }
            State::Payload { remaining, .. } => format!(
                "the stream ended inside a frame: {} more payload bytes announced, {} received",
                remaining,
                buf.len()
            ),
            _ => return Ok(None),
        };
        let e = Error::Frame {
            offset: self.offset,
            message,
        };
        self.fail(buf, e)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn fixture(path: &str) -> Vec<u8> {
        let path = format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// Feeds `chunks` to a decoder as `FramedRead` does: `decode` until `None` after each read,
    /// `decode_eof` until `None` at the end. Stops at the first error.
    fn feed<'a>(
        framing: Framing,
        chunks: impl IntoIterator<Item = &'a [u8]>,
    ) -> (Vec<LogChunk>, Option<Error>) {
        let mut d = FrameDecoder::new(framing);
        let mut buf = BytesMut::new();
        let mut out = Vec::new();
        for chunk in chunks {
            buf.extend_from_slice(chunk);
            loop {
                match d.decode(&mut buf) {
                    Ok(Some(c)) => out.push(c),
                    Ok(None) => break,
                    Err(e) => return (out, Some(e)),
                }
            }
        }
        loop {
            match d.decode_eof(&mut buf) {
                Ok(Some(c)) => out.push(c),
                Ok(None) => return (out, None),
                Err(e) => return (out, Some(e)),
            }
        }
    }

    fn ok(framing: Framing, bytes: &[u8]) -> Vec<LogChunk> {
        let (chunks, err) = feed(framing, [bytes]);
        assert!(err.is_none(), "{err:?}");
        chunks
    }

    /// Every way of cutting `bytes` in two, and byte by byte: the same chunks as in one piece.
    fn assert_split_invariant(bytes: &[u8]) -> Vec<LogChunk> {
        let whole = feed(Framing::Multiplexed, [bytes]);
        for at in 0..=bytes.len() {
            let (a, b) = bytes.split_at(at);
            let split = feed(Framing::Multiplexed, [a, b]);
            assert_eq!(split.0, whole.0, "split at {at}");
            assert_eq!(
                format!("{:?}", split.1),
                format!("{:?}", whole.1),
                "split at {at}"
            );
        }
        let bytewise = feed(Framing::Multiplexed, bytes.chunks(1));
        assert_eq!(bytewise.0, whole.0, "1-byte chunks");
        assert_eq!(format!("{:?}", bytewise.1), format!("{:?}", whole.1));
        whole.0
    }

    fn text(chunks: &[LogChunk], stream: StdStream) -> String {
        let bytes: Vec<u8> = chunks
            .iter()
            .filter(|c| c.stream == stream)
            .flat_map(|c| c.bytes.to_vec())
            .collect();
        String::from_utf8(bytes).unwrap()
    }

    fn frame(stream: u8, payload: &[u8]) -> Vec<u8> {
        let mut f = vec![stream, 0, 0, 0];
        f.extend_from_slice(&(payload.len() as u32).to_be_bytes());
        f.extend_from_slice(payload);
        f
    }

    #[test]
    fn recorded_logs_decode_whatever_the_reads() {
        for daemon in ["20.10", "28"] {
            let bytes = fixture(&format!("daemon/{daemon}/logs-multiplexed.bin"));
            let chunks = assert_split_invariant(&bytes);
            // One frame per line; stdout and stderr order across streams varies by daemon.
            assert_eq!(chunks.len(), 3, "{daemon}");
            assert_eq!(text(&chunks, StdStream::Stdout), "out\nout2\n", "{daemon}");
            assert_eq!(text(&chunks, StdStream::Stderr), "err\n", "{daemon}");
            let lines: Vec<_> = chunks.iter().map(|c| c.bytes.as_ref()).collect();
            assert!(
                lines.contains(&&b"out2\n"[..]),
                "{daemon}: frames are not merged or cut"
            );
        }
    }

    #[test]
    fn recorded_attach_exec_and_timestamps_decode() {
        for daemon in ["20.10", "28"] {
            for file in ["attach-logs.bin", "attach-logs-upgrade.bin"] {
                let chunks = assert_split_invariant(&fixture(&format!("daemon/{daemon}/{file}")));
                assert_eq!(text(&chunks, StdStream::Stdout), "out\nout2\n", "{daemon}/{file}");
                assert_eq!(text(&chunks, StdStream::Stderr), "err\n", "{daemon}/{file}");
            }
            for file in ["exec-start.bin", "exec-start-upgrade.bin"] {
                let chunks = assert_split_invariant(&fixture(&format!("daemon/{daemon}/{file}")));
                assert_eq!(text(&chunks, StdStream::Stdout), "exec-out\n", "{daemon}/{file}");
                assert_eq!(text(&chunks, StdStream::Stderr), "exec-err\n", "{daemon}/{file}");
            }
            let chunks = assert_split_invariant(&fixture(&format!("daemon/{daemon}/logs-timestamps.bin")));
            assert_eq!(chunks.len(), 3);
            for c in &chunks {
                // `2026-11-27T03:51:18.706612675Z err\n`: the time is inside the payload.
                let line = std::str::from_utf8(&c.bytes).unwrap();
                assert_eq!(line.find(' '), Some(30), "{daemon}: {line:?}");
                assert!(line[..30].ends_with('Z'), "{daemon}: {line:?}");
            }
        }
    }

    #[test]
    fn raw_streams_are_stdout_as_they_come() {
        for daemon in ["20.10", "28"] {
            for (file, expected) in [
                ("logs-tty.bin", "tty-out\r\ntty-err\r\n"),
                ("exec-start-tty.bin", "exec-tty\r\n"),
            ] {
                let bytes = fixture(&format!("daemon/{daemon}/{file}"));
                let chunks = ok(Framing::Raw, &bytes);
                assert_eq!(text(&chunks, StdStream::Stdout), expected, "{daemon}/{file}");
                let (bytewise, err) = feed(Framing::Raw, bytes.chunks(1));
                assert!(err.is_none());
                assert_eq!(bytewise.len(), bytes.len());
                assert_eq!(text(&bytewise, StdStream::Stdout), expected);
            }
        }
        // A TTY's bytes that look like a frame header stay bytes.
        let looks_framed = frame(2, b"x");
        assert_eq!(
            ok(Framing::Raw, &looks_framed),
            vec![LogChunk {
                stream: StdStream::Stdout,
                bytes: Bytes::from(looks_framed.clone())
            }]
        );
    }

    #[test]
    fn stdin_and_empty_frames() {
        let mut bytes = frame(0, b"typed\n");
        bytes.extend(frame(1, b""));
        bytes.extend(frame(2, b"e"));
        let chunks = assert_split_invariant(&bytes);
        assert_eq!(chunks.len(), 2, "the empty frame yields nothing");
        assert_eq!(chunks[0].stream, StdStream::Stdin);
        assert_eq!(chunks[1].stream, StdStream::Stderr);
    }

    #[test]
    fn malformed_headers_are_errors_at_their_offset() {
        let good = frame(1, b"fine\n");
        for header in [
            [4u8, 0, 0, 0, 0, 0, 0, 1],
            [255, 0, 0, 0, 0, 0, 0, 1],
            [1, 1, 0, 0, 0, 0, 0, 1],
            [1, 0, 0, 9, 0, 0, 0, 1],
            [b'{', b'"', b's', b't', b'r', b'e', b'a', b'm'],
        ] {
            let mut bytes = good.clone();
            bytes.extend_from_slice(&header);
            bytes.extend(frame(1, b"never seen\n"));
            for chunks in [vec![&bytes[..]], bytes.chunks(1).collect()] {
                let (out, err) = feed(Framing::Multiplexed, chunks);
                assert_eq!(out.len(), 1, "{header:?}: only the frame before");
                match err {
                    Some(Error::Frame { offset, message }) => {
                        assert_eq!(offset, good.len() as u64);
                        assert!(message.contains(&hex(&header)), "{message}");
                    }
                    other => panic!("{header:?}: {other:?}"),
                }
            }
        }
    }

    #[test]
    fn after_an_error_nothing_more() {
        let mut d = FrameDecoder::new(Framing::Multiplexed);
        let mut buf = BytesMut::from(&[9u8, 0, 0, 0, 0, 0, 0, 0][..]);
        assert!(d.decode(&mut buf).is_err());
        buf.extend_from_slice(&frame(1, b"valid after garbage"));
        assert_eq!(d.decode(&mut buf).unwrap(), None);
        assert_eq!(d.decode_eof(&mut buf).unwrap(), None);
        assert!(buf.is_empty());
    }

    #[test]
    fn truncated_input_is_an_error_at_eof() {
        let whole = frame(1, b"0123456789");
        for cut in 1..whole.len() {
            let (out, err) = feed(Framing::Multiplexed, [&whole[..cut]]);
            assert!(out.is_empty(), "cut {cut}: a partial frame is not output");
            assert!(
                matches!(err, Some(Error::Frame { offset, .. }) if offset == if cut < 8 { 0 } else { 8 }),
                "cut {cut}: {err:?}"
            );
        }
    }

    #[test]
    fn daemon_error_frames_are_stream_errors() {
        let mut bytes = frame(1, b"partial output\n");
        bytes.extend(frame(3, b"error from daemon in stream: boom\n"));
        let whole = assert_split_invariant(&bytes);
        assert_eq!(whole.len(), 1);
        match feed(Framing::Multiplexed, [&bytes[..]]).1 {
            Some(Error::Stream { message, code: None }) => {
                assert_eq!(message, "error from daemon in stream: boom")
            }
            other => panic!("{other:?}"),
        }
        // Cut short: what arrived of the message.
        let cut = &bytes[..bytes.len() - 6];
        match feed(Framing::Multiplexed, [cut]).1 {
            Some(Error::Stream { message, .. }) => assert_eq!(message, "error from daemon in stream:"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn long_frames_are_cut_at_fixed_places() {
        let payload: Vec<u8> = (0..MAX_CHUNK * 2 + 100).map(|i| (i % 251) as u8).collect();
        let mut bytes = frame(2, &payload);
        bytes.extend(frame(1, b"next"));
        let expected = [MAX_CHUNK, MAX_CHUNK, 100, 4];
        for read in [1000, 4096, 65_536, 100_000, bytes.len()] {
            let (chunks, err) = feed(Framing::Multiplexed, bytes.chunks(read));
            assert!(err.is_none());
            let sizes: Vec<_> = chunks.iter().map(|c| c.bytes.len()).collect();
            assert_eq!(sizes, expected, "reads of {read}");
            let joined: Vec<u8> = chunks[..3].iter().flat_map(|c| c.bytes.to_vec()).collect();
            assert!(joined == payload, "the payload, in order");
        }
    }

    #[test]
    fn a_huge_announced_length_does_not_allocate_it() {
        let mut d = FrameDecoder::new(Framing::Multiplexed);
        let mut buf = BytesMut::from(&[1u8, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, b'x'][..]);
        assert_eq!(d.decode(&mut buf).unwrap(), None);
        assert!(buf.capacity() <= 2 * MAX_CHUNK, "{}", buf.capacity());
    }

    #[test]
    fn framing_from_tty_or_a_trustworthy_content_type() {
        let content_type = |daemon: &str, file: &str| {
            let headers = String::from_utf8(fixture(&format!("daemon/{daemon}/{file}"))).unwrap();
            headers
                .lines()
                .find_map(|l| l.strip_prefix("Content-Type: ").map(|v| v.trim().to_string()))
        };
        use Framing::*;
        // (daemon, headers, Tty) -> framing without the flag, with it.
        for (daemon, file, tty, without_tty) in [
            ("20.10", "logs-multiplexed.headers", false, None),
            ("28", "logs-multiplexed.headers", false, Some(Multiplexed)),
            ("20.10", "logs-tty.headers", true, None),
            ("28", "logs-tty.headers", true, None),
            // `raw-stream`, but the body is multiplexed: not to be trusted.
            ("20.10", "attach-logs.headers", false, None),
            ("28", "attach-logs.headers", false, None),
            ("20.10", "attach-logs-upgrade.headers", false, None),
            ("28", "attach-logs-upgrade.headers", false, Some(Multiplexed)),
            ("28", "attach-tty-upgrade.headers", true, None),
            ("20.10", "exec-start.headers", false, None),
            ("28", "exec-start-upgrade.headers", false, Some(Multiplexed)),
            ("28", "exec-start-tty.headers", true, None),
        ] {
            let ct = content_type(daemon, file);
            assert_eq!(
                Framing::decide(None, ct.as_deref()),
                without_tty,
                "{daemon}/{file}"
            );
            assert_eq!(
                Framing::decide(Some(tty), ct.as_deref()),
                Some(Framing::from_tty(tty)),
                "{daemon}/{file}"
            );
        }
        assert_eq!(
            Framing::decide(None, Some("Application/Vnd.Docker.Multiplexed-Stream; x=y")),
            Some(Multiplexed)
        );
    }

    #[test]
    fn logs_framing_from_the_content_type_and_the_request_version() {
        let content_type = |daemon: &str, file: &str| {
            let headers = String::from_utf8(fixture(&format!("daemon/{daemon}/{file}"))).unwrap();
            headers
                .lines()
                .find_map(|l| l.strip_prefix("Content-Type: ").map(|v| v.trim().to_string()))
        };
        use Framing::*;
        let (v41, v42, v51) = (ApiVersion::v1(41), ApiVersion::v1(42), ApiVersion::v1(51));
        // The recorded logs responses (requested at the daemon's own version).
        for (daemon, file, version, expected) in [
            ("20.10", "logs-multiplexed.headers", v41, None),
            ("20.10", "logs-tty.headers", v41, None),
            ("28", "logs-multiplexed.headers", v51, Some(Multiplexed)),
            ("28", "logs-timestamps.headers", v51, Some(Multiplexed)),
            ("28", "logs-tty.headers", v51, Some(Raw)),
        ] {
            let ct = content_type(daemon, file);
            assert_eq!(
                Framing::of_logs(ct.as_deref(), version),
                expected,
                "{daemon}/{file}"
            );
        }
        // `raw-stream` answers a request older than 1.42 whatever the TTY: not trusted.
        assert_eq!(Framing::of_logs(Some(RAW_CONTENT_TYPE), v41), None);
        assert_eq!(Framing::of_logs(Some(RAW_CONTENT_TYPE), v42), Some(Raw));
        assert_eq!(
            Framing::of_logs(Some("Application/VND.docker.raw-stream ; charset=x"), v51),
            Some(Raw)
        );
        assert_eq!(
            Framing::of_logs(Some(MULTIPLEXED_CONTENT_TYPE), v41),
            Some(Multiplexed)
        );
        for generic in [
            None,
            Some("application/octet-stream"),
            Some("text/plain"),
            Some(""),
        ] {
            assert_eq!(Framing::of_logs(generic, v51), None, "{generic:?}");
        }
    }
}
