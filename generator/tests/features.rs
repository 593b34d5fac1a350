//! The root crate's `[features]` are the version table: one `v1_XX = []` per version,
//! `latest` pointing at the newest, `default = ["latest"]`, and no other version-like feature
//! (`docker_engine_api_codegen::features`, also run by `cargo xtask check`).

use docker_engine_api_codegen::features::{Features, problems};
use docker_engine_api_codegen::{VERSIONS, versions};
use std::path::Path;

/// Breaks a copy of the features in one way.
type Breaker<'a> = Box<dyn Fn(&mut Features) + 'a>;

fn root_features() -> Features {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    docker_engine_api_codegen::features::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn root_features_match_the_version_table() {
    let problems = problems(&root_features());
    assert!(
        problems.is_empty(),
        "the root Cargo.toml's [features] disagree with VERSIONS (generator/src/versions.rs):\n{}",
        problems.join("\n")
    );
}

#[test]
fn mismatches_are_found() {
    let good = root_features();
    assert!(problems(&good).is_empty());
    let newest = versions::latest().feature();
    let oldest = VERSIONS[0].feature();
    let broken: Vec<(&str, Breaker<'_>)> = vec![
        ("missing version", Box::new(|f| drop(f.remove(&oldest)))),
        (
            "extra version",
            Box::new(|f| drop(f.insert("v1_99".into(), vec![]))),
        ),
        (
            "dotted version",
            Box::new(|f| drop(f.insert("v1.41".into(), vec![]))),
        ),
        (
            "version with deps",
            Box::new(|f| drop(f.insert(oldest.clone(), vec!["serde".into()]))),
        ),
        (
            "stale latest",
            Box::new(|f| drop(f.insert("latest".into(), vec![oldest.clone()]))),
        ),
        ("no latest", Box::new(|f| drop(f.remove("latest")))),
        (
            "default",
            Box::new(|f| drop(f.insert("default".into(), vec![newest.clone()]))),
        ),
    ];
    for (what, breaks) in broken {
        let mut features = good.clone();
        breaks(&mut features);
        assert!(!problems(&features).is_empty(), "{what} is not found");
    }
    // A feature that is not version-like is none of this test's business.
    let mut features = good;
    features.insert("tokio".into(), vec![]);
    assert!(problems(&features).is_empty());
}
