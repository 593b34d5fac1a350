//! The derived v1.24 spec: its citations hold, it is reproducible, and it knows only the
//! requests that the v1.24 reference (`specs/v1.24.md`) documents.

mod support;

use docker_engine_api_codegen::{load_spec, operation_ids, parse_spec, spec_yaml};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use xtask::v1_24::{self, EDITS, Op, citation_problems, derive};

fn read(rel: &str) -> String {
    std::fs::read_to_string(support::root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn spec(name: &str) -> Value {
    load_spec(&support::root().join("specs").join(name)).unwrap_or_else(|e| panic!("{e}"))
}

/// `/containers/(id or name)/json` and `/containers/{id}/json` to `/containers/{}/json`.
fn normalized(path: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '(' | '{' => {
                if depth == 0 {
                    out.push_str("{}");
                }
                depth += 1;
            }
            ')' | '}' => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The endpoints of v1.24.md (`GET /containers/{}/json`) with their documented query parameters.
fn reference_endpoints() -> BTreeMap<String, BTreeSet<String>> {
    let md = read("specs/v1.24.md");
    let mut endpoints: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut current: Option<String> = None;
    let mut in_query = false;
    for line in md.lines() {
        let methods = ["GET ", "POST ", "PUT ", "DELETE ", "HEAD "];
        if let Some(rest) = line
            .strip_prefix('`')
            .filter(|r| methods.iter().any(|m| r.starts_with(m)))
        {
            let (method, path) = rest.trim_end_matches('`').split_once(' ').unwrap();
            // The push example names the plugin `tiborvass/(plugin name)` on a full URL.
            let path = path.split(" HTTP").next().unwrap().split('?').next().unwrap();
            let path = path.replace("/v1.24/plugins/tiborvass/", "/plugins/");
            let key = format!("{method} {}", normalized(&path));
            endpoints.entry(key.clone()).or_default();
            current = Some(key);
            in_query = false;
        } else if line.starts_with("**") {
            in_query = line.starts_with("**Query parameters");
        } else if line.starts_with('#') {
            in_query = false;
        } else if in_query && let Some(name) = line.trim_start_matches(['-', ' ']).strip_prefix("**") {
            let name = name.split("**").next().unwrap().trim();
            endpoints
                .get_mut(current.as_ref().unwrap())
                .unwrap()
                .insert(name.into());
        }
    }
    endpoints
}

/// `GET /containers/{}/json` to its operation, for a Swagger 2.0 document.
fn operations(doc: &Value) -> BTreeMap<String, Value> {
    let mut ops = BTreeMap::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if method != "parameters" {
                ops.insert(
                    format!("{} {}", method.to_uppercase(), normalized(path)),
                    op.clone(),
                );
            }
        }
    }
    ops
}

#[test]
fn every_citation_is_in_the_upstream_texts() {
    let problems = citation_problems(&read("specs/CHANGELOG.md"), &read("specs/v1.24.md"));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn broken_citations_are_found() {
    let changelog = read("specs/CHANGELOG.md");
    let md = read("specs/v1.24.md");
    // A cited changelog bullet that disappears, and a v1.24.md section renamed.
    let without = changelog.replace("* `GET /version` now returns `MinAPIVersion`.\n", "");
    let problems = citation_problems(&without, &md.replace("#### Update a service", "#### Update"));
    assert!(
        problems.iter().any(|p| p.contains("version-no-min-api-version")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("no section \"Update a service\"")),
        "{problems:?}"
    );
    // A new bullet that no edit cites and that is not listed as needing none.
    let added = changelog.replace(
        "## v1.25 API changes\n",
        "## v1.25 API changes\n\n* `GET /new` is new.\n",
    );
    let problems = citation_problems(&added, &md);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("cited 0 times") && p.contains("GET /new")),
        "{problems:?}"
    );
}

#[test]
fn the_derivation_is_reproducible_and_round_trips() {
    let derived = derive(&spec(v1_24::FROM)).unwrap();
    assert_eq!(derived, derive(&spec(v1_24::FROM)).unwrap());
    assert_eq!(
        derived,
        spec(v1_24::SPEC),
        "specs/v1.24.yaml is stale: cargo xtask regen"
    );
    let text = spec_yaml(&derived).unwrap();
    assert_eq!(
        parse_spec(&text).unwrap(),
        derived,
        "the YAML output does not read back"
    );
    assert_eq!(derived["info"]["version"], "1.24");
    assert_eq!(derived["basePath"], "/v1.24");
}

#[test]
fn an_edit_that_finds_nothing_fails_the_derivation() {
    // v1.24 itself has nothing left to undo.
    let err = derive(&spec(v1_24::SPEC)).unwrap_err();
    assert!(err.starts_with("edit `version-1.24`"), "{err}");
    let mut v1_25 = spec(v1_24::FROM);
    v1_25["paths"].as_object_mut().unwrap().remove("/system/df");
    let err = derive(&v1_25).unwrap_err();
    assert_eq!(err, "edit `no-system-df`: no path /system/df");
}

#[test]
fn v1_24_has_only_the_requests_of_the_v1_24_reference() {
    let reference = reference_endpoints();
    let derived = operations(&spec(v1_24::SPEC));
    let unknown: Vec<_> = derived.keys().filter(|k| !reference.contains_key(*k)).collect();
    assert!(
        unknown.is_empty(),
        "operations v1.24.md does not document: {unknown:?}"
    );

    // The reference's only endpoints missing are the experimental plugin ones (3.6).
    let missing: Vec<_> = reference.keys().filter(|k| !derived.contains_key(*k)).collect();
    assert!(!missing.is_empty());
    assert!(
        missing.iter().all(|k| k.contains(" /plugins")),
        "v1.24.md endpoints lost: {missing:?}"
    );

    // Query parameters: those of v1.24.md's lists, and three it shows in prose or an example.
    let in_prose = [
        ("HEAD /containers/{}/archive", "path"),
        ("GET /images/get", "names"),
        ("GET /images/json", "digests"),
    ];
    let mut extra = Vec::new();
    for (key, op) in &derived {
        for p in op["parameters"].as_array().into_iter().flatten() {
            let name = p["name"].as_str().unwrap();
            if p["in"] == "query"
                && !reference[key].contains(name)
                && !in_prose.contains(&(key.as_str(), name))
            {
                extra.push(format!("{key} ?{name}"));
            }
        }
    }
    assert!(
        extra.is_empty(),
        "query parameters v1.24.md does not document: {extra:?}"
    );
}

/// progenitor's method name of an operationId (`ContainerPrune` -> `container_prune`).
fn snake_case(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev.is_ascii_lowercase() || prev.is_ascii_digit() || (prev.is_ascii_uppercase() && next_lower)
            {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// The v1_24 module (its golden snapshot, kept current by `check`) has a client method for
/// each v1.24 operation and none for the operations the edits removed.
#[test]
fn the_v1_24_module_has_no_method_for_removed_requests() {
    let golden = read("generator/tests/golden/v1_24.rs");
    let has_method = |id: &str| golden.contains(&format!("pub fn {}(&self)", snake_case(id)));
    let kept = operation_ids(&spec(v1_24::SPEC));
    let removed: Vec<String> = operation_ids(&spec(v1_24::FROM))
        .into_iter()
        .filter(|id| !kept.contains(id))
        .collect();
    assert_eq!(removed.len(), 22, "{removed:?}");
    for id in &kept {
        assert!(has_method(id), "no method for {id}");
    }
    for id in &removed {
        assert!(
            !has_method(id),
            "v1_24 has a method for {id}, which v1.24 does not know"
        );
    }
}

#[test]
fn every_edit_is_named_once_and_cited() {
    let mut names = BTreeSet::new();
    for e in EDITS {
        assert!(names.insert(e.name), "{} twice", e.name);
        assert!(!e.ops.is_empty(), "{} changes nothing", e.name);
    }
    // Removals outnumber additions: v1.24 is v1.25 minus what 1.25 added.
    let adds = EDITS
        .iter()
        .flat_map(|e| e.ops)
        .filter(|o| matches!(o, Op::AddParameter { .. } | Op::AddProperty { .. }))
        .count();
    assert_eq!(adds, 6);
}
