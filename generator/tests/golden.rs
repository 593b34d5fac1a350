//! Golden snapshots of the generated code, the version modules and the facade's glue (see
//! `docker_engine_api_codegen::golden`), and determinism. The snapshots are not compiled (cargo only builds the top-level files of
//! `tests/`). Refresh them with `cargo xtask regen`, or
//! `UPDATE_GOLDEN=1 cargo test -p docker-engine-api-codegen --test golden`.

use docker_engine_api_codegen::{SpecVersion, generate, generate_shared, golden};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn version(minor: u32) -> &'static SpecVersion {
    SpecVersion::find(minor).expect("in VERSIONS")
}

fn generated(v: &'static SpecVersion) -> String {
    generate(&root().join("specs"), v).unwrap_or_else(|e| panic!("v{}: {e}", v.name()))
}

#[test]
fn generated_code_matches_the_golden_files() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| !v.is_empty() && v != "0");
    let generated = golden::generate_all(&root()).unwrap_or_else(|e| panic!("{e}"));
    if update {
        for path in golden::write(&root(), &generated).unwrap_or_else(|e| panic!("{e}")) {
            println!("wrote {}", path.display());
        }
        return;
    }
    let drift = golden::problems(&root(), &generated);
    assert!(
        drift.is_empty(),
        "the generated code changed:\n{}\n\nIf the change is intended, refresh the snapshots with\n    \
         {}\nand review the diff of generator/tests/golden/.",
        drift.join("\n\n"),
        golden::REFRESH
    );
}

#[test]
fn the_snapshots_follow_the_version_table() {
    let minors: Vec<_> = golden::versions().iter().map(|v| v.minor).collect();
    let all = docker_engine_api_codegen::VERSIONS;
    assert_eq!(
        minors,
        [
            all[0].minor,
            golden::OLDEST_UPSTREAM,
            golden::MIDDLE,
            all[all.len() - 1].minor
        ],
        "the oldest, the oldest upstream, the middle and the newest version"
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
    let run = |threads| {
        generate_shared(&root().join("specs"), &versions, threads).unwrap_or_else(|e| panic!("{e}"))
    };
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
