//! Recorded corrections of errors in the upstream specs.
//!
//! Each fix is a named function on the Swagger 2.0 document, with the daemon behaviour that
//! proves the spec wrong. [`ALL`] lists every fix; the version table (`versions.rs`) lists
//! which of them apply to which version. A fix that changes nothing fails generation ("never
//! applied"): when upstream corrects a spec, the fix is retired from that version instead of
//! silently lingering.
//!
//! Adding a fix: its constant here (named as its `name`, `push-aux` is `PUSH_AUX`), its entry
//! in [`ALL`], its error in the tests' `broken()` spec with a test of its own, and the rows of
//! the versions that need it.

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

/// Every recorded fix, once, in the order the version rows list them (`cargo xtask add-version`
/// writes a new row in this order). Each is used by some version (tested).
pub const ALL: &[Fix] = &[
    CMD_TYPE_LIST,
    INSPECT_PORTS_MAP,
    INSPECT_NETWORK_SETTINGS,
    LOGS_ARE_STREAMS,
    AUTH_NEVER_204,
    PUSH_AUX,
    EXEC_IDS_LIST,
    INSPECT_STATE_HEALTH,
    HOST_CONFIG_MEMBERS,
    INFO_MEMBERS,
    IPAM_OPTIONS_MAP,
    DF_CONTAINER_LIST,
    NETWORK_PRUNE_KEY,
    PRUNE_FILTERS,
    DISTRIBUTION_AUTH,
    BUILD_AUX_ANY,
    PULL_PROGRESS_MEMBERS,
    PLUGIN_INTERFACE_TYPES,
];

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
///
/// Before v1.36 `BuildInfo` declares no `aux` at all, yet from v1.30 both test daemons end a
/// classic build with `{"aux":{"ID":"sha256:…"}}`, the built image's ID (at v1.29 they do not;
/// `tests/conformance.rs` pinned to v1.30-v1.35: `streams::build_image_id` finds it). Dropped
/// without the property; it is added there as the same any JSON value (from the spec's
/// `info.version` 1.30: listed from v1.30).
pub const BUILD_AUX_ANY: Fix = Fix {
    name: "build-aux-any",
    why: "BuildInfo.aux is declared an ImageID object (BuildKit sends base64 strings there) or not at all",
    apply: |spec| {
        let minor = spec_minor(spec);
        let Some(props) = spec
            .pointer_mut("/definitions/BuildInfo/properties")
            .and_then(Value::as_object_mut)
        else {
            return false;
        };
        match props.get("aux") {
            Some(aux) if aux.get("$ref").is_none() => return false,
            // Missing: the daemons send it from v1.30 only.
            None if minor < 30 => return false,
            _ => {}
        }
        props.insert(
            "aux".into(),
            json!({
                "description": "The image ID as `{\"ID\": \"sha256:…\"}` (both builders), or, in \
                    BuildKit's `moby.buildkit.trace` items, a base64-encoded progress trace.",
            }),
        );
        true
    },
};

/// The progress items of a pull (`CreateImageInfo`, v1.24 to v1.35) declare no `id`, and their
/// `ProgressDetail` declares `code` and `message` (a copy of `ErrorDetail`), where the daemon
/// sends the layer's `id` and `{"current":…,"total":…}` (moby's `JSONMessage` and
/// `JSONProgress`; v1.36 declares both). Both test daemons send them at any wire version
/// (`tests/conformance.rs` pulls through module v1_30 pinned): without the fix a pull's progress
/// cannot tell its layers apart nor say how far each is.
pub const PULL_PROGRESS_MEMBERS: Fix = Fix {
    name: "pull-progress-members",
    why: "CreateImageInfo declares no `id` and ProgressDetail declares code/message, where the daemon sends id and current/total",
    apply: |spec| {
        let mut changed = false;
        if let Some(props) = spec
            .pointer_mut("/definitions/ProgressDetail/properties")
            .and_then(Value::as_object_mut)
            && !props.contains_key("current")
        {
            props.remove("code");
            props.remove("message");
            props.insert("current".into(), json!({ "type": "integer" }));
            props.insert("total".into(), json!({ "type": "integer" }));
            changed = true;
        }
        if let Some(props) = spec
            .pointer_mut("/definitions/CreateImageInfo/properties")
            .and_then(Value::as_object_mut)
            && !props.contains_key("id")
        {
            props.insert("id".into(), json!({ "type": "string" }));
            changed = true;
        }
        changed
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

/// Adds to the object schema at `pointer` the `properties` it lacks; returns whether it added
/// any. Properties it has are left as they are.
fn add_missing(spec: &mut Value, pointer: &str, properties: Value) -> bool {
    let Some(props) = spec
        .pointer_mut(pointer)
        .and_then(|s| s.get_mut("properties"))
        .and_then(Value::as_object_mut)
    else {
        return false;
    };
    let Value::Object(properties) = properties else {
        return false;
    };
    let mut changed = false;
    for (name, schema) in properties {
        if !props.contains_key(&name) {
            props.insert(name, schema);
            changed = true;
        }
    }
    changed
}

/// The minor version of a spec (`info.version` `1.30` is 30); 0 when it has none.
fn spec_minor(spec: &Value) -> u32 {
    spec.pointer("/info/version")
        .and_then(Value::as_str)
        .and_then(|v| v.strip_prefix("1."))
        .and_then(|m| m.parse().ok())
        .unwrap_or(0)
}

/// The note that ends the descriptions of the members these fixes restore.
const SENT_AT_THIS_VERSION: &str =
    "\n\nNot declared by the upstream spec of this version, but sent by the daemon (recorded fix).";

/// `NetworkSettings` of `GET /containers/{id}/json` is the old `NetworkConfig` in v1.24 to
/// v1.31 (`Bridge`, `Gateway`, `Address`, `IPPrefixLen`, `MacAddress`, `PortMapping`, `Ports`):
/// no `Networks`, `IPAddress`, `SandboxID`, `SandboxKey`, `EndpointID`…, so a client of these
/// modules cannot read a container's networks or address. Both test daemons send the full
/// settings at these versions, `Networks` included (`{"none": {"NetworkID": …}}` for a container
/// of network mode `none`; `tests/conformance.rs` pinned to v1.24-v1.31), as v1.32+ declare
/// them (`NetworkSettings`). The members v1.32 declares are added (`Networks` as a map of the
/// version's own `EndpointSettings`); the old ones stay. Applies after `inspect-ports-map`.
pub const INSPECT_NETWORK_SETTINGS: Fix = Fix {
    name: "inspect-network-settings",
    why: "container inspect NetworkSettings is the old NetworkConfig, without Networks, IPAddress, SandboxKey…",
    apply: |spec| {
        if spec.pointer("/definitions/EndpointSettings").is_none() {
            return false;
        }
        let string =
            |d: &str| json!({ "type": "string", "description": format!("{d}{SENT_AT_THIS_VERSION}") });
        let integer =
            |d: &str| json!({ "type": "integer", "description": format!("{d}{SENT_AT_THIS_VERSION}") });
        let addresses = |d: &str| {
            json!({
                "type": "array",
                "description": format!("{d}{SENT_AT_THIS_VERSION}"),
                "items": {
                    "type": "object",
                    "properties": {
                        "Addr": { "type": "string", "description": "IP address." },
                        "PrefixLen": { "type": "integer", "description": "Mask length of the IP address." },
                    },
                },
            })
        };
        add_missing(
            spec,
            "/definitions/NetworkConfig",
            json!({
                "SandboxID": string("SandboxID uniquely represents a container's network stack."),
                "HairpinMode": {
                    "type": "boolean",
                    "description": format!("Indicates if hairpin NAT should be enabled on the virtual interface.{SENT_AT_THIS_VERSION}"),
                },
                "LinkLocalIPv6Address": string("IPv6 unicast address using the link-local prefix."),
                "LinkLocalIPv6PrefixLen": integer("Prefix length of the IPv6 unicast address."),
                "SandboxKey": string("SandboxKey identifies the sandbox."),
                "SecondaryIPAddresses": addresses("Secondary IPv4 addresses."),
                "SecondaryIPv6Addresses": addresses("Secondary IPv6 addresses."),
                "EndpointID": string("EndpointID uniquely represents a service endpoint in a sandbox (the default \"bridge\" network only; see `Networks`)."),
                "GlobalIPv6Address": string("Global IPv6 address for the default \"bridge\" network (see `Networks`)."),
                "GlobalIPv6PrefixLen": integer("Mask length of the global IPv6 address (see `Networks`)."),
                "IPAddress": string("IPv4 address for the default \"bridge\" network (see `Networks`)."),
                "IPv6Gateway": string("IPv6 gateway address for the default \"bridge\" network (see `Networks`)."),
                "Networks": {
                    "type": "object",
                    "description": format!("Information about all networks that the container is connected to.{SENT_AT_THIS_VERSION}"),
                    "additionalProperties": { "$ref": "#/definitions/EndpointSettings" },
                },
            }),
        )
    },
};

/// `ExecIDs` of `GET /containers/{id}/json` is declared a `string` in v1.24 to v1.37. The
/// daemon sends `null`, or the array of the IDs of the container's running execs: with one
/// exec running, both test daemons at v1.30 send `"ExecIDs":["1ebefe5c…"]`
/// (`tests/conformance.rs`), and the inspect failed to decode whenever an exec ran. v1.38+
/// declare an array of strings.
pub const EXEC_IDS_LIST: Fix = Fix {
    name: "exec-ids-list",
    why: "container inspect ExecIDs is declared a string, but the daemon sends an array of IDs",
    apply: |spec| {
        let pointer = "/paths/~1containers~1{id}~1json/get/responses/200/schema/properties/ExecIDs";
        let Some(ids) = spec.pointer_mut(pointer) else {
            return false;
        };
        if ids.get("type").and_then(Value::as_str) != Some("string") {
            return false;
        }
        *ids = json!({
            "description": "IDs of exec instances that are running in the container.",
            "type": "array",
            "items": { "type": "string" },
            "x-nullable": true,
        });
        true
    },
};

/// `HostConfig` lacks members the daemon sends in every container inspect at these versions:
/// `MaskedPaths` and `ReadonlyPaths` (declared from v1.38), `CgroupnsMode` (from v1.41), and
/// `Init` (from v1.37, under `Resources`) when it is set. Both test daemons send `MaskedPaths`,
/// `ReadonlyPaths` and `CgroupnsMode` at v1.24 to v1.40, and keep `"Init":true` created at
/// v1.24 to v1.36 (`tests/conformance.rs`: created through the module's typed body, so the
/// field also reaches the daemon). The missing ones are added, as the later specs declare them.
pub const HOST_CONFIG_MEMBERS: Fix = Fix {
    name: "host-config-members",
    why: "HostConfig lacks Init, MaskedPaths, ReadonlyPaths or CgroupnsMode, which the daemon sends",
    apply: |spec| {
        let paths = |d: &str| {
            json!({
                "type": "array",
                "items": { "type": "string" },
                "description": format!("{d}{SENT_AT_THIS_VERSION}"),
            })
        };
        let mut added = json!({
            "MaskedPaths": paths("The list of paths to be masked inside the container (this overrides the default set of paths)."),
            "ReadonlyPaths": paths("The list of paths to be set as read-only inside the container (this overrides the default set of paths)."),
            "CgroupnsMode": {
                "type": "string",
                "enum": ["private", "host"],
                "description": format!("cgroup namespace mode for the container: `private` (its own cgroup namespace) or \
                    `host`; if not specified, the daemon's default.{SENT_AT_THIS_VERSION}"),
            },
            "Init": {
                "type": "boolean",
                "x-nullable": true,
                "description": format!("Run an init inside the container that forwards signals and reaps processes. Omitted \
                    if empty: the daemon's default is used.{SENT_AT_THIS_VERSION}"),
            },
        });
        // From v1.37 `Init` is declared in `Resources`, which `HostConfig` includes.
        if spec.pointer("/definitions/Resources/properties/Init").is_some()
            && let Some(added) = added.as_object_mut()
        {
            added.remove("Init");
        }
        add_missing(spec, "/definitions/HostConfig/allOf/1", added)
    },
};

/// The answer of `GET /info` lacks `CgroupVersion` and `OSVersion` before v1.41; both test
/// daemons send them at every version they speak (`"CgroupVersion":"1","OSVersion":"12"` at
/// v1.24, v1.30, v1.35 and v1.40; `tests/conformance.rs`). Added as v1.41 declares them; the
/// schema is inline in the operation before v1.36, `SystemInfo` from there.
pub const INFO_MEMBERS: Fix = Fix {
    name: "info-members",
    why: "the /info answer lacks CgroupVersion and OSVersion, which the daemon sends",
    apply: |spec| {
        let pointer = match spec.pointer("/definitions/SystemInfo") {
            Some(_) => "/definitions/SystemInfo",
            None => "/paths/~1info/get/responses/200/schema",
        };
        add_missing(
            spec,
            pointer,
            json!({
                "CgroupVersion": {
                    "type": "string",
                    "enum": ["1", "2"],
                    "description": format!("The version of the cgroup.{SENT_AT_THIS_VERSION}"),
                },
                "OSVersion": {
                    "type": "string",
                    "description": format!("Version of the host's operating system.{SENT_AT_THIS_VERSION}"),
                },
            }),
        )
    },
};

/// `State` of `GET /containers/{id}/json` declares no `Health` before v1.39. For a container
/// with a health check both test daemons send
/// `"Health":{"Status":"healthy","FailingStreak":0,"Log":[{"Start":…,"End":…,"ExitCode":0,"Output":""}]}`
/// at every version (v1.24, v1.30, v1.35; `tests/conformance.rs`, an image with a
/// `HEALTHCHECK`): dropped, so these modules could not tell a healthy container. Added as v1.39
/// declares it.
pub const INSPECT_STATE_HEALTH: Fix = Fix {
    name: "inspect-state-health",
    why: "container inspect State declares no Health, which the daemon sends for a health-checked container",
    apply: |spec| {
        add_missing(
            spec,
            "/paths/~1containers~1{id}~1json/get/responses/200/schema/properties/State",
            json!({
                "Health": {
                    "type": "object",
                    "x-nullable": true,
                    "description": format!("The health of a container with a health check.{SENT_AT_THIS_VERSION}"),
                    "properties": {
                        "Status": {
                            "type": "string",
                            "enum": ["none", "starting", "healthy", "unhealthy"],
                            "description": "`none` (no health check), `starting`, `healthy` or `unhealthy`.",
                        },
                        "FailingStreak": {
                            "type": "integer",
                            "description": "The number of consecutive failures.",
                        },
                        "Log": {
                            "type": "array",
                            "description": "The latest checks (at most 5), oldest first.",
                            "items": {
                                "type": "object",
                                "description": "One health check.",
                                "properties": {
                                    "Start": { "type": "string", "description": "When the check started." },
                                    "End": { "type": "string", "description": "When the check ended." },
                                    "ExitCode": { "type": "integer", "description": "0: healthy, 1: unhealthy, 2: reserved." },
                                    "Output": { "type": "string", "description": "The check's output." },
                                },
                            },
                        },
                    },
                },
            }),
        )
    },
};

/// `IPAM.Options` is declared an array of string maps in v1.24 to v1.38; it is one map (Go's
/// `map[string]string`), as v1.39+ declare it. A network created with IPAM options
/// (`{"color":"blue"}`) is inspected by both test daemons at v1.30 as
/// `"IPAM":{"Driver":"default","Options":{"color":"blue"},…}` (`tests/conformance.rs`): the
/// inspect failed to decode, and a create body with options was refused.
pub const IPAM_OPTIONS_MAP: Fix = Fix {
    name: "ipam-options-map",
    why: "IPAM.Options is declared an array of maps, but the daemon sends (and takes) one map",
    apply: |spec| {
        let Some(options) = spec.pointer_mut("/definitions/IPAM/properties/Options") else {
            return false;
        };
        if options.get("type").and_then(Value::as_str) != Some("array") {
            return false;
        }
        let description = options.get("description").cloned().unwrap_or(json!(""));
        *options = json!({
            "description": description,
            "type": "object",
            "additionalProperties": { "type": "string" },
        });
        true
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

/// `Plugin.Config.Interface.Types` declares its items as `PluginInterfaceType` objects
/// (`{Prefix, Capability, Version}`) in v1.25 to v1.51; the daemon marshals each as a string,
/// as the spec's own example (`["docker.volumedriver/1.0"]`) and v1.52+ have it. Docker 28 at
/// v1.51 with a log-driver plugin installed (`scripts/schemathesis.sh`, docs/schemathesis.md):
/// `GET /plugins` sends `"Interface":{"Socket":"matrix.sock","Types":["docker.logdriver/1.0"]}`,
/// which the typed list failed to decode.
pub const PLUGIN_INTERFACE_TYPES: Fix = Fix {
    name: "plugin-interface-types",
    why: "v1.25-v1.51 declare plugin Interface.Types items as PluginInterfaceType objects; the daemon sends strings",
    apply: |spec| {
        let Some(items) = spec.pointer_mut(
            "/definitions/Plugin/properties/Config/properties/Interface/properties/Types/items",
        ) else {
            return false;
        };
        if items.get("$ref").and_then(Value::as_str) != Some("#/definitions/PluginInterfaceType") {
            return false;
        }
        *items = json!({ "type": "string" });
        true
    },
};

#[cfg(test)]
mod tests {
    use super::*;

    /// A spec with every error: `type: [array, string]` (in a definition, a body and a
    /// response), inspect `Ports` an array and `NetworkSettings` the old `NetworkConfig`,
    /// `ExecIDs` a string and no `State.Health`, `/auth` documenting 204, container logs declared a JSON string,
    /// `BuildInfo.aux` an object, `HostConfig` and the `/info` answer without members the daemon
    /// sends, `IPAM.Options` an array.
    fn broken() -> Value {
        json!({
            "swagger": "2.0",
            "info": { "title": "Docker Engine API", "version": "1.25" },
            "definitions": {
                "Plugin": {
                    "type": "object",
                    "properties": {
                        "Config": {
                            "type": "object",
                            "properties": {
                                "Interface": {
                                    "type": "object",
                                    "properties": {
                                        "Types": {
                                            "type": "array",
                                            "items": { "$ref": "#/definitions/PluginInterfaceType" },
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
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
                "CreateImageInfo": {
                    "type": "object",
                    "properties": {
                        "status": { "type": "string" },
                        "progressDetail": { "$ref": "#/definitions/ProgressDetail" },
                    },
                },
                "ProgressDetail": {
                    "type": "object",
                    "properties": { "code": { "type": "integer" }, "message": { "type": "integer" } },
                },
                "NetworkConfig": {
                    "type": "object",
                    "properties": {
                        "Ports": { "type": "array", "description": "Exposed ports", "items": { "$ref": "#/definitions/Port" } },
                        "IPAddress": { "type": "string" },
                    },
                },
                "EndpointSettings": {
                    "type": "object",
                    "properties": { "NetworkID": { "type": "string" } },
                },
                "Resources": {
                    "type": "object",
                    "properties": { "Memory": { "type": "integer" } },
                },
                "HostConfig": {
                    "allOf": [
                        { "$ref": "#/definitions/Resources" },
                        { "type": "object", "properties": { "Binds": { "type": "array", "items": { "type": "string" } } } },
                    ],
                },
                "IPAM": {
                    "type": "object",
                    "properties": {
                        "Driver": { "type": "string" },
                        "Options": {
                            "description": "Driver-specific options, specified as a map.",
                            "type": "array",
                            "items": { "type": "object", "additionalProperties": { "type": "string" } },
                        },
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
                "/containers/{id}/json": { "get": {
                    "operationId": "ContainerInspect",
                    "responses": { "200": { "description": "ok", "schema": { "type": "object", "properties": {
                        "ExecIDs": { "type": "string" },
                        "State": { "type": "object", "properties": { "Running": { "type": "boolean" } } },
                        "NetworkSettings": { "$ref": "#/definitions/NetworkConfig" },
                    } } } },
                } },
                "/info": { "get": {
                    "operationId": "SystemInfo",
                    "responses": { "200": { "description": "ok", "schema": { "type": "object", "properties": {
                        "ID": { "type": "string" },
                    } } } },
                } },
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

    #[test]
    fn build_aux_any_adds_a_missing_aux_from_v1_30() {
        let mut spec = broken();
        spec["definitions"]["BuildInfo"]["properties"]
            .as_object_mut()
            .unwrap()
            .remove("aux");
        let before = spec.clone();
        assert!(
            !(BUILD_AUX_ANY.apply)(&mut spec),
            "v1.25: the daemons send no aux"
        );
        assert_eq!(spec, before);
        spec["info"]["version"] = json!("1.30");
        assert!((BUILD_AUX_ANY.apply)(&mut spec));
        let aux = &spec["definitions"]["BuildInfo"]["properties"]["aux"];
        assert!(aux.get("type").is_none() && aux.get("$ref").is_none(), "{aux}");
        assert!(!(BUILD_AUX_ANY.apply)(&mut spec), "applied twice");
    }

    #[test]
    fn inspect_network_settings_adds_the_networks() {
        let mut spec = broken();
        assert!((INSPECT_NETWORK_SETTINGS.apply)(&mut spec));
        let props = &spec["definitions"]["NetworkConfig"]["properties"];
        assert_eq!(
            props["Networks"]["additionalProperties"],
            json!({ "$ref": "#/definitions/EndpointSettings" })
        );
        for name in ["IPAddress", "SandboxKey", "SandboxID", "EndpointID"] {
            assert_eq!(props[name]["type"], "string", "{name}");
        }
        assert_eq!(props["IPAddress"], json!({ "type": "string" }), "kept as it was");
        assert_eq!(
            props["SecondaryIPAddresses"]["items"]["properties"]["PrefixLen"]["type"],
            "integer"
        );
        assert_eq!(props["Ports"]["type"], "array", "left to inspect-ports-map");
        assert!(!(INSPECT_NETWORK_SETTINGS.apply)(&mut spec), "applied twice");
        let mut no_endpoints = broken();
        no_endpoints["definitions"]
            .as_object_mut()
            .unwrap()
            .remove("EndpointSettings");
        assert!(!(INSPECT_NETWORK_SETTINGS.apply)(&mut no_endpoints));
    }

    #[test]
    fn exec_ids_list_makes_exec_ids_an_array() {
        let mut spec = broken();
        assert!((EXEC_IDS_LIST.apply)(&mut spec));
        let ids = &spec["paths"]["/containers/{id}/json"]["get"]["responses"]["200"]["schema"]["properties"]
            ["ExecIDs"];
        assert_eq!(ids["type"], "array");
        assert_eq!(ids["items"], json!({ "type": "string" }));
        assert!(!(EXEC_IDS_LIST.apply)(&mut spec), "applied twice");
    }

    #[test]
    fn host_config_members_adds_what_is_missing() {
        let mut spec = broken();
        assert!((HOST_CONFIG_MEMBERS.apply)(&mut spec));
        let props = &spec["definitions"]["HostConfig"]["allOf"][1]["properties"];
        assert_eq!(props["MaskedPaths"]["items"]["type"], "string");
        assert_eq!(props["ReadonlyPaths"]["type"], "array");
        assert_eq!(props["CgroupnsMode"]["enum"], json!(["private", "host"]));
        assert_eq!(props["Init"]["type"], "boolean");
        assert_eq!(props["Binds"]["type"], "array", "kept");
        assert!(!(HOST_CONFIG_MEMBERS.apply)(&mut spec), "applied twice");
        // From v1.37 `Init` is in `Resources`: not declared twice.
        let mut spec = broken();
        spec["definitions"]["Resources"]["properties"]["Init"] = json!({ "type": "boolean" });
        assert!((HOST_CONFIG_MEMBERS.apply)(&mut spec));
        assert!(
            spec["definitions"]["HostConfig"]["allOf"][1]["properties"]
                .get("Init")
                .is_none()
        );
    }

    #[test]
    fn info_members_adds_cgroup_and_os_versions() {
        let mut spec = broken();
        assert!((INFO_MEMBERS.apply)(&mut spec));
        let props = &spec["paths"]["/info"]["get"]["responses"]["200"]["schema"]["properties"];
        assert_eq!(props["CgroupVersion"]["enum"], json!(["1", "2"]));
        assert_eq!(props["OSVersion"]["type"], "string");
        assert!(!(INFO_MEMBERS.apply)(&mut spec), "applied twice");
        // From v1.36 the answer is `SystemInfo`.
        let mut spec = broken();
        spec["definitions"]["SystemInfo"] =
            json!({ "type": "object", "properties": { "OSVersion": { "type": "string" } } });
        assert!((INFO_MEMBERS.apply)(&mut spec));
        assert_eq!(
            spec["definitions"]["SystemInfo"]["properties"]["CgroupVersion"]["type"],
            "string"
        );
        assert!(
            spec["paths"]["/info"]["get"]["responses"]["200"]["schema"]["properties"]
                .get("CgroupVersion")
                .is_none()
        );
    }

    #[test]
    fn inspect_state_health_adds_the_health() {
        let mut spec = broken();
        assert!((INSPECT_STATE_HEALTH.apply)(&mut spec));
        let state = &spec["paths"]["/containers/{id}/json"]["get"]["responses"]["200"]["schema"]["properties"]
            ["State"];
        let health = &state["properties"]["Health"]["properties"];
        assert_eq!(health["Status"]["enum"][2], "healthy");
        assert_eq!(
            health["Log"]["items"]["properties"]["ExitCode"]["type"],
            "integer"
        );
        assert_eq!(state["properties"]["Running"]["type"], "boolean", "kept");
        assert!(!(INSPECT_STATE_HEALTH.apply)(&mut spec), "applied twice");
    }

    #[test]
    fn ipam_options_map_makes_options_one_map() {
        let mut spec = broken();
        assert!((IPAM_OPTIONS_MAP.apply)(&mut spec));
        let options = &spec["definitions"]["IPAM"]["properties"]["Options"];
        assert_eq!(options["type"], "object");
        assert_eq!(options["additionalProperties"], json!({ "type": "string" }));
        assert_eq!(
            options["description"],
            "Driver-specific options, specified as a map."
        );
        assert!(!(IPAM_OPTIONS_MAP.apply)(&mut spec), "applied twice");
    }

    #[test]
    fn pull_progress_members() {
        let mut spec = broken();
        assert!((PULL_PROGRESS_MEMBERS.apply)(&mut spec));
        let detail = &spec["definitions"]["ProgressDetail"]["properties"];
        assert_eq!(
            detail,
            &json!({ "current": { "type": "integer" }, "total": { "type": "integer" } })
        );
        assert_eq!(
            spec["definitions"]["CreateImageInfo"]["properties"]["id"],
            json!({ "type": "string" })
        );
        assert!(!(PULL_PROGRESS_MEMBERS.apply)(&mut spec), "applied twice");
    }

    #[test]
    fn plugin_interface_types_are_strings() {
        let mut spec = broken();
        assert!((PLUGIN_INTERFACE_TYPES.apply)(&mut spec));
        assert_eq!(
            spec["definitions"]["Plugin"]["properties"]["Config"]["properties"]["Interface"]
                ["properties"]["Types"]["items"],
            json!({ "type": "string" })
        );
        assert!(!(PLUGIN_INTERFACE_TYPES.apply)(&mut spec), "applied twice");
    }

    #[test]
    fn every_fix_applies_to_the_broken_spec() {
        let mut spec = broken();
        apply_all(&mut spec, ALL).expect("`broken()` has the error of every fix in ALL");
    }

    /// `ALL` and the version table agree: each fix a row names is in `ALL`, each fix of `ALL`
    /// is named by some row, and names are unique.
    #[test]
    fn all_is_the_fixes_of_the_version_table() {
        for v in crate::VERSIONS {
            for f in v.fixes.iter() {
                assert!(
                    ALL.iter().any(|a| a.name == f.name),
                    "v{}: `{}` is not in fixes::ALL",
                    v.name(),
                    f.name
                );
            }
        }
        for f in ALL {
            assert!(
                crate::VERSIONS
                    .iter()
                    .any(|v| v.fixes.iter().any(|u| u.name == f.name)),
                "`{}` is in fixes::ALL but no version uses it: remove it",
                f.name
            );
            assert_eq!(
                ALL.iter().filter(|o| o.name == f.name).count(),
                1,
                "`{}` twice",
                f.name
            );
        }
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
        for &fix in ALL {
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
