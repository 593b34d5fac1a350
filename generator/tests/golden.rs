//! Golden snapshots of the generated code, and determinism.
//!
//! `tests/golden/v1_XX.rs` hold the standalone output of `generate()` (no sharing) for the oldest,
//! a middle and the newest version, so that a change of the generator, the fixes or the
//! progenitor version shows up as a reviewable diff. They are not compiled (cargo only builds the
//! top-level files of `tests/`). Refresh them with
//! `UPDATE_GOLDEN=1 cargo test -p docker-engine-api-codegen --test golden`.

use docker_engine_api_codegen::{ApiVersion, generate, generate_shared};
use std::path::{Path, PathBuf};

const GOLDEN_MINORS: &[u32] = &[25, 41, 55];
const REFRESH: &str = "UPDATE_GOLDEN=1 cargo test -p docker-engine-api-codegen --test golden";

fn specs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs")
}

fn golden_path(v: &ApiVersion) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(format!("{}.rs", v.feature()))
}

fn version(minor: u32) -> &'static ApiVersion {
    ApiVersion::find(minor).expect("in VERSIONS")
}

fn generated(v: &'static ApiVersion) -> String {
    generate(&specs_dir(), v).unwrap_or_else(|e| panic!("v{}: {e}", v.name()))
}

/// Where two texts first differ, with a few lines of each.
fn first_difference(expected: &str, actual: &str) -> String {
    let (e, a): (Vec<_>, Vec<_>) = (expected.lines().collect(), actual.lines().collect());
    let n = e
        .iter()
        .zip(&a)
        .position(|(x, y)| x != y)
        .unwrap_or(e.len().min(a.len()));
    let show = |lines: &[&str]| {
        lines
            .iter()
            .skip(n.saturating_sub(2))
            .take(6)
            .map(|l| format!("    {l}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    format!(
        "first difference at line {} ({} lines in the snapshot, {} generated)\n  snapshot:\n{}\n  generated:\n{}",
        n + 1,
        e.len(),
        a.len(),
        show(&e),
        show(&a)
    )
}

#[test]
fn generated_code_matches_the_golden_files() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| !v.is_empty() && v != "0");
    let mut drift = Vec::new();
    for &minor in GOLDEN_MINORS {
        let v = version(minor);
        let path = golden_path(v);
        let actual = generated(v);
        if update {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &actual).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            println!("wrote {}", path.display());
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(expected) if expected == actual => {}
            Ok(expected) => drift.push(format!(
                "{} is out of date: {}",
                path.display(),
                first_difference(&expected, &actual)
            )),
            Err(e) => drift.push(format!("{}: {e}", path.display())),
        }
    }
    assert!(
        drift.is_empty(),
        "the generated code changed:\n{}\n\nIf the change is intended, refresh the snapshots with\n    \
         {REFRESH}\nand review the diff of generator/tests/golden/.",
        drift.join("\n\n")
    );
}

#[test]
fn generation_is_deterministic() {
    let v = version(41);
    assert!(generated(v) == generated(v), "two runs of generate(v1.41) differ");
}

#[test]
fn shared_generation_is_deterministic() {
    let versions = [version(40), version(41), version(42)];
    let run = |threads| generate_shared(&specs_dir(), &versions, threads).unwrap_or_else(|e| panic!("{e}"));
    let first = run(2);
    let second = run(2);
    let single = run(1);
    assert_eq!(first.len(), 3);
    for (i, (v, code)) in first.iter().enumerate() {
        assert!(
            *code == second[i].1,
            "v{}: two runs of generate_shared differ",
            v.name()
        );
        assert!(
            *code == single[i].1,
            "v{}: the thread count changes the output",
            v.name()
        );
    }
    // And sharing happened: the newer modules re-export from the older ones.
    assert!(
        first[1].1.contains("pub use crate::v1_40::types::"),
        "v1.41 shares nothing with v1.40"
    );
    assert!(
        first[2].1.contains("pub use crate::v1_40::types::"),
        "v1.42 shares nothing with v1.40"
    );
}
