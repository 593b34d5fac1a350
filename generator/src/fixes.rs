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

/// `NetworkSettings.Ports` (of `GET /containers/{id}/json`) is declared an array of `Port` in
/// v1.25 to v1.31. The daemon sends a map from `port/proto` to host bindings (`"Ports":{}` or
/// `{"80/tcp":[{"HostIp":"0.0.0.0","HostPort":"8080"}]}`; see
/// `tests/fixtures/daemon/*/container-inspect.json`), which v1.32+ declare as `PortMap`.
pub const INSPECT_PORTS_MAP: Fix = Fix {
    name: "inspect-ports-map",
    why: "container inspect NetworkSettings.Ports is declared an array, but the daemon sends a map",
    apply: |spec| {
        // The definition is `NetworkConfig` in these versions (`NetworkSettings` later).
        let Some(ports) = spec.pointer_mut("/definitions/NetworkConfig/properties/Ports") else {
            return false;
        };
        if ports.get("type").and_then(Value::as_str) != Some("array") {
            return false;
        }
        let description = ports.get("description").cloned().unwrap_or(json!(""));
        *ports = json!({
            "description": description,
            "type": "object",
            "additionalProperties": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": { "HostIp": { "type": "string" }, "HostPort": { "type": "string" } }
                }
            }
        });
        true
    },
};

/// `GET /containers/{id}/logs` is declared as a JSON `string` body in v1.25 to v1.39. The daemon
/// sends the raw or multiplexed byte stream, with no Content-Type at all on Docker 20.10 (see
/// `tests/fixtures/daemon/20.10/logs-multiplexed.bin` and its `.headers`), as v1.40+ declare it
/// (`format: binary`). Decoding it as JSON fails on the first frame header.
pub const LOGS_ARE_STREAMS: Fix = Fix {
    name: "logs-are-streams",
    why: "ContainerLogs' 200 body is declared a JSON string, but the daemon sends a byte stream",
    apply: |spec| {
        let Some(schema) = spec.pointer_mut("/paths/~1containers~1{id}~1logs/get/responses/200/schema")
        else {
            return false;
        };
        if schema.get("format").and_then(Value::as_str) == Some("binary") {
            return false;
        }
        schema["format"] = json!("binary");
        true
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

/// `BuildInfo.aux` (the items of `POST /build`'s progress stream) is declared an `ImageID`
/// object in v1.36+ (listed from there, where the declaration is). From v1.38 a build can run on
/// BuildKit (`version=2`), and then most items
/// are `{"id":"moby.buildkit.trace","aux":"<base64 of a protobuf StatusResponse>"}`: `aux` is a
/// string there, an `{"ID":"sha256:…"}` object only in the `moby.image.id` item (see
/// `tests/fixtures/streams/{20.10,28}/build-buildkit.jsonl`). Typed as the object, every trace
/// item fails to decode; `aux` becomes any JSON value.
pub const BUILD_AUX_ANY: Fix = Fix {
    name: "build-aux-any",
    why: "BuildInfo.aux is declared an ImageID object, but BuildKit sends base64 strings there",
    apply: |spec| {
        let Some(aux) = spec.pointer_mut("/definitions/BuildInfo/properties/aux") else {
            return false;
        };
        if aux.get("$ref").is_none() {
            return false;
        }
        *aux = json!({
            "description": "The image ID as `{\"ID\": \"sha256:…\"}` (both builders), or, in \
                BuildKit's `moby.buildkit.trace` items, a base64-encoded progress trace.",
        });
        true
    },
};

/// `PushImageInfo` (the items of `POST /images/{name}/push`'s progress stream) declares no
/// `aux`. The daemon ends a successful push with
/// `{"progressDetail":{},"aux":{"Tag":"v1","Digest":"sha256:…","Size":736}}` (moby's
/// `PushResult`; see `tests/fixtures/streams/{20.10,28}/push.jsonl`): the pushed manifest's
/// digest, which is what a client pushes to learn. Without the property it is dropped.
pub const PUSH_AUX: Fix = Fix {
    name: "push-aux",
    why: "PushImageInfo declares no `aux`, where the daemon reports the pushed tag, digest and size",
    apply: |spec| {
        let Some(props) = spec
            .pointer_mut("/definitions/PushImageInfo/properties")
            .and_then(Value::as_object_mut)
        else {
            return false;
        };
        if props.contains_key("aux") {
            return false;
        }
        props.insert(
            "aux".into(),
            json!({
                "description": "The result of a successful push, in the stream's last item.",
                "type": "object",
                "properties": {
                    "Tag": { "type": "string", "description": "The tag that was pushed." },
                    "Digest": { "type": "string", "description": "The digest of the pushed manifest." },
                    "Size": { "type": "integer", "format": "int64", "description": "The manifest's size in bytes." },
                },
            }),
        );
        true
    },
};

/// `GET /distribution/{name}/json` (v1.30+) declares no `X-Registry-Auth` header, yet the daemon
/// contacts the registry with the credentials of that header, as pull does. Against the test
/// registry (htpasswd) both daemons answer 500 `no basic auth credentials` without it and 200 with
/// the descriptor with it (`tests/registry.rs`); without the parameter, no generated client
/// could inspect a private image.
pub const DISTRIBUTION_AUTH: Fix = Fix {
    name: "distribution-auth",
    why: "`/distribution/{name}/json` reads X-Registry-Auth, which the spec does not declare",
    apply: |spec| {
        let Some(params) = spec
            .pointer_mut("/paths/~1distribution~1{name}~1json/get/parameters")
            .and_then(Value::as_array_mut)
        else {
            return false;
        };
        if params.iter().any(|p| p["name"] == "X-Registry-Auth") {
            return false;
        }
        params.push(json!({
            "name": "X-Registry-Auth",
            "in": "header",
            "description": "A base64url-encoded auth configuration, for a private registry.\n\n\
                Refer to the [authentication section](#section/Authentication) for details.",
            "type": "string",
        }));
        true
    },
};

/// `POST /networks/prune` declares its answer as `{"VolumesDeleted": [...]}` in v1.25 (the
/// volume prune's key, copied); the daemon answers `{"NetworksDeleted": [...]}` at that version
/// as at every later one, where the spec says so (both test daemons, `tests/operations.rs`
/// pinned to v1.25: the pruned network is listed).
pub const NETWORK_PRUNE_KEY: Fix = Fix {
    name: "network-prune-key",
    why: "v1.25 declares the network prune's answer as VolumesDeleted; the daemon sends NetworksDeleted",
    apply: |spec| {
        let Some(props) = spec
            .pointer_mut("/paths/~1networks~1prune/post/responses/200/schema/properties")
            .and_then(Value::as_object_mut)
        else {
            return false;
        };
        let Some(list) = props.remove("VolumesDeleted") else {
            return false;
        };
        props.insert("NetworksDeleted".into(), list);
        true
    },
};

/// `GET /system/df` declares `Containers` as an array of `ContainerSummary` in v1.25 to v1.39,
/// where `ContainerSummary` is itself the array of `GET /containers/json` (an object from
/// v1.40): an array of arrays. The daemon sends an array of container objects (both test
/// daemons at v1.25, `tests/operations.rs`: `"Containers":[{"Id":…,"Names":[…],…}]`), so the
/// property becomes `ContainerSummary`, the list itself.
pub const DF_CONTAINER_LIST: Fix = Fix {
    name: "df-container-list",
    why: "v1.25-v1.39 system df declares Containers as an array of ContainerSummary, itself an array",
    apply: |spec| {
        let summary_is_list = spec
            .pointer("/definitions/ContainerSummary/type")
            .and_then(Value::as_str)
            == Some("array");
        let Some(containers) =
            spec.pointer_mut("/paths/~1system~1df/get/responses/200/schema/properties/Containers")
        else {
            return false;
        };
        let nested = containers.pointer("/items/$ref").and_then(Value::as_str)
            == Some("#/definitions/ContainerSummary");
        if !(summary_is_list && nested) {
            return false;
        }
        *containers = json!({ "$ref": "#/definitions/ContainerSummary" });
        true
    },
};

/// The v1.27 spec drops the `filters` query parameter of `POST /containers/prune`,
/// `/volumes/prune` and `/networks/prune`, which v1.25, v1.26 and v1.28+ declare; the daemon
/// takes it at v1.27 as at the others (both test daemons, `tests/operations.rs` pinned to v1.27:
/// a `label` filter prunes only the test's own container and network).
pub const PRUNE_FILTERS: Fix = Fix {
    name: "prune-filters",
    why: "v1.27 declares no `filters` on the container, volume and network prunes; the daemon takes it",
    apply: |spec| {
        let mut changed = false;
        for path in ["/containers/prune", "/volumes/prune", "/networks/prune"] {
            let pointer = format!("/paths/{}/post", path.replace('/', "~1"));
            let Some(op) = spec.pointer_mut(&pointer).and_then(Value::as_object_mut) else {
                continue;
            };
            let params = op.entry("parameters").or_insert_with(|| json!([]));
            let Some(params) = params.as_array_mut() else {
                continue;
            };
            if params.iter().any(|p| p["name"] == "filters") {
                continue;
            }
            params.push(json!({
                "name": "filters",
                "in": "query",
                "description": "Filters to process on the prune list, encoded as JSON (a \
                    `map[string][]string`), such as `{\"label\": [\"key=value\"]}`.",
                "type": "string",
            }));
            changed = true;
        }
        changed
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A spec with every error: `type: [array, string]` (in a definition, a body and a
    /// response), inspect `Ports` an array, `/auth` documenting 204, container logs declared a
    /// JSON string, `BuildInfo.aux` an object.
    fn broken() -> Value {
        json!({
            "swagger": "2.0",
            "info": { "title": "Docker Engine API", "version": "1.25" },
            "definitions": {
                "BuildInfo": {
                    "type": "object",
                    "properties": {
                        "id": { "type": "string" },
                        "aux": { "$ref": "#/definitions/ImageID" },
                    },
                },
                "PushImageInfo": {
                    "type": "object",
                    "properties": { "status": { "type": "string" } },
                },
                "NetworkConfig": {
                    "type": "object",
                    "properties": {
                        "Ports": { "type": "array", "description": "Exposed ports", "items": { "$ref": "#/definitions/Port" } },
                        "IPAddress": { "type": "string" },
                    },
                },
                "ContainerSummary": {
                    "type": "array",
                    "items": { "type": "object", "properties": { "Id": { "type": "string" } } },
                },
                "ContainerConfig": {
                    "type": "object",
                    "properties": {
                        "Cmd": { "type": ["array", "string"], "items": { "type": "string" } },
                        "Entrypoint": { "type": ["array", "string"], "items": { "type": "string" } },
                        "Image": { "type": "string" },
                    },
                },
            },
            "paths": {
                "/distribution/{name}/json": { "get": {
                    "operationId": "DistributionInspect",
                    "parameters": [{ "name": "name", "in": "path", "type": "string", "required": true }],
                    "responses": { "200": { "description": "ok" } },
                } },
                "/containers/prune": { "post": {
                    "operationId": "ContainerPrune",
                    "responses": { "200": { "description": "ok" } },
                } },
                "/networks/prune": { "post": {
                    "operationId": "NetworkPrune",
                    "responses": { "200": { "description": "ok", "schema": { "type": "object", "properties": {
                        "VolumesDeleted": { "description": "Networks that were deleted", "type": "array", "items": { "type": "string" } },
                    } } } },
                } },
                "/system/df": { "get": {
                    "operationId": "SystemDataUsage",
                    "responses": { "200": { "description": "ok", "schema": { "type": "object", "properties": {
                        "Containers": { "type": "array", "items": { "$ref": "#/definitions/ContainerSummary" } },
                    } } } },
                } },
                "/auth": { "post": {
                    "operationId": "SystemAuth",
                    "responses": {
                        "200": { "description": "ok", "schema": { "type": "object" } },
                        "204": { "description": "no error" },
                        "500": { "description": "error" },
                    },
                } },
                "/containers/{id}/logs": { "get": {
                    "operationId": "ContainerLogs",
                    "produces": ["application/vnd.docker.raw-stream"],
                    "responses": {
                        "200": { "description": "logs", "schema": { "type": "string" } },
                        "404": { "description": "no such container", "schema": { "type": "object" } },
                    },
                } },
                "/x": { "get": {
                    "operationId": "X",
                    "parameters": [{ "name": "body", "in": "body", "schema": {
                        "type": "object",
                        "properties": { "Args": { "type": ["string", "array"], "items": { "type": "string" } } },
                    } }],
                    "responses": { "200": { "description": "ok", "schema": {
                        "type": "array", "items": { "type": ["array", "string"] },
                    } } },
                } },
            },
        })
    }

    #[test]
    fn cmd_type_list_makes_type_lists_arrays() {
        let mut spec = broken();
        assert!((CMD_TYPE_LIST.apply)(&mut spec));
        let props = &spec["definitions"]["ContainerConfig"]["properties"];
        assert_eq!(
            props["Cmd"],
            json!({ "type": "array", "items": { "type": "string" } })
        );
        assert_eq!(props["Entrypoint"]["type"], "array");
        assert_eq!(props["Image"]["type"], "string", "untouched");
        let x = &spec["paths"]["/x"]["get"];
        assert_eq!(
            x["parameters"][0]["schema"]["properties"]["Args"]["type"],
            "array"
        );
        assert_eq!(x["responses"]["200"]["schema"]["items"]["type"], "array");
        // The spec now converts.
        if let Err(e) = crate::convert::to_openapi3(&spec) {
            panic!("does not convert: {e}");
        }
        // Nothing left to fix.
        assert!(!(CMD_TYPE_LIST.apply)(&mut spec));
    }

    #[test]
    fn cmd_type_list_leaves_other_type_lists() {
        let mut spec = json!({ "definitions": { "T": { "type": ["string", "null"] } } });
        assert!(!(CMD_TYPE_LIST.apply)(&mut spec));
        assert_eq!(spec["definitions"]["T"]["type"], json!(["string", "null"]));
    }

    #[test]
    fn auth_never_204_drops_only_the_204() {
        let mut spec = broken();
        assert!((AUTH_NEVER_204.apply)(&mut spec));
        let codes: Vec<_> = spec["paths"]["/auth"]["post"]["responses"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(codes, ["200", "500"]);
        assert!(!(AUTH_NEVER_204.apply)(&mut spec), "applied twice");
        assert!(!(AUTH_NEVER_204.apply)(&mut json!({ "paths": {} })), "no /auth");
    }

    #[test]
    fn logs_are_streams_makes_the_logs_body_binary() {
        let mut spec = broken();
        assert!((LOGS_ARE_STREAMS.apply)(&mut spec));
        let responses = &spec["paths"]["/containers/{id}/logs"]["get"]["responses"];
        assert_eq!(
            responses["200"]["schema"],
            json!({ "type": "string", "format": "binary" })
        );
        assert_eq!(
            responses["404"]["schema"],
            json!({ "type": "object" }),
            "untouched"
        );
        assert!(!(LOGS_ARE_STREAMS.apply)(&mut spec), "applied twice");
        assert!(
            !(LOGS_ARE_STREAMS.apply)(&mut json!({ "paths": {} })),
            "no logs operation"
        );
    }

    #[test]
    fn distribution_auth_declares_the_header() {
        let mut spec = broken();
        assert!((DISTRIBUTION_AUTH.apply)(&mut spec));
        let params = &spec["paths"]["/distribution/{name}/json"]["get"]["parameters"];
        assert_eq!(params[1]["name"], "X-Registry-Auth");
        assert_eq!(params[1]["in"], "header");
        assert_eq!(params[0]["name"], "name", "kept");
        assert!(!(DISTRIBUTION_AUTH.apply)(&mut spec), "applied twice");
    }

    #[test]
    fn network_prune_key_renames_the_list() {
        let mut spec = broken();
        assert!((NETWORK_PRUNE_KEY.apply)(&mut spec));
        let props = &spec["paths"]["/networks/prune"]["post"]["responses"]["200"]["schema"]["properties"];
        assert_eq!(
            props["NetworksDeleted"]["description"],
            "Networks that were deleted"
        );
        assert!(props.get("VolumesDeleted").is_none());
        assert!(!(NETWORK_PRUNE_KEY.apply)(&mut spec), "applied twice");
    }

    #[test]
    fn df_container_list_unnests_the_containers() {
        let mut spec = broken();
        assert!((DF_CONTAINER_LIST.apply)(&mut spec));
        let props = &spec["paths"]["/system/df"]["get"]["responses"]["200"]["schema"]["properties"];
        assert_eq!(
            props["Containers"],
            json!({ "$ref": "#/definitions/ContainerSummary" })
        );
        assert!(!(DF_CONTAINER_LIST.apply)(&mut spec), "applied twice");
        // From v1.40 `ContainerSummary` is one container: the array of them is right.
        let mut spec = broken();
        spec["definitions"]["ContainerSummary"] = json!({ "type": "object" });
        assert!(!(DF_CONTAINER_LIST.apply)(&mut spec));
    }

    #[test]
    fn prune_filters_declares_the_parameter() {
        let mut spec = broken();
        assert!((PRUNE_FILTERS.apply)(&mut spec));
        for path in ["/containers/prune", "/networks/prune"] {
            let params = &spec["paths"][path]["post"]["parameters"];
            assert_eq!(params[0]["name"], "filters", "{path}");
            assert_eq!(params[0]["in"], "query", "{path}");
        }
        assert!(!(PRUNE_FILTERS.apply)(&mut spec), "applied twice");
    }

    #[test]
    fn push_aux_adds_the_push_result() {
        let mut spec = broken();
        assert!((PUSH_AUX.apply)(&mut spec));
        let aux = &spec["definitions"]["PushImageInfo"]["properties"]["aux"];
        assert_eq!(aux["properties"]["Digest"]["type"], "string");
        assert_eq!(aux["properties"]["Size"]["format"], "int64");
        assert!(!(PUSH_AUX.apply)(&mut spec), "applied twice");
        assert!(
            !(PUSH_AUX.apply)(&mut json!({ "definitions": {} })),
            "no PushImageInfo"
        );
    }

    #[test]
    fn inspect_ports_map_makes_ports_a_map() {
        let mut spec = broken();
        assert!((INSPECT_PORTS_MAP.apply)(&mut spec));
        let props = &spec["definitions"]["NetworkConfig"]["properties"];
        let ports = &props["Ports"];
        assert_eq!(ports["type"], "object");
        assert_eq!(ports["description"], "Exposed ports", "description kept");
        let bindings = &ports["additionalProperties"];
        assert_eq!(bindings["type"], "array");
        assert_eq!(bindings["items"]["properties"]["HostPort"]["type"], "string");
        assert_eq!(props["IPAddress"], json!({ "type": "string" }), "untouched");
        assert!(!(INSPECT_PORTS_MAP.apply)(&mut spec), "applied twice");
        assert!(
            !(INSPECT_PORTS_MAP.apply)(&mut json!({ "definitions": {} })),
            "no NetworkConfig"
        );
    }

    #[test]
    fn build_aux_any_accepts_any_json() {
        let mut spec = broken();
        assert!((BUILD_AUX_ANY.apply)(&mut spec));
        let props = &spec["definitions"]["BuildInfo"]["properties"];
        let aux = props["aux"].as_object().unwrap();
        assert_eq!(
            aux.keys().collect::<Vec<_>>(),
            ["description"],
            "no type, no $ref: {aux:?}"
        );
        assert_eq!(props["id"], json!({ "type": "string" }), "untouched");
        assert!(!(BUILD_AUX_ANY.apply)(&mut spec), "applied twice");
    }

    /// Every fix of the version table.
    fn all_fixes() -> Vec<Fix> {
        let mut all: Vec<Fix> = Vec::new();
        for v in crate::VERSIONS {
            for f in v.fixes {
                if !all.iter().any(|a| a.name == f.name) {
                    all.push(*f);
                }
            }
        }
        all
    }

    #[test]
    fn every_fix_applies_to_the_broken_spec_and_is_tested_here() {
        let all = all_fixes();
        let mut names: Vec<_> = all.iter().map(|f| f.name).collect();
        names.sort();
        assert_eq!(
            names,
            [
                "auth-never-204",
                "build-aux-any",
                "cmd-type-list",
                "df-container-list",
                "distribution-auth",
                "inspect-ports-map",
                "logs-are-streams",
                "network-prune-key",
                "prune-filters",
                "push-aux"
            ],
            "the fixes of the version table changed: give a new fix its own test here and its \
             error in `broken()`"
        );
        let mut spec = broken();
        apply_all(&mut spec, &all).expect("every fix applies");
    }

    #[test]
    fn apply_all_applies_every_fix_in_order() {
        let mut spec = broken();
        apply_all(&mut spec, &[CMD_TYPE_LIST, AUTH_NEVER_204]).expect("both apply");
        assert!(spec["paths"]["/auth"]["post"]["responses"].get("204").is_none());
        assert_eq!(
            spec["definitions"]["ContainerConfig"]["properties"]["Cmd"]["type"],
            "array"
        );
    }

    #[test]
    fn a_fix_without_its_error_is_never_applied() {
        for fix in all_fixes() {
            // Without the error: a clean minimal spec, and the broken one once fixed.
            let mut clean = json!({ "swagger": "2.0", "paths": {}, "definitions": {} });
            assert!(apply_all(&mut clean, &[fix]).is_err(), "{}", fix.name);
            let mut spec = broken();
            (fix.apply)(&mut spec);
            let before = spec.clone();
            let err = apply_all(&mut spec, &[fix]).unwrap_err();
            assert!(
                err.0
                    .starts_with(&format!("fix `{}` was never applied", fix.name)),
                "{err}"
            );
            assert!(err.0.contains("remove it from this version's row"), "{err}");
            assert_eq!(
                spec, before,
                "{}: a fix that does not apply changes nothing",
                fix.name
            );
        }
        // The first fix that does not apply stops the rest.
        let mut spec = broken();
        (AUTH_NEVER_204.apply)(&mut spec);
        let err = apply_all(&mut spec, &[AUTH_NEVER_204, CMD_TYPE_LIST]).unwrap_err();
        assert!(err.0.contains("auth-never-204"), "{err}");
        assert!(spec["definitions"]["ContainerConfig"]["properties"]["Cmd"]["type"].is_array());
    }

    #[test]
    fn for_each_schema_visits_every_schema() {
        let mut spec = json!({
            "definitions": {
                "A": { "properties": { "B": { "items": { "additionalProperties": { "allOf": [{ "title": "deep" }] } } } } },
            },
            "paths": { "/p": { "post": {
                "parameters": [{ "in": "body", "schema": { "oneOf": [{ "title": "param" }] } }],
                "responses": { "200": { "schema": { "anyOf": [{ "title": "response" }] } } },
            } } },
        });
        let mut titles = Vec::new();
        for_each_schema(&mut spec, &mut |s| {
            if let Some(t) = s.get("title").and_then(Value::as_str) {
                titles.push(t.to_string());
            }
        });
        assert_eq!(titles, ["deep", "param", "response"]);
    }
}
