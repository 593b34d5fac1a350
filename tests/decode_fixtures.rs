//! Decodes real daemon responses (`tests/fixtures/daemon/`, see its README) with the generated
//! types: Docker 20.10 output with the v1.41 module (its newest API), Docker 28 output with
//! v1.51. Each fixture is decoded into the type the generated client's `send()` returns for
//! that operation, so a failure here is a failure a user would hit.
//!
//! Besides "it decodes", the tests pin the conversion rules on real data (the generator's
//! `convert::convert_schema`): collections the daemon sends as `null` decode to `None`, Go zero
//! times stay strings (TIMESTAMP_FORMATS), values a spec's enum does not list are kept (open
//! enums). Every decoded value is also written back: the JSON it gives must be part of what the
//! daemon sent (nothing invented, nothing renamed), and decoding that again must give it back
//! unchanged.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::path::PathBuf;

fn fixture_path(daemon: &str, file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/daemon")
        .join(daemon)
        .join(file)
}

fn read(daemon: &str, file: &str) -> String {
    let path = fixture_path(daemon, file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Decodes one JSON document, naming the file and the JSON path of the failure, and checks
/// that writing it back loses only nulls and unknown fields.
fn decode_str<T: DeserializeOwned + Serialize>(what: &str, text: &str) -> T {
    let de = &mut serde_json::Deserializer::from_str(text);
    let value: T = serde_path_to_error::deserialize(de).unwrap_or_else(|e| {
        panic!(
            "{what}: cannot decode into {}: at `{}`: {}",
            std::any::type_name::<T>(),
            e.path(),
            e.inner()
        )
    });
    let sent: Value = serde_json::from_str(text).unwrap();
    let written = serde_json::to_value(&value).unwrap();
    if let Err(path) = contained(&written, &sent, String::new()) {
        panic!("{what}: written back, `{path}` differs from what the daemon sent");
    }
    let again: T = serde_json::from_value(written.clone()).unwrap();
    assert_eq!(
        serde_json::to_value(&again).unwrap(),
        written,
        "{what}: second round trip"
    );
    value
}

/// Whether `written` is `sent` without some object members; `Err` holds the first path where
/// it is not.
fn contained(written: &Value, sent: &Value, path: String) -> Result<(), String> {
    match (written, sent) {
        (Value::Object(w), Value::Object(s)) => w.iter().try_for_each(|(k, v)| {
            let path = format!("{path}.{k}");
            s.get(k)
                .ok_or_else(|| path.clone())
                .and_then(|s| contained(v, s, path))
        }),
        (Value::Array(w), Value::Array(s)) if w.len() == s.len() => w
            .iter()
            .zip(s)
            .enumerate()
            .try_for_each(|(i, (w, s))| contained(w, s, format!("{path}[{i}]"))),
        // An integer the spec types as a number comes back as a float.
        (Value::Number(w), Value::Number(s)) if w.as_f64() == s.as_f64() => Ok(()),
        (w, s) if w == s => Ok(()),
        _ => Err(path),
    }
}

fn decode<T: DeserializeOwned + Serialize>(daemon: &str, file: &str) -> T {
    decode_str(&format!("{daemon}/{file}"), &read(daemon, file))
}

/// Decodes a JSON-lines stream (events, build progress) item by item.
fn decode_lines<T: DeserializeOwned + Serialize>(daemon: &str, file: &str) -> Vec<T> {
    let text = read(daemon, file);
    let items: Vec<T> = text
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(n, line)| decode_str(&format!("{daemon}/{file} line {}", n + 1), line))
        .collect();
    assert!(!items.is_empty(), "{daemon}/{file} has no items");
    items
}

/// Tests that hold for both daemons, instantiated per (module, fixture directory).
macro_rules! decode_all {
    ($name:ident: $module:ident reads $daemon:literal, changes = $change:ident) => {
        mod $name {
            use super::*;
            use docker_engine_api::$module::types as t;

            const D: &str = $daemon;

            #[test]
            fn system_info() {
                let info: t::SystemInfo = decode(D, "info.json");
                assert!(info.id.is_some());
                // `Warnings: null` (an empty Go slice).
                assert!(info.warnings.is_none(), "Warnings is null in {D}/info.json");
                // `SystemTime` is RFC 3339 with trimmed nanoseconds: kept as the string sent.
                assert!(
                    info.system_time
                        .as_deref()
                        .is_some_and(|t| t.ends_with('Z'))
                );
            }

            #[test]
            fn system_version() {
                let v: t::SystemVersion = decode(D, "version.json");
                assert!(v.api_version.is_some());
                assert!(v.components.as_ref().is_some_and(|c| !c.is_empty()));
            }

            #[test]
            fn image_list() {
                for file in ["images-json.json", "images-json-all.json"] {
                    let images: Option<Vec<t::ImageSummary>> = decode(D, file);
                    let images = images.expect("a JSON array");
                    assert!(!images.is_empty(), "{file}");
                    // Our test image is built without labels: `Labels: null`.
                    assert!(
                        images.iter().any(|i| i.labels.is_none()),
                        "{file}: Labels null"
                    );
                }
            }

            #[test]
            fn image_inspect_and_history() {
                let image: t::ImageInspect = decode(D, "image-inspect.json");
                assert!(
                    image
                        .id
                        .as_deref()
                        .is_some_and(|id| id.starts_with("sha256:"))
                );
                let config = image.config.expect("Config");
                // `Config.Entrypoint: null`, `Config.OnBuild: null`.
                assert!(config.entrypoint.is_none());
                assert!(config.on_build.is_none());
                let history: Option<Vec<t::ImageHistoryResponseItem>> = decode(D, "image-history.json");
                let history = history.expect("a JSON array");
                // Untagged layers: `Tags: null`.
                assert!(history.iter().any(|h| h.tags.is_none()));
            }

            #[test]
            fn container_list() {
                let list: Option<Vec<t::ContainerSummary>> = decode(D, "containers-json.json");
                let list = list.expect("a JSON array");
                assert_eq!(list.len(), 4, "exited, exited (tty), created, running");
                for c in &list {
                    assert!(c.id.is_some() && c.state.is_some() && c.created.is_some());
                }
            }

            #[test]
            fn container_inspect() {
                let c: t::ContainerInspectResponse = decode(D, "container-inspect.json");
                // Enum values the spec lists decode to their variants, and back with as_str().
                let status = c.state.as_ref().and_then(|s| s.status.clone());
                assert_eq!(status, Some(t::ContainerStateStatus::Exited));
                assert_eq!(status.as_ref().map(|s| s.as_str()), Some("exited"));
                let mount_type = c
                    .mounts
                    .as_ref()
                    .and_then(|m| m.first())
                    .and_then(|m| m.type_.clone());
                assert_eq!(mount_type, Some(t::MountType::Volume));
                let host = c.host_config.expect("HostConfig");
                // `Isolation: ""`: listed by the spec (as `""`), so not `Unknown`.
                let isolation = host.isolation.as_ref().expect("Isolation");
                assert_eq!(isolation.as_str(), "");
                assert!(
                    !matches!(isolation, t::HostConfigIsolation::Unknown(_)),
                    "{isolation:?}"
                );
                // `CapAdd: null`, `Dns: null`, `PortBindings: null` (a map): all decode to None.
                assert!(host.cap_add.is_none());
                assert!(host.dns.is_none());
                assert!(host.port_bindings.is_none());
                assert!(c.exec_ids.is_none(), "ExecIDs: null");
                assert_eq!(c.mounts.as_ref().map(Vec::len), Some(1), "one volume mount");
                // Cmd is always an array (see fixes::CMD_TYPE_LIST).
                let config = c.config.expect("Config");
                assert!(config.cmd.as_ref().is_some_and(|cmd| !cmd.is_empty()));

                let created: t::ContainerInspectResponse = decode(D, "container-inspect-created.json");
                let state = created.state.expect("State");
                // The Go zero time of a never-started container stays the string sent.
                assert_eq!(state.started_at.as_deref(), Some("0001-01-01T00:00:00Z"));
                assert_eq!(state.finished_at.as_deref(), Some("0001-01-01T00:00:00Z"));

                let running: t::ContainerInspectResponse = decode(D, "container-inspect-running.json");
                let state = running.state.expect("State");
                assert_eq!(state.running, Some(true));
                assert_eq!(state.finished_at.as_deref(), Some("0001-01-01T00:00:00Z"));
                assert!(
                    state
                        .started_at
                        .as_deref()
                        .is_some_and(|t| !t.starts_with("0001"))
                );
            }

            #[test]
            fn container_changes() {
                let changes: Option<Vec<t::$change>> = decode(D, "container-changes.json");
                let changes = changes.expect("a JSON array");
                let paths: Vec<_> = changes.iter().filter_map(|c| c.path.as_deref()).collect();
                assert!(
                    paths.contains(&"/hello.txt") && paths.contains(&"/bin/ls"),
                    "{paths:?}"
                );
            }

            #[test]
            fn container_create_wait_top() {
                let created: t::ContainerCreateResponse = decode(D, "container-create.json");
                assert!(created.id.is_some());
                let wait: t::ContainerWaitResponse = decode(D, "container-wait.json");
                assert_eq!(wait.status_code, Some(0));
                let wait: t::ContainerWaitResponse = decode(D, "container-wait-exit3.json");
                assert_eq!(wait.status_code, Some(3));
                let top: t::ContainerTopResponse = decode(D, "container-top.json");
                assert!(top.processes.as_ref().is_some_and(|p| !p.is_empty()));
            }

            #[test]
            fn exec() {
                let created: t::IdResponse = decode(D, "exec-create.json");
                assert!(created.id.is_some());
                let exec: t::ExecInspectResponse = decode(D, "exec-inspect.json");
                assert_eq!(exec.exit_code, Some(2));
            }

            #[test]
            fn volumes() {
                let list: t::VolumeListResponse = decode(D, "volumes.json");
                assert!(list.warnings.is_none(), "Warnings: null");
                let volumes = list.volumes.expect("Volumes");
                let ours = volumes
                    .iter()
                    .find(|v| v.name.as_deref() == Some("dockerapi-fixture-vol"))
                    .expect("the fixture volume");
                assert!(ours.options.is_none(), "Options: null");
                // Whole seconds, no fraction: still just a string.
                assert!(ours.created_at.as_deref().is_some_and(|t| t.ends_with('Z')));
                let _: t::Volume = decode(D, "volume-create.json");
                let _: t::Volume = decode(D, "volume-inspect.json");
            }

            #[test]
            fn networks() {
                let list: Option<Vec<t::Network>> = decode(D, "networks.json");
                let list = list.expect("a JSON array");
                assert_eq!(list.len(), 3, "none, host, dockerapi-fixture-net");
                let ours: t::Network = decode(D, "network-inspect.json");
                assert_eq!(ours.name.as_deref(), Some("dockerapi-fixture-net"));
                let none: t::Network = decode(D, "network-inspect-none.json");
                assert_eq!(none.name.as_deref(), Some("none"));
                let _: t::NetworkCreateResponse = decode(D, "network-create.json");
            }

            #[test]
            fn system_df() {
                let df: t::SystemDataUsageResponse = decode(D, "system-df.json");
                assert!(df.images.as_ref().is_some_and(|i| !i.is_empty()));
            }

            #[test]
            fn events() {
                let events: Vec<t::EventMessage> = decode_lines(D, "events.jsonl");
                assert!(
                    events
                        .iter()
                        .all(|e| e.type_.is_some() && e.action.is_some())
                );
                // `exec_create: sh -c …`: the command is part of the action.
                assert!(events.iter().any(|e| {
                    e.action
                        .as_ref()
                        .is_some_and(|a| a.to_string().starts_with("exec_create: "))
                }));
            }

            #[test]
            fn build_progress() {
                for file in [
                    "build.jsonl",
                    "build-octet-stream.jsonl",
                    "build-error.jsonl",
                ] {
                    let items: Vec<t::BuildInfo> = decode_lines(D, file);
                    assert!(items.iter().any(|i| i.stream.is_some()), "{file}");
                }
                // BuildKit: base64 trace strings in `aux` (the fix `build-aux-any`), the image ID
                // as an object.
                for file in ["build-buildkit.jsonl", "build-buildkit-error.jsonl"] {
                    let items: Vec<t::BuildInfo> = decode_lines(D, &format!("../../streams/{D}/{file}"));
                    let traces = items
                        .iter()
                        .filter(|i| i.aux.as_ref().is_some_and(|a| a.is_string()));
                    assert!(traces.count() > 3, "{file}");
                }
                let failed: Vec<t::BuildInfo> = decode_lines(D, "build-error.jsonl");
                let last = failed.last().expect("items");
                assert!(
                    last.error_detail
                        .as_ref()
                        .is_some_and(|e| e.code == Some(1))
                );
            }

            #[test]
            fn push_and_pull_progress() {
                let stream = |file: &str| format!("../../streams/{D}/{file}");
                // The pushed digest is in the last item's `aux` (the fix `push-aux`).
                let pushed: Vec<t::PushImageInfo> = decode_lines(D, &stream("push.jsonl"));
                let aux = pushed
                    .last()
                    .and_then(|i| i.aux.as_ref())
                    .expect("aux in the last item");
                assert!(
                    aux.digest
                        .as_deref()
                        .is_some_and(|d| d.starts_with("sha256:")),
                    "{aux:?}"
                );
                assert_eq!(aux.tag.as_deref(), Some(D));
                assert!(aux.size.is_some_and(|s| s > 0));
                let denied: Vec<t::PushImageInfo> = decode_lines(D, &stream("push-unauthorized.jsonl"));
                let last = denied.last().and_then(|i| i.error.as_deref());
                assert_eq!(last, Some("unauthorized: authentication required"));
                let pulled: Vec<t::CreateImageInfo> = decode_lines(D, &stream("pull.jsonl"));
                let status = pulled
                    .last()
                    .and_then(|i| i.status.as_deref())
                    .unwrap_or_default();
                assert!(
                    status.starts_with("Status: Downloaded newer image for 127.0.0.1:5000/"),
                    "{status}"
                );
            }

            #[test]
            fn errors() {
                for file in [
                    "error-404.json",
                    "error-404-image.json",
                    "error-409.json",
                    "error-409-name.json",
                    "error-bad-json.json",
                    "error-api-too-new.json",
                ] {
                    let e: t::ErrorResponse = decode(D, file);
                    assert!(
                        e.message.as_deref().is_some_and(|m| !m.is_empty()),
                        "{file}"
                    );
                }
            }
        }
    };
}

decode_all!(v1_41: v1_41 reads "20.10", changes = ContainerChangeResponseItem);
decode_all!(v1_51: v1_51 reads "28", changes = FilesystemChange);
// A client built for an older API talking to a newer daemon (28 serves 1.41 too, and sends
// the same bodies): what optional properties (no `required`) and the open enums are for.
decode_all!(v1_41_reads_28: v1_41 reads "28", changes = ContainerChangeResponseItem);

/// No recorded response holds an enum value its spec does not list (see the README's "Enum
/// values seen"), so this takes the real 28 container list and changes one `State` to what a
/// newer daemon could send. Everything else is as recorded.
#[test]
fn unlisted_enum_value_in_a_real_response_is_kept() {
    use docker_engine_api::v1_51::types as t;
    let text = read("28", "containers-json.json");
    assert!(text.contains(r#""State":"running""#), "the running container");
    let text = text.replacen(r#""State":"running""#, r#""State":"stopping""#, 1);
    let list: Option<Vec<t::ContainerSummary>> = decode_str("28/containers-json.json (edited)", &text);
    let states: Vec<_> = list
        .expect("a JSON array")
        .into_iter()
        .filter_map(|c| c.state)
        .collect();
    assert!(
        states.contains(&t::ContainerSummaryState::Unknown("stopping".into())),
        "{states:?}"
    );
    assert!(states.contains(&t::ContainerSummaryState::Exited), "{states:?}");
    let back = serde_json::to_value(t::ContainerSummaryState::Unknown("stopping".into())).unwrap();
    assert_eq!(back, serde_json::json!("stopping"));
}
