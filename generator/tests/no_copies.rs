//! What decoding costs, checked on the golden snapshots (the generated code of v1.24, v1.25,
//! v1.41 and v1.55): no value is copied on its way into a generated type, and no request
//! carries progenitor's `api-version` header or copies the response headers.

use std::path::Path;

fn snapshots() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        // The modules only: `glue_*.rs` are the glue over them (no types, no requests).
        .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with("glue_"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    assert!(files.len() >= 4, "{files:?}");
    files
}

/// Length-constrained (or pattern-constrained) strings were newtypes whose `Deserialize` read a
/// `String` and copied it once more; under the plain-types rule they are plain `String`s. The
/// newtypes left (an enum of integers, maps with a fixed value, `Option` wrappers) move the
/// decoded value into `Self`.
#[test]
fn no_newtype_copies_a_value() {
    for (file, code) in snapshots() {
        for decl in code.split("pub struct ").skip(1) {
            let Some((name, rest)) = decl.split_once('(') else {
                continue;
            };
            if name.contains(['{', ';', '\n', ' ']) {
                continue; // not a tuple struct
            }
            let inner: String = rest.split(");").next().unwrap().split_whitespace().collect();
            let inner = inner.trim_start_matches("pub").trim_end_matches(',');
            assert!(
                !matches!(inner, "::std::string::String" | "String" | "&'staticstr"),
                "{file}: a string newtype: {name}({inner})"
            );
        }
        // Every `TryFrom` of a newtype ends in `Ok(Self(value))`: the value moves in.
        for (i, chunk) in code.split("impl ::std::convert::TryFrom<").enumerate().skip(1) {
            let body = chunk.split("\n    }\n").next().unwrap();
            assert!(
                body.contains("Ok(Self(value))")
                    && !body.contains("value.clone()")
                    && !body.contains("to_string()"),
                "{file}: TryFrom impl #{i} copies:\n{body}"
            );
        }
    }
}

#[test]
fn requests_send_no_api_version_header_and_move_response_headers() {
    for (file, code) in snapshots() {
        assert!(!code.contains("\"api-version\""), "{file}");
        for copy in [
            "ResponseValue::from_response(",
            "ResponseValue::stream(",
            "ResponseValue::empty(",
        ] {
            assert!(!code.contains(copy), "{file}: {copy}");
        }
        assert!(code.contains("stream_value(response)"), "{file}");
    }
}
