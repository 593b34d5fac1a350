//! The vendored specs against the version table: every version loads, its fixes apply, and it
//! converts to a valid OpenAPI 3 document; each row of fixes is exactly what its spec needs.

use docker_engine_api_codegen::fixes::{self, Fix};
use docker_engine_api_codegen::{
    SpecVersion, VERSIONS, convert, generate_module, leave_errors_to_the_facade, load_spec, openapi3,
};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn specs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs")
}

fn spec(version: &SpecVersion) -> Value {
    load_spec(&specs_dir().join(&*version.spec)).unwrap_or_else(|e| panic!("{e}"))
}

/// A version with other fixes than the table's.
fn with_fixes(minor: u32, fixes: Vec<Fix>) -> SpecVersion {
    let v = SpecVersion::find(minor).expect("in the table");
    SpecVersion::new(minor, v.spec.clone(), fixes)
}

fn without(minor: u32, name: &str) -> SpecVersion {
    let v = SpecVersion::find(minor).expect("in the table");
    assert!(
        v.fixes.iter().any(|f| f.name == name),
        "v{} has no fix {name}",
        v.name()
    );
    with_fixes(
        minor,
        v.fixes.iter().filter(|f| f.name != name).copied().collect(),
    )
}

#[test]
fn every_version_loads_applies_its_fixes_and_converts() {
    let mut failures = Vec::new();
    let start = Instant::now();
    for v in VERSIONS {
        let mut doc = spec(v);
        assert_eq!(doc["swagger"], "2.0", "{}", v.spec);
        let result = fixes::apply_all(&mut doc, &v.fixes)
            .and_then(|()| convert::to_openapi3(&doc))
            .map_err(|e| e.to_string())
            .and_then(|converted| {
                serde_json::from_value::<openapiv3::OpenAPI>(converted)
                    .map_err(|e| format!("not OpenAPI 3: {e}"))
            });
        match result {
            Ok(api) => {
                assert_eq!(api.info.version, v.name(), "{}: info.version", v.spec);
                assert!(!api.paths.paths.is_empty(), "{}", v.spec);
            }
            Err(e) => failures.push(format!("{}: {e}", v.spec)),
        }
    }
    println!(
        "{} specs loaded, fixed and converted in {:.2?}",
        VERSIONS.len(),
        start.elapsed()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A fix that a row does not list must find nothing to fix in that spec: with the test above
/// (every listed fix applies), each row lists exactly the errors of its spec.
#[test]
fn each_row_lists_exactly_the_errors_of_its_spec() {
    let mut problems = Vec::new();
    for v in VERSIONS {
        let raw = spec(v);
        for fix in fixes::ALL
            .iter()
            .filter(|f| !v.fixes.iter().any(|l| l.name == f.name))
        {
            let mut doc = raw.clone();
            if (fix.apply)(&mut doc) {
                problems.push(format!(
                    "{}: fix `{}` is not in its row but finds its error there ({}); add it to v{}'s row",
                    v.spec,
                    fix.name,
                    fix.why,
                    v.name()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn an_unneeded_fix_fails_with_never_applied() {
    // v1.35 declares Cmd as an array: cmd-type-list has nothing to do there.
    let mut doc = spec(SpecVersion::find(35).unwrap());
    let err = fixes::apply_all(&mut doc, &[fixes::CMD_TYPE_LIST]).unwrap_err();
    assert!(err.0.contains("fix `cmd-type-list` was never applied"), "{err}");
    // Through the whole pipeline, naming the spec.
    let err = openapi3(&specs_dir(), &with_fixes(35, vec![fixes::CMD_TYPE_LIST])).unwrap_err();
    assert!(
        err.0
            .starts_with("v1.35.yaml: fix `cmd-type-list` was never applied"),
        "{err}"
    );
}

#[test]
fn cmd_type_list_is_needed() {
    let err = openapi3(&specs_dir(), &without(25, "cmd-type-list")).unwrap_err();
    assert!(err.0.contains("`type` must be a string"), "{err}");
    assert!(err.0.contains("Cmd"), "{err}");
}

/// Each fix matters for the first version that lists it: without it the spec does not convert,
/// or converts to something else.
#[test]
fn every_fix_changes_the_converted_spec() {
    for fix in fixes::ALL {
        let v = VERSIONS
            .iter()
            .find(|v| v.fixes.iter().any(|f| f.name == fix.name))
            .unwrap();
        let fixed = openapi3(&specs_dir(), v).unwrap_or_else(|e| panic!("{e}"));
        if let Ok(unfixed) = openapi3(&specs_dir(), &without(v.minor, fix.name)) {
            assert_ne!(
                fixed,
                unfixed,
                "v{}: `{}` changes nothing after conversion",
                v.name(),
                fix.name
            );
        }
    }
}

#[test]
fn logs_are_streams_is_needed() {
    let logs_200 = |doc: &Value| {
        doc.pointer("/paths/~1containers~1{id}~1logs/get/responses/200/content")
            .cloned()
    };
    let fixed = openapi3(&specs_dir(), SpecVersion::find(39).unwrap()).unwrap();
    let unfixed = openapi3(&specs_dir(), &without(39, "logs-are-streams")).unwrap();
    assert!(logs_200(&fixed).unwrap()["application/octet-stream"].is_object());
    assert!(logs_200(&unfixed).unwrap()["application/json"].is_object());
}

#[test]
fn auth_never_204_is_needed() {
    let err = generate_module(&specs_dir(), &without(41, "auth-never-204"))
        .err()
        .expect("progenitor cannot generate SystemAuth with 200 and 204");
    assert!(err.0.contains("SystemAuth"), "{err}");
}

/// What `leave_errors_to_the_facade` relies on: every error response of every spec
/// is the `{message}` of `ErrorResponse`, or has no body, so leaving them to the facade loses
/// nothing. And the generated operations then return every error status unread.
#[test]
fn error_responses_are_all_error_response_and_left_unread() {
    for version in VERSIONS {
        let doc = openapi3(&specs_dir(), version).unwrap();
        for item in doc["paths"].as_object().unwrap().values() {
            for (method, op) in item.as_object().unwrap() {
                let Some(responses) = op.get("responses").and_then(Value::as_object) else {
                    continue;
                };
                for (code, response) in responses.iter().filter(|(c, _)| !c.starts_with('2')) {
                    let schemas: Vec<&Value> = response["content"]
                        .as_object()
                        .into_iter()
                        .flat_map(|c| c.values())
                        .map(|m| &m["schema"])
                        .collect();
                    assert!(
                        schemas
                            .iter()
                            .all(|s| s["$ref"] == "#/components/schemas/ErrorResponse"),
                        "{}: {method} {}: {code} is {schemas:?}",
                        version.spec,
                        op["operationId"]
                    );
                }
            }
        }
    }
    let mut doc = openapi3(&specs_dir(), SpecVersion::find(41).unwrap()).unwrap();
    leave_errors_to_the_facade(&mut doc);
    let codes: Vec<&String> = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .filter_map(|op| op.get("responses").and_then(Value::as_object))
        .flat_map(|r| r.keys())
        .collect();
    assert!(
        !codes.is_empty() && codes.iter().all(|c| c.starts_with('2')),
        "{codes:?}"
    );
    let v1_41 = generate_module(&specs_dir(), SpecVersion::find(41).unwrap())
        .unwrap()
        .render();
    assert!(
        !v1_41.contains("Error::ErrorResponse"),
        "an error body is still read by the module"
    );
}
