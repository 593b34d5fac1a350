//! `specs/v1.24.yaml`: API v1.24 (Docker 1.12), derived from the v1.25 Swagger document.
//!
//! Upstream never published a Swagger file for v1.24; `specs/v1.24.md` (the Markdown reference)
//! and the "v1.25 API changes" section of `specs/CHANGELOG.md` are its only descriptions. The
//! derivation undoes, edit by edit, what v1.25 added or changed, each edit citing the changelog
//! line or the v1.24.md section it follows. Every edit must change the document (like the fixes
//! of `generator/src/fixes.rs`), and every line of the v1.25 changelog section is either cited
//! by an edit or listed in [`UNEDITED`] with the reason: the tests check both.

use serde_json::{Map, Value};

/// The spec the derivation starts from, and the one it writes.
pub const FROM: &str = "v1.25.yaml";
pub const SPEC: &str = "v1.24.yaml";
/// The command that writes it (the lock's "upstream path" field of the derived line).
pub const COMMAND: &str = "cargo xtask derive-v1.24 (xtask/src/v1_24.rs)";

/// Where an edit comes from.
#[derive(Debug, Clone, Copy)]
pub enum Source {
    /// A bullet of "## v1.25 API changes" in `specs/CHANGELOG.md`: a text that occurs in that
    /// bullet and in no other of the section.
    Changelog(&'static str),
    /// A section of `specs/v1.24.md` (its heading without the `#`s), and what it shows.
    V124(&'static str, &'static str),
}

/// One change of the document. `path` and `method` name an operation; `at` is a JSON pointer
/// into the Swagger 2.0 document.
#[derive(Debug, Clone, Copy)]
pub enum Op {
    RemoveOperation {
        path: &'static str,
        method: &'static str,
    },
    RemoveParameter {
        path: &'static str,
        method: &'static str,
        name: &'static str,
    },
    /// Adds a query parameter (JSON text of its Swagger 2.0 object) at the end of the list.
    AddParameter {
        path: &'static str,
        method: &'static str,
        parameter: &'static str,
    },
    /// Removes property `name` of the schema at `at`.
    RemoveProperty { at: &'static str, name: &'static str },
    /// Adds property `name` (JSON text of its schema) to the schema at `at`.
    AddProperty {
        at: &'static str,
        name: &'static str,
        schema: &'static str,
    },
    /// Removes the lines of the text at `at` that contain `containing`.
    RemoveLine {
        at: &'static str,
        containing: &'static str,
    },
    /// Replaces `from` with `to` in the text at `at`.
    Replace {
        at: &'static str,
        from: &'static str,
        to: &'static str,
    },
    /// Sets the value at `at` (JSON text).
    Set { at: &'static str, value: &'static str },
}

/// A named, cited set of changes.
#[derive(Debug, Clone, Copy)]
pub struct Edit {
    pub name: &'static str,
    pub source: Source,
    pub ops: &'static [Op],
}

use Op::*;
use Source::*;

const BUILD: &str = "/build";
const LIST: &str = "/containers/json";
const HOST_CONFIG: &str = "/definitions/HostConfig/allOf/1";
const RESOURCES: &str = "/definitions/Resources";
const CONTAINER_SPEC: &str = "/definitions/TaskSpec/properties/ContainerSpec";
const UPDATE_CONFIG: &str = "/definitions/ServiceSpec/properties/UpdateConfig";
const LIST_FILTERS: &str = "/paths/~1containers~1json/get/parameters/3/description";
const IMAGE_FILTERS: &str = "/paths/~1images~1json/get/parameters/1/description";

// One-line constructors, so that each edit reads as one row.
const fn edit(name: &'static str, source: Source, ops: &'static [Op]) -> Edit {
    Edit { name, source, ops }
}
const fn remove_op(method: &'static str, path: &'static str) -> Op {
    RemoveOperation { path, method }
}
const fn remove_param(method: &'static str, path: &'static str, name: &'static str) -> Op {
    RemoveParameter { path, method, name }
}
const fn add_param(method: &'static str, path: &'static str, parameter: &'static str) -> Op {
    AddParameter {
        path,
        method,
        parameter,
    }
}
const fn remove_prop(at: &'static str, name: &'static str) -> Op {
    RemoveProperty { at, name }
}

/// The edits, applied in order to v1.25.
#[rustfmt::skip]
pub const EDITS: &[Edit] = &[
    edit("version-1.24", V124("1. Brief introduction", "the version prefix of the URLs, here `/v1.24`"), &[
        Set { at: "/info/version", value: r#""1.24""# },
        Set { at: "/basePath", value: r#""/v1.24""# },
        Set {
            at: "/info/description",
            value: r#""The Docker Engine API v1.24 (Docker 1.12). Upstream published no Swagger document for this version: this one is derived from the v1.25 document by the recorded edits of `xtask/src/v1_24.rs`, each citing the v1.25 changelog or the v1.24 reference (`specs/v1.24.md`).""#,
        },
    ]),
    edit("version-no-min-api-version", Changelog("`GET /version` now returns `MinAPIVersion`"),
        &[remove_prop("/paths/~1version/get/responses/200/schema", "MinAPIVersion")]),
    edit("build-no-networkmode", Changelog("`POST /build` accepts `networkmode` parameter"),
        &[remove_param("post", BUILD, "networkmode")]),
    edit("build-no-cachefrom", Changelog("`POST /build` accepts `cachefrom` parameter"),
        &[remove_param("post", BUILD, "cachefrom")]),
    edit("build-no-squash", V124("Build image from a Dockerfile", "no `squash` query parameter (experimental from v1.25)"),
        &[remove_param("post", BUILD, "squash")]),
    edit("image-rootfs-base-layer", Changelog("no longer contains the `RootFS.BaseLayer` field"),
        &[AddProperty { at: "/definitions/Image/properties/RootFS", name: "BaseLayer", schema: r#"{"type": "string"}"# }]),
    edit("host-config-no-auto-remove", Changelog("now takes `AutoRemove` in HostConfig"),
        &[remove_prop(HOST_CONFIG, "AutoRemove")]),
    edit("list-no-removing-status", Changelog("now accepts `removing` as a valid value for the `status` filter"),
        &[Replace { at: LIST_FILTERS, from: "`running`|`removing`|", to: "`running`|" }]),
    edit("list-no-health-filter", Changelog("now supports filtering containers by `health` status"),
        &[RemoveLine { at: LIST_FILTERS, containing: "`health`=" }]),
    edit("volume-delete-no-force", Changelog("`DELETE /volumes/(name)` now accepts a `force` query parameter"),
        &[remove_param("delete", "/volumes/{name}", "force")]),
    edit("host-config-no-mounts", Changelog("now takes a `Mounts` field in `HostConfig`"),
        &[remove_prop(HOST_CONFIG, "Mounts")]),
    edit("list-no-is-task-filter", Changelog("now supports a `is-task` filter"),
        &[RemoveLine { at: LIST_FILTERS, containing: "`is-task=`" }]),
    edit("config-no-stop-timeout", Changelog("now takes `StopTimeout` field"),
        &[remove_prop("/definitions/Config", "StopTimeout")]),
    edit("service-update-config-no-monitor", Changelog("now accept `Monitor` and `MaxFailureRatio` parameters"),
        &[remove_prop(UPDATE_CONFIG, "Monitor"), remove_prop(UPDATE_CONFIG, "MaxFailureRatio")]),
    edit("task-spec-no-force-update", Changelog("now accepts a `ForceUpdate` parameter inside the `TaskTemplate`"),
        &[remove_prop("/definitions/TaskSpec", "ForceUpdate")]),
    edit("service-no-warnings", Changelog("now return a `Warnings` array"), &[
        remove_prop("/definitions/ServiceUpdateResponse", "Warnings"),
        remove_prop("/paths/~1services~1create/post/responses/201/schema", "Warning"),
    ]),
    edit("network-no-created", Changelog("now returns field `Created` in response to show network created time"),
        &[remove_prop("/definitions/Network", "Created")]),
    edit("exec-no-env", Changelog("now accepts an `Env` field, which holds a list of environment variables"),
        &[remove_prop("/paths/~1containers~1{id}~1exec/post/parameters/0/schema", "Env")]),
    edit("volume-no-options", Changelog("now return the `Options` field which holds the driver specific options"),
        &[remove_prop("/definitions/Volume", "Options")]),
    edit("exec-inspect-no-pid", Changelog("`GET /exec/(id)/json` now returns `Pid`"),
        &[remove_prop("/paths/~1exec~1{id}~1json/get/responses/200/schema", "Pid")]),
    edit("no-container-prune", Changelog("`POST /containers/prune` prunes stopped containers"),
        &[remove_op("post", "/containers/prune")]),
    edit("no-image-prune", Changelog("`POST /images/prune` prunes unused images"),
        &[remove_op("post", "/images/prune")]),
    edit("no-volume-prune", Changelog("`POST /volumes/prune` prunes unused volumes"),
        &[remove_op("post", "/volumes/prune")]),
    edit("no-network-prune", Changelog("`POST /networks/prune` prunes unused networks"),
        &[remove_op("post", "/networks/prune")]),
    edit("resources-no-cpu-realtime", Changelog("accepts the fields `CpuRealtimePeriod` and `CpuRtRuntime`"),
        &[remove_prop(RESOURCES, "CpuRealtimePeriod"), remove_prop(RESOURCES, "CpuRealtimeRuntime")]),
    edit("resources-no-nano-cpus", Changelog("now includes `NanoCpus`"),
        &[remove_prop(RESOURCES, "NanoCpus")]),
    edit("resources-no-cpu-count", Changelog("now includes `CpuCount`"),
        &[remove_prop(RESOURCES, "CpuCount")]),
    edit("container-spec-no-tty", Changelog("now accept the `TTY` parameter"),
        &[remove_prop(CONTAINER_SPEC, "TTY")]),
    edit("container-spec-no-dns-config", Changelog("now accept the `DNSConfig` parameter"),
        &[remove_prop(CONTAINER_SPEC, "DNSConfig")]),
    // The plugin endpoints of v1.24 (specs/v1.24.md, "3.6 Plugins (experimental)") exist only on
    // experimental daemons, with other shapes; v1.25 made them stable.
    edit("no-plugin-list", Changelog("`GET /plugins` list plugins"),
        &[remove_op("get", "/plugins")]),
    edit("no-plugin-pull", Changelog("`POST /plugins/pull?name=<plugin name>` pulls a plugin"),
        &[remove_op("post", "/plugins/pull")]),
    edit("no-plugin-inspect", Changelog("`GET /plugins/(plugin name)` inspect a plugin"),
        &[remove_op("get", "/plugins/{name}/json")]),
    edit("no-plugin-set", Changelog("`POST /plugins/(plugin name)/set` configure a plugin"),
        &[remove_op("post", "/plugins/{name}/set")]),
    edit("no-plugin-enable", Changelog("`POST /plugins/(plugin name)/enable` enable a plugin"),
        &[remove_op("post", "/plugins/{name}/enable")]),
    edit("no-plugin-disable", Changelog("`POST /plugins/(plugin name)/disable` disable a plugin"),
        &[remove_op("post", "/plugins/{name}/disable")]),
    edit("no-plugin-push", Changelog("`POST /plugins/(plugin name)/push` push a plugin"),
        &[remove_op("post", "/plugins/{name}/push")]),
    edit("no-plugin-create", Changelog("`POST /plugins/create?name=(plugin name)` create a plugin"),
        &[remove_op("post", "/plugins/create")]),
    edit("no-plugin-delete", Changelog("`DELETE /plugins/(plugin name)` delete a plugin"),
        &[remove_op("delete", "/plugins/{name}")]),
    edit("no-plugin-privileges", V124("3.6 Plugins (experimental)", "no privileges endpoint"),
        &[remove_op("get", "/plugins/privileges")]),
    edit("image-list-no-reference-filter", Changelog("`GET /images/json` now support a `reference` filter"),
        &[RemoveLine { at: IMAGE_FILTERS, containing: "`reference`=" }]),
    edit("no-secret-list", Changelog("`GET /secrets` returns information on the secrets"),
        &[remove_op("get", "/secrets")]),
    edit("no-secret-create", Changelog("`POST /secrets/create` creates a secret"),
        &[remove_op("post", "/secrets/create")]),
    edit("no-secret-delete", Changelog("`DELETE /secrets/{id}` removes the secret `id`"),
        &[remove_op("delete", "/secrets/{id}")]),
    edit("no-secret-inspect", Changelog("`GET /secrets/{id}` returns information on the secret `id`"),
        &[remove_op("get", "/secrets/{id}")]),
    edit("no-system-df", V124("3.3 Misc", "no `GET /system/df` (disk usage came with v1.25, Docker 1.13)"),
        &[remove_op("get", "/system/df")]),
    edit("no-swarm-autolock", V124("3.8 Swarm", "no unlock endpoints, no `EncryptionConfig`, no `rotateManagerUnlockKey` (autolock came with v1.25)"), &[
        remove_op("get", "/swarm/unlockkey"),
        remove_op("post", "/swarm/unlock"),
        remove_param("post", "/swarm/update", "rotateManagerUnlockKey"),
        remove_prop("/definitions/SwarmSpec", "EncryptionConfig"),
    ]),
    edit("no-service-logs", V124("3.9 Services", "no logs endpoint (experimental from v1.25)"),
        &[remove_op("get", "/services/{id}/logs")]),
    edit("service-update-no-registry-auth-from", V124("Update a service", "the query parameters are `version` only"),
        &[remove_param("post", "/services/{id}/update", "registryAuthFrom")]),
    // Query parameters that v1.24 documents and the v1.25 document lacks.
    edit("list-since-before", V124("List containers", "the `since` and `before` query parameters"), &[
        add_param("get", LIST, r#"{"name": "since", "in": "query", "type": "string", "description": "Show only containers created since Id, include non-running ones."}"#),
        add_param("get", LIST, r#"{"name": "before", "in": "query", "type": "string", "description": "Show only containers created before Id, include non-running ones."}"#),
    ]),
    edit("logs-details", V124("Get container logs", "the `details` query parameter"),
        &[add_param("get", "/containers/{id}/logs", r#"{"name": "details", "in": "query", "type": "boolean", "description": "Show extra details provided to logs."}"#)]),
    edit("delete-link", V124("Remove a container", "the `link` query parameter"),
        &[add_param("delete", "/containers/{id}", r#"{"name": "link", "in": "query", "type": "boolean", "description": "Remove the specified link associated with the container."}"#)]),
    edit("image-list-filter", V124("List Images", "the `filter` query parameter"),
        &[add_param("get", "/images/json", r#"{"name": "filter", "in": "query", "type": "string", "description": "Only return images with the specified name."}"#)]),
];

/// The lines of the v1.25 changelog section that need no edit, and why.
pub const UNEDITED: &[(&str, &str)] = &[
    (
        "The API version is now required in all API calls",
        "behaviour: the client always sends the version prefix",
    ),
    (
        "now returns `OsVersion` if populated",
        "not in the v1.25 document",
    ),
    ("`GET /info` now returns `Isolation`", "not in the v1.25 document"),
    (
        "now return `\"removing\"` as a value for the `State.Status` field",
        "a free-form string in the v1.25 document",
    ),
    ("now validates restart policies", "daemon-side validation"),
    (
        "now validates IPAMConfig in NetworkingConfig",
        "daemon-side validation",
    ),
    (
        "preliminary validation of the `Dockerfile`",
        "daemon-side validation, unversioned",
    ),
    (
        "`GET /networks/` endpoint now correctly returns",
        "behaviour of a trailing slash",
    ),
    (
        "`removal of container name is already in progress`",
        "an error message",
    ),
    (
        "`Docker-Experimental` header",
        "response headers are not in the document",
    ),
    ("`API-Version` header", "response headers are not in the document"),
    (
        "now includes `userns` if user namespaces are enabled",
        "a value of a list of strings",
    ),
    (
        "now return `Addr` as part of a node's `Status`",
        "not in the v1.25 document",
    ),
    (
        "more structured information about security options",
        "a value of a list of strings",
    ),
    (
        "`node.platform.arch` and `node.platform.os` constraints",
        "a value of a list of strings",
    ),
    (
        "includes IP and name of all peers nodes",
        "not in the v1.25 document",
    ),
    (
        "now accepts both `id` or `name` to identify the node",
        "a value of the path parameter",
    ),
    (
        "`POST /secrets/{id}/update` updates the secret `id`",
        "not in the v1.25 document",
    ),
    (
        "accepts service name or prefix of service id",
        "a value of the path parameter",
    ),
    ("added 2 built-in log-opts", "values of `LogConfig.Config`"),
    ("now takes `HostConfig.Init` field", "not in the v1.25 document"),
];

/// The v1.24 document from the v1.25 one (both Swagger 2.0): the edits, then the removal of
/// the definitions and tags that only the removed operations and properties used.
pub fn derive(v1_25: &Value) -> Result<Value, String> {
    let mut doc = v1_25.clone();
    for edit in EDITS {
        for op in edit.ops {
            apply(&mut doc, op).map_err(|e| format!("edit `{}`: {e}", edit.name))?;
        }
    }
    drop_unused(v1_25, &mut doc);
    Ok(doc)
}

fn apply(doc: &mut Value, op: &Op) -> Result<(), String> {
    match *op {
        RemoveOperation { path, method } => {
            let paths = doc["paths"].as_object_mut().ok_or("no paths")?;
            let item = paths
                .get_mut(path)
                .and_then(Value::as_object_mut)
                .ok_or(format!("no path {path}"))?;
            item.remove(method).ok_or(format!("no {method} {path}"))?;
            if item.keys().all(|k| k == "parameters") {
                paths.remove(path);
            }
        }
        RemoveParameter { path, method, name } => {
            let params = parameters(doc, path, method)?;
            let before = params.len();
            params.retain(|p| p["name"] != name);
            if params.len() == before {
                return Err(format!("{method} {path} has no parameter {name}"));
            }
        }
        AddParameter {
            path,
            method,
            parameter,
        } => {
            let p: Value = serde_json::from_str(parameter).map_err(|e| format!("{parameter}: {e}"))?;
            let params = parameters(doc, path, method)?;
            if params
                .iter()
                .any(|q| q["name"] == p["name"] && q["in"] == p["in"])
            {
                return Err(format!("{method} {path} already has parameter {}", p["name"]));
            }
            params.push(p);
        }
        RemoveProperty { at, name } => {
            properties(doc, at)?
                .remove(name)
                .ok_or(format!("{at} has no property {name}"))?;
        }
        AddProperty { at, name, schema } => {
            let s: Value = serde_json::from_str(schema).map_err(|e| format!("{schema}: {e}"))?;
            if properties(doc, at)?.insert(name.into(), s).is_some() {
                return Err(format!("{at} already has property {name}"));
            }
        }
        RemoveLine { at, containing } => {
            let text = text(doc, at)?;
            let kept: Vec<&str> = text.split('\n').filter(|l| !l.contains(containing)).collect();
            if kept.len() == text.split('\n').count() {
                return Err(format!("no line of {at} contains {containing:?}"));
            }
            *text = kept.join("\n");
        }
        Replace { at, from, to } => {
            let text = text(doc, at)?;
            if !text.contains(from) {
                return Err(format!("{at} does not contain {from:?}"));
            }
            *text = text.replace(from, to);
        }
        Set { at, value } => {
            let v: Value = serde_json::from_str(value).map_err(|e| format!("{value}: {e}"))?;
            let slot = doc.pointer_mut(at).ok_or(format!("no {at}"))?;
            if *slot == v {
                return Err(format!("{at} is already {value}"));
            }
            *slot = v;
        }
    }
    Ok(())
}

fn parameters<'a>(doc: &'a mut Value, path: &str, method: &str) -> Result<&'a mut Vec<Value>, String> {
    doc.get_mut("paths")
        .and_then(|p| p.get_mut(path))
        .and_then(|i| i.get_mut(method))
        .and_then(|o| o.get_mut("parameters"))
        .and_then(Value::as_array_mut)
        .ok_or(format!("{method} {path} has no parameters"))
}

fn properties<'a>(doc: &'a mut Value, at: &str) -> Result<&'a mut Map<String, Value>, String> {
    doc.pointer_mut(at)
        .and_then(|s| s.get_mut("properties"))
        .and_then(Value::as_object_mut)
        .ok_or(format!("no schema with properties at {at}"))
}

fn text<'a>(doc: &'a mut Value, at: &str) -> Result<&'a mut String, String> {
    match doc.pointer_mut(at) {
        Some(Value::String(s)) => Ok(s),
        _ => Err(format!("no text at {at}")),
    }
}

/// The definitions reachable from the paths (and from each other).
fn used_definitions(doc: &Value) -> std::collections::BTreeSet<String> {
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if let Some(r) = m.get("$ref").and_then(Value::as_str) {
                    out.extend(r.strip_prefix("#/definitions/").map(str::to_string));
                }
                m.values().for_each(|v| refs(v, out));
            }
            Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let mut used = std::collections::BTreeSet::new();
    let mut todo = Vec::new();
    refs(&doc["paths"], &mut todo);
    while let Some(name) = todo.pop() {
        if used.insert(name.clone()) {
            refs(&doc["definitions"][&name], &mut todo);
        }
    }
    used
}

/// Removes the definitions that `before` used and `doc` no longer does, and the tags that no
/// operation has any more.
fn drop_unused(before: &Value, doc: &mut Value) {
    let (was, is) = (used_definitions(before), used_definitions(doc));
    if let Some(defs) = doc["definitions"].as_object_mut() {
        defs.retain(|name, _| is.contains(name) || !was.contains(name));
    }
    let mut tags = std::collections::BTreeSet::new();
    for item in doc["paths"].as_object().into_iter().flatten() {
        for op in item.1.as_object().into_iter().flatten() {
            for t in op.1["tags"].as_array().into_iter().flatten() {
                tags.extend(t.as_str().map(str::to_string));
            }
        }
    }
    if let Some(list) = doc.get_mut("tags").and_then(Value::as_array_mut) {
        list.retain(|t| t["name"].as_str().is_some_and(|n| tags.contains(n)));
    }
}

/// The text of `specs/v1.24.yaml`.
pub fn render(doc: &Value) -> Result<String, String> {
    let yaml = docker_engine_api_codegen::spec_yaml(doc).map_err(|e| e.to_string())?;
    Ok(format!(
        "# Docker Engine API v1.24, derived from v1.25.yaml by `cargo xtask derive-v1.24`: do not edit.\n\
         # The edits, each citing specs/CHANGELOG.md or specs/v1.24.md, are in xtask/src/v1_24.rs.\n{yaml}"
    ))
}

/// The changelog bullets of `## v1.{minor} API changes`, continuation lines joined.
pub fn changelog_bullets(changelog: &str, minor: u32) -> Vec<String> {
    let heading = format!("## v1.{minor} API changes");
    let mut bullets: Vec<String> = Vec::new();
    let mut inside = false;
    for line in changelog.lines() {
        if line.starts_with("## ") || line.starts_with("### ") {
            inside = line.trim().eq_ignore_ascii_case(&heading);
            continue;
        }
        if !inside {
            continue;
        }
        if let Some(b) = line.strip_prefix("* ") {
            bullets.push(b.trim().to_string());
        } else if line.starts_with("  ")
            && !line.trim().is_empty()
            && let Some(last) = bullets.last_mut()
        {
            last.push(' ');
            last.push_str(line.trim());
        }
    }
    bullets
}

/// Problems of the citations: every changelog text in exactly one bullet of the v1.25 section,
/// every bullet cited or unedited, every v1.24.md section a heading of `v1_24_md`.
pub fn citation_problems(changelog: &str, v1_24_md: &str) -> Vec<String> {
    let bullets = changelog_bullets(changelog, 25);
    let mut problems = Vec::new();
    let mut covered = vec![0; bullets.len()];
    let cited = EDITS
        .iter()
        .filter_map(|e| match e.source {
            Changelog(t) => Some((e.name, t)),
            _ => None,
        })
        .chain(UNEDITED.iter().map(|(t, _)| ("UNEDITED", *t)));
    for (name, text) in cited {
        let hits: Vec<_> = bullets
            .iter()
            .enumerate()
            .filter(|(_, b)| b.contains(text))
            .map(|(i, _)| i)
            .collect();
        match hits[..] {
            [i] => covered[i] += 1,
            _ => problems.push(format!(
                "{name}: {text:?} is in {} bullets of the v1.25 changelog, not one",
                hits.len()
            )),
        }
    }
    for (b, n) in bullets.iter().zip(&covered) {
        if *n != 1 {
            problems.push(format!(
                "v1.25 changelog bullet cited {n} times (once expected): {b}"
            ));
        }
    }
    let headings: Vec<&str> = v1_24_md
        .lines()
        .filter(|l| l.starts_with('#'))
        .map(|l| l.trim_start_matches('#').trim())
        .collect();
    for e in EDITS {
        if let V124(section, _) = e.source
            && !headings.contains(&section)
        {
            problems.push(format!("{}: no section {section:?} in specs/v1.24.md", e.name));
        }
    }
    problems
}
