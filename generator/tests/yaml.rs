//! The generator's YAML reader (src/yaml.rs) against serde-saphyr, the reader it replaced: every
//! vendored spec must read as the same JSON, keys in the same order.

use docker_engine_api_codegen::parse_spec;
use serde_json::Value;
use std::path::Path;

#[test]
fn every_spec_reads_as_serde_saphyr_reads_it() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let mut specs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    specs.sort();
    assert!(specs.len() >= 32, "{} specs in {}", specs.len(), dir.display());
    for path in specs {
        let text = std::fs::read_to_string(&path).unwrap();
        let ours = parse_spec(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let theirs: Value = serde_saphyr::from_str(&text).unwrap();
        // As strings: `Value`'s equality ignores the order of keys.
        let (ours, theirs) = (ours.to_string(), theirs.to_string());
        if ours != theirs {
            let at = ours
                .chars()
                .zip(theirs.chars())
                .take_while(|(a, b)| a == b)
                .count();
            let around = |s: &str| {
                s.chars()
                    .skip(at.saturating_sub(80))
                    .take(160)
                    .collect::<String>()
            };
            panic!(
                "{} reads otherwise, from character {at} of its JSON:\nours:   {}\ntheirs: {}",
                path.display(),
                around(&ours),
                around(&theirs)
            );
        }
    }
}
