//! Recorded corrections of errors in the upstream specs.
//!
//! Each fix is a named function on the Swagger 2.0 document, with the daemon behaviour that
//! proves the spec wrong. The version table lists which fixes apply to which version. A fix
//! that changes nothing fails generation ("never applied"): when upstream corrects a spec,
//! the fix is retired from that version instead of silently lingering.

use crate::error::{Error, Result};
use serde_json::{Value, json};

/// One correction of a spec error.
#[derive(Debug, Clone, Copy)]
pub struct Fix {
    /// Short stable name, used in errors and docs.
    pub name: &'static str,
    /// What is wrong in the spec and the daemon behaviour that proves it.
    pub why: &'static str,
    /// Applies the fix; returns whether it changed anything.
    pub apply: fn(&mut Value) -> bool,
}

/// Applies `fixes` in order, failing on the first one that changes nothing.
pub fn apply_all(spec: &mut Value, fixes: &[Fix]) -> Result<()> {
    for fix in fixes {
        if !(fix.apply)(spec) {
            return Err(Error::new(format!(
                "fix `{}` was never applied: the spec no longer has the error it corrects; \
                 remove it from this version's row in the version table",
                fix.name
            )));
        }
    }
    Ok(())
}

/// Fixes of v1.25 to v1.34.
pub const V1_25_TO_1_34: &[Fix] = &[CMD_TYPE_LIST, AUTH_NEVER_204];
/// Fixes of v1.35 to v1.55.
pub const V1_35_TO_1_55: &[Fix] = &[AUTH_NEVER_204];

/// `ContainerConfig.Cmd` and `.Entrypoint` are declared `type: [array, string]` in v1.25 to
/// v1.34, which is valid in neither Swagger 2 nor OpenAPI 3. The daemon accepts a string or an
/// array on input, but always returns an array (`strslice.StrSlice` marshals as a JSON array; see
/// `Config.Cmd` in `tests/fixtures/daemon/*/container-inspect.json`), as v1.35+ declare it.
pub const CMD_TYPE_LIST: Fix = Fix {
    name: "cmd-type-list",
    why: "`type: [array, string]` on Config.Cmd/Entrypoint: the daemon returns a JSON array",
    apply: |spec| {
        let mut changed = false;
        for_each_schema(spec, &mut |s| {
            if s.get("type")
                .is_some_and(|t| t.as_array().is_some_and(|a| a.contains(&json!("array"))))
            {
                s["type"] = json!("array");
                changed = true;
            }
        });
        changed
    },
};

/// `POST /auth` documents `204 No Content` besides `200`. The daemon's auth route always
/// answers 200 with an `AuthResponse` body (moby `postAuth` writes `http.StatusOK` on every
/// success path), and progenitor cannot generate one operation whose success is both a typed
/// body and no body.
pub const AUTH_NEVER_204: Fix = Fix {
    name: "auth-never-204",
    why: "`/auth` documents 204, but the daemon always answers 200 with an AuthResponse",
    apply: |spec| {
        spec.pointer_mut("/paths/~1auth/post/responses")
            .and_then(Value::as_object_mut)
            .is_some_and(|r| r.remove("204").is_some())
    },
};

/// Calls `f` on every schema object of the document: definitions, parameters, responses and
/// everything nested in them.
pub fn for_each_schema(spec: &mut Value, f: &mut dyn FnMut(&mut serde_json::Map<String, Value>)) {
    if let Some(defs) = spec.get_mut("definitions").and_then(Value::as_object_mut) {
        for schema in defs.values_mut() {
            walk_schema(schema, f);
        }
    }
    if let Some(paths) = spec.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for op in item.values_mut().filter_map(Value::as_object_mut) {
                if let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) {
                    for p in params {
                        if let Some(s) = p.get_mut("schema") {
                            walk_schema(s, f);
                        }
                    }
                }
                if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
                    for r in responses.values_mut() {
                        if let Some(s) = r.get_mut("schema") {
                            walk_schema(s, f);
                        }
                    }
                }
            }
        }
    }
}

fn walk_schema(schema: &mut Value, f: &mut dyn FnMut(&mut serde_json::Map<String, Value>)) {
    let Some(s) = schema.as_object_mut() else { return };
    f(s);
    if let Some(props) = s.get_mut("properties").and_then(Value::as_object_mut) {
        for p in props.values_mut() {
            walk_schema(p, f);
        }
    }
    for key in ["items", "additionalProperties"] {
        if let Some(child) = s.get_mut(key) {
            walk_schema(child, f);
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(all) = s.get_mut(key).and_then(Value::as_array_mut) {
            for child in all {
                walk_schema(child, f);
            }
        }
    }
}
