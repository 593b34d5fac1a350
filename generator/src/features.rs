//! The root crate's `[features]` against the version table: one `v1_XX = []` per version,
//! `latest` pointing at the newest, `default = ["latest"]`, and no other version-like feature.

use crate::versions::{self, VERSIONS};
use std::collections::BTreeMap;

/// Feature name to the features and dependencies it enables.
pub type Features = BTreeMap<String, Vec<String>>;

/// The `[features]` of a Cargo.toml text.
pub fn parse(cargo_toml: &str) -> Result<Features, String> {
    let manifest: toml::Table = toml::from_str(cargo_toml).map_err(|e| e.to_string())?;
    let features = manifest
        .get("features")
        .and_then(toml::Value::as_table)
        .ok_or("no [features] table")?;
    features
        .iter()
        .map(|(name, deps)| {
            let deps = deps
                .as_array()
                .ok_or_else(|| format!("feature `{name}` is not a list"))?
                .iter()
                .map(|d| {
                    d.as_str()
                        .map(str::to_string)
                        .ok_or("feature entries are strings")
                })
                .collect::<Result<_, _>>()?;
            Ok((name.clone(), deps))
        })
        .collect()
}

/// `v1_41`, `v1.41`, `1_41`, `v2_0`...: anything that names an API version.
pub fn version_like(name: &str) -> bool {
    let rest = name.strip_prefix('v').unwrap_or(name);
    rest.starts_with(|c: char| c.is_ascii_digit())
        && rest.chars().all(|c| c.is_ascii_digit() || c == '_' || c == '.')
}

/// What is wrong with `features` against the version table.
pub fn problems(features: &Features) -> Vec<String> {
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
