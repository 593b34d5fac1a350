//! Modules far from the daemon's version decode what it sends: the oldest module (v1.24) reads
//! the newest daemon's recorded responses (Docker 28 at API 1.51), and the newest module (v1.55)
//! reads the oldest daemon's (Docker 20.10 at API 1.41). Each body is decoded into the type the
//! module's `send()` returns for that operation, and what is written back must be part of what
//! the daemon sent (nothing invented or renamed). The wire path (a newer module talking an older
//! version to a live daemon) is in tests/negotiation.rs.

#![cfg(any(feature = "v1_24", feature = "v1_55"))]

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::path::PathBuf;

fn fixture(dir: &str, file: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(dir)
        .join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `sent` holds everything `written` has (objects may have more members; nulls are skipped).
fn contained(written: &Value, sent: &Value, path: &str) -> Result<(), String> {
    match (written, sent) {
        (Value::Object(w), Value::Object(s)) => w.iter().try_for_each(|(k, v)| match s.get(k) {
            Some(sv) => contained(v, sv, &format!("{path}.{k}")),
            None if v.is_null() => Ok(()),
            None => Err(format!("{path}.{k} was not sent")),
        }),
        (Value::Array(w), Value::Array(s)) if w.len() == s.len() => w
            .iter()
            .zip(s)
            .enumerate()
            .try_for_each(|(i, (w, s))| contained(w, s, &format!("{path}[{i}]"))),
        (w, s) if w == s => Ok(()),
        (w, s) => Err(format!("{path}: wrote {w}, the daemon sent {s}")),
    }
}

/// Decodes one body into `T`, naming the JSON path of a failure; checks the write-back.
fn decode_text<T: DeserializeOwned + Serialize>(what: &str, text: &str) -> T {
    let de = &mut serde_json::Deserializer::from_str(text);
    let value: T = serde_path_to_error::deserialize(de).unwrap_or_else(|e| {
        panic!(
            "{what}: not a {}: at `{}`: {}",
            std::any::type_name::<T>(),
            e.path(),
            e.inner()
        )
    });
    let sent: Value = serde_json::from_str(text).unwrap();
    let written = serde_json::to_value(&value).unwrap();
    contained(&written, &sent, "$").unwrap_or_else(|e| panic!("{what}: {e}"));
    value
}

fn decode<T: DeserializeOwned + Serialize>(dir: &str, file: &str) -> T {
    decode_text(&format!("{dir}/{file}"), &fixture(dir, file))
}

/// Every line of a JSON-lines body.
fn decode_lines<T: DeserializeOwned + Serialize>(dir: &str, file: &str) -> Vec<T> {
    let text = fixture(dir, file);
    let items: Vec<T> = text
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(n, line)| decode_text(&format!("{dir}/{file} line {}", n + 1), line))
        .collect();
    assert!(!items.is_empty(), "{dir}/{file}");
    items
}

/// The response types of each module, by operation, named as that module names them.
macro_rules! reads {
    ($name:ident: $module:ident reads $daemon:literal {
        info: $info:ty, version: $version:ty, containers: $containers:ty, image: $image:ty,
        changes: $changes:ty, events: $events:ty, build_aux: $build_aux:literal $(,)?
    }) => {
        mod $name {
            use super::*;
            use docker_engine_api::$module::types as t;

            const D: &str = concat!("daemon/", $daemon);
            const S: &str = concat!("streams/", $daemon);

            #[test]
            fn documents() {
                let info: $info = decode(D, "info.json");
                assert!(info.id.is_some());
                let version: $version = decode(D, "version.json");
                assert!(version.api_version.is_some());
                let _: $containers = decode(D, "containers-json.json");
                let image: $image = decode(D, "image-inspect.json");
                assert!(image.id.is_some());
                for file in ["images-json.json", "images-json-all.json"] {
                    let images: Option<Vec<t::ImageSummary>> = decode(D, file);
                    assert!(images.is_some_and(|i| !i.is_empty()), "{file}");
                }
                let _: Option<Vec<t::ImageHistoryResponseItem>> = decode(D, "image-history.json");
                let changes: Option<Vec<$changes>> = decode(D, "container-changes.json");
                assert!(changes.is_some_and(|c| !c.is_empty()));
                let _: t::ContainerCreateResponse = decode(D, "container-create.json");
                for file in [
                    "container-inspect.json",
                    "container-inspect-created.json",
                    "container-inspect-running.json",
                ] {
                    let inspect: t::ContainerInspectResponse = decode(D, file);
                    assert!(inspect.state.is_some(), "{file}");
                }
                let _: t::ContainerTopResponse = decode(D, "container-top.json");
                let wait: t::ContainerWaitResponse = decode(D, "container-wait-exit3.json");
                assert_eq!(serde_json::to_value(wait).unwrap()["StatusCode"], 3);
                let _: t::IdResponse = decode(D, "exec-create.json");
                let _: t::ExecInspectResponse = decode(D, "exec-inspect.json");
                let volumes: t::VolumeListResponse = decode(D, "volumes.json");
                assert!(volumes.volumes.is_some());
                let _: t::Volume = decode(D, "volume-create.json");
                let _: t::Volume = decode(D, "volume-inspect.json");
                let networks: Option<Vec<t::Network>> = decode(D, "networks.json");
                assert!(networks.is_some_and(|n| !n.is_empty()));
                let _: t::NetworkCreateResponse = decode(D, "network-create.json");
                for file in ["network-inspect.json", "network-inspect-none.json"] {
                    let network: t::Network = decode(D, file);
                    assert!(network.name.is_some(), "{file}");
                }
                for file in ["error-404.json", "error-409.json", "error-api-too-new.json"] {
                    let e: t::ErrorResponse = decode(D, file);
                    assert!(e.message.is_some_and(|m| !m.is_empty()), "{file}");
                }
            }

            #[test]
            fn streams() {
                let events: Vec<$events> = decode_lines(D, "events.jsonl");
                assert!(events.len() > 3);
                // The daemon sends the built image's ID in `aux`, which a module keeps from
                // v1.30 on (the spec's, or the recorded fix `build-aux-any`).
                for file in [
                    "build.jsonl",
                    "build-octet-stream.jsonl",
                    "build-buildkit.jsonl",
                ] {
                    let dir = if file.contains("buildkit") { S } else { D };
                    let build: Vec<t::BuildInfo> = decode_lines(dir, file);
                    let ids = build
                        .iter()
                        .filter_map(docker_engine_api::streams::build_image_id);
                    assert_eq!(ids.count(), usize::from($build_aux), "{file}");
                }
                let pull: Vec<t::CreateImageInfo> = decode_lines(S, "pull.jsonl");
                assert!(pull.iter().any(|i| i.status.is_some()));
                let push: Vec<t::PushImageInfo> = decode_lines(S, "push.jsonl");
                assert!(push.iter().any(|i| i.aux.is_some()), "the pushed digest");
            }
        }
    };
}

// The oldest module and the newest daemon: v1.24 names most responses after their operation,
// and has no event type (`serde_json::Value`).
#[cfg(feature = "v1_24")]
reads!(v1_24_reads_28: v1_24 reads "28" {
    info: t::SystemInfoResponse,
    version: t::SystemVersionResponse,
    containers: t::ContainerSummary,
    image: t::Image,
    changes: t::ContainerChangesResponseItem,
    events: Value,
    build_aux: false,
});

// The newest module and the oldest daemon.
#[cfg(feature = "v1_55")]
reads!(v1_55_reads_20_10: v1_55 reads "20.10" {
    info: t::SystemInfo,
    version: t::SystemVersion,
    containers: Option<Vec<t::ContainerSummary>>,
    image: t::ImageInspect,
    changes: t::FilesystemChange,
    events: t::EventMessage,
    build_aux: true,
});
