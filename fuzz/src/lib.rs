//! The fuzz harnesses, shared by the cargo-fuzz targets and the stable replay test. Besides
//! "never panics": the stream decoders' results must not depend on how the input was cut into
//! reads (the frame decoder is also checked against a plain reference decoder); a parsed
//! `DOCKER_HOST` must print back to itself and never show a password; the CLI files' errors must
//! say where, never what.

use bytes::BytesMut;
use docker_engine_api::streams::{
    FrameDecoder, Framing, JsonLinesDecoder, LogChunk, MAX_CHUNK, StdStream, build_image_id,
};
use docker_engine_api::{Endpoint, Error, v1_41};
use tokio_util::codec::Decoder;

/// What a decoder made of an input: the chunks, then the error that ended it (as text: the
/// error type is not `PartialEq`).
#[derive(Debug, PartialEq, Eq)]
struct Frames {
    chunks: Vec<LogChunk>,
    error: Option<String>,
}

/// The frame decoder. Input: one control byte (bit 0: raw framing; the others seed the read
/// sizes), then the body.
pub fn frames(data: &[u8]) {
    let Some((&control, body)) = data.split_first() else {
        return;
    };
    let framing = if control & 1 == 1 {
        Framing::Raw
    } else {
        Framing::Multiplexed
    };
    let whole = decode_frames(framing, [body]);
    let cut = decode_frames(framing, reads(body, control >> 1));
    for chunks in [&whole.chunks, &cut.chunks] {
        assert!(
            chunks
                .iter()
                .all(|c| !c.bytes.is_empty() && c.bytes.len() <= MAX_CHUNK.max(body.len()))
        );
        assert!(chunks.iter().map(|c| c.bytes.len()).sum::<usize>() <= body.len());
    }
    match framing {
        Framing::Multiplexed => {
            assert_eq!(cut, whole, "the reads changed the result");
            assert_eq!(whole, reference(body), "differs from the reference decoder");
        }
        Framing::Raw => {
            for out in [&whole, &cut] {
                assert!(out.error.is_none());
                assert!(out.chunks.iter().all(|c| c.stream == StdStream::Stdout));
                let joined: Vec<u8> = out.chunks.iter().flat_map(|c| c.bytes.to_vec()).collect();
                assert_eq!(joined, body);
            }
        }
    }
}

/// Feeds `reads` as tokio-util's `FramedRead` does: `decode` until `None` after each read,
/// `decode_eof` at the end; after an error, goes on feeding to check that nothing follows.
fn decode_frames<'a>(framing: Framing, reads: impl IntoIterator<Item = &'a [u8]>) -> Frames {
    let mut decoder = FrameDecoder::new(framing);
    let mut buf = BytesMut::new();
    let mut out = Frames {
        chunks: Vec::new(),
        error: None,
    };
    let push = |item: Result<Option<LogChunk>, Error>, out: &mut Frames| match item {
        Ok(Some(chunk)) => {
            assert!(out.error.is_none(), "a chunk after an error");
            out.chunks.push(chunk);
            true
        }
        Ok(None) => false,
        Err(e) => {
            assert!(out.error.is_none(), "a second error");
            out.error = Some(shown(&e));
            false
        }
    };
    for read in reads {
        buf.extend_from_slice(read);
        while push(decoder.decode(&mut buf), &mut out) {}
    }
    while push(decoder.decode_eof(&mut buf), &mut out) {}
    out
}

/// Errors compared by kind and position, not wording.
fn shown(e: &Error) -> String {
    match e {
        Error::Frame { offset, .. } => format!("frame error at {offset}"),
        Error::Stream { message, code } => format!("stream error {code:?}: {message}"),
        other => panic!("unexpected error kind: {other:?}"),
    }
}

/// The multiplexed format decoded the plain way, from the whole input at once.
fn reference(body: &[u8]) -> Frames {
    let mut out = Frames {
        chunks: Vec::new(),
        error: None,
    };
    let mut at = 0;
    while at < body.len() {
        let rest = &body[at..];
        if rest.len() < 8 {
            out.error = Some(format!("frame error at {at}"));
            break;
        }
        let len = u32::from_be_bytes(rest[4..8].try_into().unwrap()) as usize;
        let stream = match (rest[0], &rest[1..4]) {
            (0, [0, 0, 0]) => StdStream::Stdin,
            (1, [0, 0, 0]) => StdStream::Stdout,
            (2, [0, 0, 0]) => StdStream::Stderr,
            (3, [0, 0, 0]) => {
                let end = rest.len().min(8 + len.min(MAX_CHUNK));
                let message = String::from_utf8_lossy(&rest[8..end]).trim_end().to_string();
                out.error = Some(format!("stream error None: {message}"));
                break;
            }
            _ => {
                out.error = Some(format!("frame error at {at}"));
                break;
            }
        };
        at += 8;
        let mut remaining = len;
        while remaining > 0 {
            let piece = remaining.min(MAX_CHUNK);
            if body.len() - at < piece {
                out.error = Some(format!("frame error at {at}"));
                return out;
            }
            out.chunks.push(LogChunk {
                stream,
                bytes: body[at..at + piece].to_vec().into(),
            });
            at += piece;
            remaining -= piece;
        }
    }
    out
}

/// The JSON-lines decoder, into untyped values and into two of the v1.41 module's types.
/// Input: the body itself (the read sizes are seeded from it).
pub fn json_lines(data: &[u8]) {
    let seed = data.first().copied().unwrap_or(0) ^ data.len() as u8;
    let lines = data
        .split(|b| *b == b'\n')
        .filter(|l| !l.trim_ascii().is_empty())
        .count();
    let values = check_json_lines::<serde_json::Value>(JsonLinesDecoder::new, data, seed);
    assert_eq!(values.len(), lines, "one item per non-blank line");
    for value in values.iter().flatten() {
        build_image_id(value);
    }
    let builds = check_json_lines::<v1_41::types::BuildInfo>(JsonLinesDecoder::new, data, seed);
    assert_eq!(builds.len(), lines);
    for item in builds.iter().flatten() {
        build_image_id(item);
    }
    let events = check_json_lines::<v1_41::types::EventMessage>(JsonLinesDecoder::new, data, seed);
    assert_eq!(events.len(), lines);
}

/// Decodes `data` whole and in seeded reads; both must give the same items.
fn check_json_lines<T: serde::de::DeserializeOwned + serde::Serialize + std::fmt::Debug>(
    decoder: impl Fn() -> JsonLinesDecoder<T>,
    data: &[u8],
    seed: u8,
) -> Vec<Result<T, Error>> {
    let whole = decode_json_lines(decoder(), [data]);
    let cut = decode_json_lines(decoder(), reads(data, seed));
    // Through `serde_json::Value`: the types' `HashMap`s print in a different order each time.
    let show = |items: &[Result<T, Error>]| {
        let shown: Vec<String> = items
            .iter()
            .map(|item| match item {
                Ok(item) => serde_json::to_value(item).unwrap().to_string(),
                Err(e) => format!("{e:?}"),
            })
            .collect();
        shown
    };
    assert_eq!(show(&cut), show(&whole), "the reads changed the result");
    for item in &whole {
        if let Err(e) = item {
            assert!(matches!(e, Error::Stream { .. } | Error::Decode { .. }), "{e:?}");
        }
    }
    whole
}

fn decode_json_lines<'a, T: serde::de::DeserializeOwned>(
    mut decoder: JsonLinesDecoder<T>,
    reads: impl IntoIterator<Item = &'a [u8]>,
) -> Vec<Result<T, Error>> {
    let mut buf = BytesMut::new();
    let mut out = Vec::new();
    for read in reads {
        buf.extend_from_slice(read);
        while let Some(item) = decoder.decode(&mut buf).expect("only I/O errors end the decoder") {
            out.push(item);
        }
    }
    while let Some(item) = decoder
        .decode_eof(&mut buf)
        .expect("only I/O errors end the decoder")
    {
        out.push(item);
    }
    out
}

/// `data` cut into reads of 1 to 16 bytes, sizes drawn from `seed` (xorshift).
fn reads(data: &[u8], seed: u8) -> Vec<&[u8]> {
    let mut state = u32::from(seed).wrapping_mul(2_654_435_761) | 1;
    let mut out = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let n = (1 + state % 16) as usize;
        let (read, tail) = rest.split_at(n.min(rest.len()));
        out.push(read);
        rest = tail;
    }
    out
}

/// A password planted in `DOCKER_HOST` values: no error, `Display` or `Debug` may show it.
const PLANTED: &str = "Pl4nt3dPw";

/// `DOCKER_HOST` parsing. Input: the value (invalid UTF-8 replaced). Checked: a parsed endpoint
/// prints back to itself, shows no credentials, and its base URL carries its very host and port;
/// an error is a configuration error; with a password planted in the value, nothing shows it.
pub fn docker_host(data: &[u8]) {
    let s = String::from_utf8_lossy(data);
    check_host(&s);
    if s.contains(PLANTED) {
        return;
    }
    let planted = match s.split_once("://") {
        Some((scheme, rest)) => [
            format!("{scheme}://u:{PLANTED}@{rest}"),
            format!("{scheme}://{PLANTED}@{rest}"),
        ],
        None => [format!("u:{PLANTED}@{s}"), format!("{PLANTED}@{s}")],
    };
    for (i, value) in planted.iter().enumerate() {
        match Endpoint::parse(value) {
            // `USER@` is legitimate in ssh://, and shown.
            Ok(Endpoint::Ssh(_)) if i == 1 => {}
            Ok(e) => panic!("{value:?}: accepted as {e:?}"),
            Err(e) => assert!(!format!("{e} {e:?}").contains(PLANTED), "{value:?}: {e:?}"),
        }
    }
}

fn check_host(s: &str) {
    let endpoint = match Endpoint::parse(s) {
        Ok(endpoint) => endpoint,
        Err(Error::Config(m)) => {
            assert!(m.starts_with("invalid DOCKER_HOST `"), "{m}");
            return;
        }
        Err(other) => panic!("{s:?}: not a configuration error: {other:?}"),
    };
    let shown = endpoint.to_string();
    match Endpoint::parse(&shown) {
        Ok(again) => assert_eq!(again, endpoint, "{s:?} printed as {shown:?}"),
        Err(e) => panic!("{s:?} printed as {shown:?}, which does not parse: {e}"),
    }
    match &endpoint {
        Endpoint::Tcp { host, port } => {
            assert!(!shown.contains('@'), "{shown}");
            let base = docker_engine_api::__fuzz::base_url(&endpoint);
            let url = url::Url::parse(&base).unwrap_or_else(|e| panic!("{s:?}: {base}: {e}"));
            assert_eq!(url.host_str(), Some(host.as_str()), "{s:?}: {base}");
            assert_eq!(url.port_or_known_default(), Some(*port), "{s:?}: {base}");
        }
        Endpoint::Ssh(target) => {
            assert!(
                target.user.as_deref().is_none_or(|u| !u.contains([':', '@'])),
                "{target:?}"
            );
        }
        Endpoint::Unix(path) => assert!(path.is_absolute(), "{path:?}"),
        _ => {}
    }
}

/// The CLI's files: the input as a context's `meta.json` and as a `config.json`. Checked: a
/// context's endpoint prints back to itself; a JSON error says only its kind and position; a
/// bad `Host` is reported as `DOCKER_HOST` would be.
pub fn context(data: &[u8]) {
    match docker_engine_api::__fuzz::context_meta(data) {
        Ok((endpoint, _)) => check_host(&endpoint.to_string()),
        Err(m) if m.starts_with("invalid Docker host `") => {
            // The same error as that `Host` in DOCKER_HOST (when the document reads as a whole:
            // serde skips the ignored fields without checking their UTF-8).
            let document = serde_json::from_slice::<serde_json::Value>(data);
            let host = document
                .as_ref()
                .ok()
                .and_then(|d| d["Endpoints"]["docker"]["Host"].as_str());
            if let Some(host) = host {
                match Endpoint::parse(host) {
                    Err(Error::Config(e)) => assert_eq!(
                        e.strip_prefix("invalid DOCKER_HOST "),
                        m.strip_prefix("invalid Docker host ")
                    ),
                    other => panic!("{host:?}: {m}, but parsed alone: {other:?}"),
                }
            }
        }
        Err(m) if m.starts_with("no Docker endpoint") => {}
        Err(m) => json_error_only(&m),
    }
    if let Err(m) = docker_engine_api::__fuzz::current_context(data) {
        json_error_only(&m);
    }
    registry_config(data);
}

/// The input as `config.json` credentials: no error quotes a stored `auth`, `password` or
/// `identitytoken`. Checked for the values that hold `secret` (as the seeds' do) outside the
/// registry keys, which errors name: no message of the decoder contains that word.
fn registry_config(data: &[u8]) {
    let errors = docker_engine_api::__fuzz::registry_config(data);
    let Ok(document) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let Some(auths) = document.get("auths").and_then(|a| a.as_object()) else {
        return;
    };
    let secrets = auths.values().flat_map(|entry| {
        ["auth", "password", "identitytoken"]
            .into_iter()
            .filter_map(move |f| entry.get(f).and_then(|v| v.as_str()))
    });
    for secret in secrets.filter(|s| s.contains("secret")) {
        for e in &errors {
            let mut shown = e.clone();
            for key in auths.keys() {
                shown = shown.replace(key.as_str(), "");
            }
            assert!(!shown.contains("secret"), "{e:?} quotes {secret:?}");
        }
    }
}

/// "KIND at line N, column M", nothing from the document.
fn json_error_only(m: &str) {
    let (kind, position) = m.split_once(" at line ").unwrap_or_else(|| panic!("{m}"));
    let kinds = [
        "not valid JSON",
        "truncated JSON",
        "a value of the wrong type",
        "unreadable",
    ];
    assert!(kinds.contains(&kind), "{m}");
    let (line, column) = position.split_once(", column ").unwrap_or_else(|| panic!("{m}"));
    assert!(
        line.parse::<u64>().is_ok() && column.parse::<u64>().is_ok(),
        "{m}"
    );
}

#[cfg(test)]
mod tests;
