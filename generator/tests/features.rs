//! The root crate's `[features]` are the version table: one `v1_XX = []` per version,
//! `latest` pointing at the newest, `default = ["latest"]`, and no other version-like feature.

use docker_engine_api_codegen::{VERSIONS, versions};
use std::collections::BTreeMap;
use std::path::Path;

type Features = BTreeMap<String, Vec<String>>;
/// Breaks a copy of the features in one way.
type Breaker<'a> = Box<dyn Fn(&mut Features) + 'a>;

fn root_features() -> Features {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let manifest: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let features = manifest
        .get("features")
        .and_then(toml::Value::as_table)
        .expect("the root Cargo.toml has [features]");
    features
        .iter()
        .map(|(name, deps)| {
            let deps = deps
                .as_array()
                .unwrap_or_else(|| panic!("feature `{name}` is not a list"))
                .iter()
                .map(|d| d.as_str().expect("feature entries are strings").to_string())
                .collect();
            (name.clone(), deps)
        })
        .collect()
}

/// `v1_41`, `v1.41`, `1_41`, `v2_0`...: anything that names an API version.
fn version_like(name: &str) -> bool {
    let rest = name.strip_prefix('v').unwrap_or(name);
    rest.starts_with(|c: char| c.is_ascii_digit())
        && rest.chars().all(|c| c.is_ascii_digit() || c == '_' || c == '.')
}

/// What is wrong with `features` against the version table.
fn problems(features: &Features) -> Vec<String> {
    let mut problems = Vec::new();
    let expected: Vec<String> = VERSIONS.iter().map(|v| v.feature()).collect();
    for f in &expected {
        match features.get(f) {
            None => problems.push(format!("missing `{f} = []` (it is in VERSIONS)")),
            Some(deps) if !deps.is_empty() => problems.push(format!("`{f}` must be `[]`, is {deps:?}")),
            Some(_) => {}
        }
    }
    for name in features.keys().filter(|n| version_like(n)) {
        if !expected.contains(name) {
            problems.push(format!("feature `{name}` names no version of VERSIONS"));
        }
    }
    let newest = vec![versions::latest().feature()];
    match features.get("latest") {
        Some(deps) if *deps == newest => {}
        other => problems.push(format!("`latest` must be {newest:?}, is {other:?}")),
    }
    match features.get("default") {
        Some(deps) if deps == &["latest"] => {}
        other => problems.push(format!("`default` must be [\"latest\"], is {other:?}")),
    }
    problems
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
