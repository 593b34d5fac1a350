//! Nothing the daemon sends silently lost: for container, image, network and volume inspect,
//! info and version, on both daemons, through every enabled module the daemon speaks (pinned,
//! module and wire alike) and through a newer module talking the daemon's newest version, the
//! raw JSON body is compared with the typed value written back (`support::dropped`).
//!
//! The objects are in the states users have them in: a running container (network mode `none`,
//! which still has `Networks: {none: …}`) with a health check and a running exec; an internal
//! network with IPAM options and labels; a labelled volume with driver options.
//!
//! - The members the recorded spec fixes restore must be kept (`KEPT`), and the bodies that used
//!   to fail to decode (`ExecIDs` while an exec runs, `IPAM.Options`) must decode.
//! - Every other dropped member is listed in `docs/conformance-dropped.md`, one section per
//!   daemon and pinned module; the test fails when what it finds differs from the sections of
//!   the modules it ran (so the file cannot go stale; a module newer than the daemon, talking
//!   the daemon's version, is checked and printed, not recorded). Refresh those sections with
//!   `UPDATE_CONFORMANCE=1 cargo test --test conformance --all-features` and review the diff.
//! - Builds: `streams::build_image_id` finds the built image's ID from wire v1.30 on (where
//!   both daemons send `aux`), with the module's own `BuildInfo`.
//! - `HostConfig.Init` set through the module's typed body reaches the daemon and comes back.
//! - Pulls (from the test registry, an image with a layer of its own): every progress line's
//!   `id` and `progressDetail` `current`/`total` are kept by the module's `CreateImageInfo`.

mod support;

use docker_engine_api::streams::{self, build_image_id};
use docker_engine_api::{ApiVersion, Docker, ENABLED_MINORS, RegistryAuth, with_api};
use futures_util::StreamExt;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::PathBuf;
use support::dropped::dropped;
use support::*;

/// Members each operation must keep (what the recorded fixes restore), when the daemon sends
/// them (a precondition, checked).
const KEPT: &[(&str, &[&str])] = &[
    (
        "container inspect",
        &[
            // `inspect-network-settings` (v1.24-v1.31).
            "NetworkSettings.Networks",
            "NetworkSettings.Networks.none.NetworkID",
            "NetworkSettings.IPAddress",
            "NetworkSettings.EndpointID",
            "NetworkSettings.SandboxKey",
            "NetworkSettings.SandboxID",
            // `exec-ids-list` (v1.24-v1.37): decodes, and is kept.
            "ExecIDs",
            // `host-config-members` (v1.24-v1.40).
            "HostConfig.MaskedPaths",
            "HostConfig.ReadonlyPaths",
            "HostConfig.CgroupnsMode",
            "State.Health",
        ],
    ),
    // `info-members` (v1.24-v1.40).
    ("info", &["CgroupVersion", "OSVersion"]),
    // `ipam-options-map` (v1.24-v1.38): decodes, and is kept.
    ("network inspect", &["IPAM.Options", "IPAM.Options.color"]),
];

/// The checked-in list of remaining dropped members.
fn doc_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/conformance-dropped.md")
}

const DOC_HEAD: &str = "# Members the daemons send that the typed responses drop

Written by `tests/conformance.rs` (the `support::dropped` detector): for each test daemon, module
and wire version, the members of a response body that the module's typed value does not keep,
by path (`[]`: the items of an array). The objects are a running container (network mode
`none`, a health check, a running exec), its image, an internal network with IPAM options, a
volume with driver options. The test compares its run with the sections of the modules it
ran; refresh them with `UPDATE_CONFORMANCE=1 cargo test --test conformance --all-features`
(with the test daemons running) and review the diff.
";

/// One raw GET under the wire version: the body as JSON.
async fn raw_get(docker: &Docker, segments: &[&str]) -> Value {
    let url = docker.url(segments).unwrap();
    let resp = docker.http().get(url).send().await.unwrap();
    assert!(resp.status().is_success(), "{segments:?}: {}", resp.status());
    serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap()
}

/// One raw POST of a JSON body under the wire version; the answer as JSON (`null` if empty).
async fn raw_post(docker: &Docker, segments: &[&str], query: &[(&str, &str)], body: Value) -> Value {
    let mut url = docker.url(segments).unwrap();
    if !query.is_empty() {
        url.query_pairs_mut().extend_pairs(query);
    }
    let resp = docker
        .http()
        .post(url)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = resp.status();
    let bytes = resp.bytes().await.unwrap();
    assert!(
        status.is_success(),
        "{segments:?}: {status} {}",
        String::from_utf8_lossy(&bytes)
    );
    serde_json::from_slice(&bytes).unwrap_or(Value::Null)
}

async fn raw_delete(docker: &Docker, segments: &[&str], query: &[(&str, &str)]) {
    let mut url = docker.url(segments).unwrap();
    url.query_pairs_mut().extend_pairs(query);
    docker.http().delete(url).send().await.unwrap();
}

/// The objects the responses describe, made once per daemon.
struct Objects {
    container: String,
    image: String,
    network: String,
    volume: String,
}

async fn make_objects(docker: &Docker) -> Objects {
    // The image: busybox with a health check.
    let image = format!(
        "dockerapi-test/{}:latest",
        unique("conf").trim_start_matches("dockerapi-test-")
    );
    let context = busybox_context_with(
        "RUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\nHEALTHCHECK --interval=1s CMD true\nCMD [\"sh\"]",
    );
    let out = with_api!(docker.api(), async |c, _api| -> _ {
        collect(
            docker
                .call(c.image_build().t(image.clone()).body(context).send())
                .await
                .unwrap(),
        )
        .await
    });
    assert!(
        !String::from_utf8_lossy(&out).contains("errorDetail"),
        "{}",
        String::from_utf8_lossy(&out)
    );

    let name = unique("conf");
    let created = raw_post(
        docker,
        &["containers", "create"],
        &[("name", &name)],
        json!({
            "Image": image,
            "Cmd": ["sleep", "600"],
            "Labels": { "dockerapi-test": "conformance" },
            "HostConfig": { "NetworkMode": "none" },
        }),
    )
    .await;
    let container = created["Id"].as_str().unwrap().to_string();
    raw_post(docker, &["containers", &container, "start"], &[], json!({})).await;
    // A running exec: `ExecIDs` lists it.
    let exec = raw_post(
        docker,
        &["containers", &container, "exec"],
        &[],
        json!({ "Cmd": ["sleep", "600"] }),
    )
    .await;
    let exec = exec["Id"].as_str().unwrap().to_string();
    raw_post(docker, &["exec", &exec, "start"], &[], json!({ "Detach": true })).await;
    // Healthy, with a log of checks.
    for _ in 0..100 {
        let inspect = raw_get(docker, &["containers", &container, "json"]).await;
        if inspect["State"]["Health"]["Status"] == "healthy" && inspect["ExecIDs"].is_array() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }

    let network = unique("conf-net");
    raw_post(
        docker,
        &["networks", "create"],
        &[],
        json!({
            "Name": network,
            "Internal": true,
            "Labels": { "dockerapi-test": "conformance" },
            "IPAM": { "Driver": "default", "Options": { "color": "blue" } },
        }),
    )
    .await;
    let volume = unique("conf-vol");
    raw_post(
        docker,
        &["volumes", "create"],
        &[],
        json!({
            "Name": volume,
            "Labels": { "dockerapi-test": "conformance" },
            "DriverOpts": { "type": "tmpfs", "device": "tmpfs", "o": "size=1m" },
        }),
    )
    .await;
    Objects {
        container,
        image,
        network,
        volume,
    }
}

async fn remove_objects(docker: &Docker, o: &Objects) {
    raw_delete(docker, &["containers", &o.container], &[("force", "true")]).await;
    raw_delete(docker, &["networks", &o.network], &[]).await;
    raw_delete(docker, &["volumes", &o.volume], &[]).await;
    raw_delete(docker, &["images", &o.image], &[("force", "true")]).await;
}

/// `(operation, raw body, decoded body written back or why it does not decode)` for the six
/// responses.
async fn responses(docker: &Docker, o: &Objects) -> Vec<(&'static str, Value, Result<Value, String>)> {
    let id = o.container.as_str();
    macro_rules! typed {
        ($call:expr) => {
            docker
                .call($call.send())
                .await
                .map(|v| json!(v))
                .map_err(|e| e.to_string())
        };
    }
    let decoded = with_api!(docker.api(), async |c, _api| -> _ {
        [
            typed!(c.container_inspect().id(id)),
            typed!(c.system_info()),
            typed!(c.system_version()),
            typed!(c.image_inspect().name(&o.image)),
            typed!(c.network_inspect().id(&o.network)),
            typed!(c.volume_inspect().name(&o.volume)),
        ]
    });
    let raw = [
        raw_get(docker, &["containers", id, "json"]).await,
        raw_get(docker, &["info"]).await,
        raw_get(docker, &["version"]).await,
        raw_get(docker, &["images", &o.image, "json"]).await,
        raw_get(docker, &["networks", &o.network]).await,
        raw_get(docker, &["volumes", &o.volume]).await,
    ];
    let names = [
        "container inspect",
        "info",
        "version",
        "image inspect",
        "network inspect",
        "volume inspect",
    ];
    names
        .into_iter()
        .zip(raw)
        .zip(decoded)
        .map(|((n, r), d)| (n, r, d))
        .collect()
}

/// The value at a dotted path (`IPAM.Options.color`).
fn at<'a>(v: &'a Value, path: &str) -> &'a Value {
    path.split('.').fold(v, |v, k| &v[k])
}

/// `20.10`, `28.5`: the daemon's release, without patch and packaging.
fn release(version: &Value) -> String {
    let full = version["Version"].as_str().unwrap_or("unknown");
    full.split(['+', '-'])
        .next()
        .unwrap()
        .split('.')
        .take(2)
        .collect::<Vec<_>>()
        .join(".")
}

/// A build through the module, its progress decoded as the module's `BuildInfo`: the image IDs
/// `build_image_id` finds.
async fn build_ids(docker: &Docker) -> Vec<String> {
    let tag = format!(
        "dockerapi-test/{}:latest",
        unique("conf-build").trim_start_matches("dockerapi-test-")
    );
    let ids = with_api!(docker.api(), async |c, api| -> _ {
        let body = docker
            .call(c.image_build().t(tag.clone()).body(busybox_context()).send())
            .await
            .unwrap();
        let mut progress = streams::build_progress::<api::types::BuildInfo>(body);
        let mut ids = Vec::new();
        while let Some(item) = progress.next().await {
            let item = item.unwrap_or_else(|e| panic!("build item: {e}"));
            ids.extend(build_image_id(&item));
        }
        ids
    });
    raw_delete(docker, &["images", &tag], &[("force", "true")]).await;
    ids
}

/// An image of its own in the test registry: one layer no other image has, so that each pull
/// of it downloads (and reports `progressDetail` `current`/`total` per layer). Returns the
/// remote name, no longer present locally, and the credentials.
async fn registry_image(docker: &Docker) -> (String, RegistryAuth) {
    let registry = test_registry();
    let repo = format!("{}/{}", registry.address, unique("conf-pull"));
    let remote = format!("{repo}:latest");
    let layer = unique("layer");
    let context = tar_of(&[
        ("Dockerfile", b"FROM scratch\nCOPY layer /layer\n", 0o644),
        ("layer", layer.as_bytes(), 0o644),
    ]);
    let built = with_api!(docker.api(), async |c, _api| -> Vec<u8> {
        collect(
            docker
                .call(c.image_build().t(remote.clone()).body(context).send())
                .await
                .unwrap(),
        )
        .await
    });
    let built = String::from_utf8_lossy(&built);
    assert!(!built.contains("errorDetail"), "{built}");
    registry.push(docker, &repo, "latest").await;
    raw_delete(docker, &["images", &remote], &[("force", "true")]).await;
    (remote, registry.auth)
}

/// Pulls `remote` through the module: each progress line as sent, and as the module's
/// `CreateImageInfo` written back. The image is removed again (the next pull downloads).
async fn pull_lines(docker: &Docker, remote: &str, auth: &RegistryAuth) -> Vec<(Value, Value)> {
    let body = with_api!(docker.api(), async |c, _api| -> Vec<u8> {
        let pull = c.image_create().from_image(remote).x_registry_auth(auth.header());
        collect(docker.call(pull.send()).await.unwrap()).await
    });
    raw_delete(docker, &["images", remote], &[("force", "true")]).await;
    let text = String::from_utf8(body).unwrap();
    with_api!(docker.api(), |_c, api| -> Vec<(Value, Value)> {
        text.lines()
            .filter(|line| !line.trim().is_empty())
            .map(|line| {
                let item: api::types::CreateImageInfo =
                    serde_json::from_str(line).unwrap_or_else(|e| panic!("{line}: {e}"));
                (
                    serde_json::from_str(line).unwrap(),
                    serde_json::to_value(item).unwrap(),
                )
            })
            .collect()
    })
}

/// The members of pull progress lines the module must keep (`pull-progress-members` before
/// v1.36), each when the line has it; the problems, and whether the download's progress was
/// seen at all.
fn pull_problems(lines: &[(Value, Value)]) -> (Vec<String>, bool) {
    let mut problems = Vec::new();
    let mut downloads = false;
    for (raw, decoded) in lines {
        for path in ["id", "progressDetail.current", "progressDetail.total"] {
            if !at(raw, path).is_null() {
                downloads |= path == "progressDetail.total";
                if at(decoded, path) != at(raw, path) {
                    problems.push(format!("pull progress drops `{path}` of {raw}"));
                }
            }
        }
    }
    (problems, downloads)
}

/// `HostConfig.Init` through the module's typed body: what the daemon stored, and what the
/// typed inspect kept.
async fn init_round_trip(docker: &Docker, image: &str) -> (Value, Value) {
    let (id, decoded) = with_api!(docker.api(), async |c, api| -> _ {
        let host_config: api::types::HostConfig =
            serde_json::from_value(json!({ "NetworkMode": "none", "Init": true })).unwrap();
        let created = docker
            .call(
                c.container_create()
                    .body_map(|mut b| {
                        b.image = Some(image.to_string());
                        b.cmd = Some(vec!["true".into()]);
                        b.host_config = Some(host_config);
                        b
                    })
                    .send(),
            )
            .await
            .unwrap();
        let id = created.id.clone().unwrap();
        let inspect = docker.call(c.container_inspect().id(&id).send()).await.unwrap();
        (id, serde_json::to_value(&inspect).unwrap())
    });
    let raw = raw_get(docker, &["containers", &id, "json"]).await;
    raw_delete(docker, &["containers", &id], &[("force", "true")]).await;
    (
        raw["HostConfig"]["Init"].clone(),
        decoded["HostConfig"]["Init"].clone(),
    )
}

/// Sections of the document: header line (`## Docker 20.10, module v1.30, wire v1.30`) to body.
type Sections = BTreeMap<(String, u32, u32), String>;

fn section_key(header: &str) -> Option<(String, u32, u32)> {
    let rest = header.strip_prefix("## Docker ")?;
    let mut parts = rest.split(", ");
    let daemon = parts.next()?.to_string();
    let minor = |p: Option<&str>, what: &str| -> Option<u32> {
        p?.strip_prefix(what)?.strip_prefix("v1.")?.parse().ok()
    };
    let module = minor(parts.next(), "module ")?;
    let wire = minor(parts.next(), "wire ")?;
    Some((daemon, module, wire))
}

fn header(key: &(String, u32, u32)) -> String {
    format!("## Docker {}, module v1.{}, wire v1.{}", key.0, key.1, key.2)
}

fn parse_doc(text: &str) -> Sections {
    let mut sections = Sections::new();
    for chunk in text.split("\n## ").skip(1) {
        let (head, body) = chunk.split_once('\n').unwrap_or((chunk, ""));
        if let Some(key) = section_key(&format!("## {head}")) {
            sections.insert(key, body.trim().to_string());
        }
    }
    sections
}

fn render_doc(sections: &Sections) -> String {
    let mut out = DOC_HEAD.to_string();
    // Release order by number, not text (`28.5` after `20.10`).
    let mut keys: Vec<_> = sections.keys().collect();
    keys.sort_by_key(|(d, m, w)| {
        let n: Vec<u32> = d.split('.').filter_map(|p| p.parse().ok()).collect();
        (n, *m, *w)
    });
    for key in keys {
        out.push_str(&format!("\n{}\n\n{}\n", header(key), sections[key]));
    }
    out
}

#[tokio::test]
async fn nothing_the_daemon_sends_is_silently_lost() {
    let mut found = Sections::new();
    let mut problems = Vec::new();
    for host in daemons() {
        let negotiated = negotiated(&host).await;
        let daemon = negotiated.daemon().expect("negotiated").clone();
        let objects = make_objects(&negotiated).await;
        let (remote, auth) = registry_image(&negotiated).await;
        let release = release(&raw_get(&negotiated, &["version"]).await);
        // Every enabled module the daemon speaks, pinned; and the newest module if it is newer
        // than the daemon (it talks the daemon's newest version).
        let mut connections = Vec::new();
        for &minor in ENABLED_MINORS {
            let v = ApiVersion::v1(minor);
            if v <= daemon.max && daemon.min.is_none_or(|min| min <= v) {
                connections.push(pinned(&host, minor).await);
            }
        }
        if negotiated.api().version() > negotiated.api_version() {
            connections.push(negotiated);
        }
        for docker in &connections {
            let (module, wire) = (docker.api().version(), docker.api_version());
            let at_version = format!("{host} module v{module} wire v{wire}");
            let mut lines = Vec::new();
            for (operation, raw, decoded) in responses(docker, &objects).await {
                let decoded = match decoded {
                    Ok(decoded) => decoded,
                    Err(e) => {
                        problems.push(format!("{at_version}: {operation} does not decode: {e}"));
                        lines.push(format!("- {operation}: does not decode"));
                        continue;
                    }
                };
                let lost = dropped(&raw, &decoded);
                for (op, kept) in KEPT {
                    for path in kept.iter().filter(|_| op == &operation) {
                        let sent = !at(&raw, path).is_null();
                        assert!(
                            sent,
                            "{at_version}: the daemon no longer sends {operation} `{path}`"
                        );
                        if at(&decoded, path).is_null() {
                            problems.push(format!("{at_version}: {operation} drops `{path}`"));
                        }
                    }
                }
                let list = match lost.is_empty() {
                    true => "nothing".to_string(),
                    false => lost
                        .iter()
                        .map(|p| format!("`{p}`"))
                        .collect::<Vec<_>>()
                        .join(", "),
                };
                println!("{at_version}: {operation} drops {list}");
                lines.push(format!("- {operation}: {list}"));
            }
            // Recorded for the pinned modules: which of those a run has does not depend on
            // the other enabled features (the negotiated module does).
            if module == wire {
                found.insert((release.clone(), module.minor, wire.minor), lines.join("\n"));
            }

            let ids = build_ids(docker).await;
            if wire.minor >= 30 && ids.len() != 1 {
                problems.push(format!("{at_version}: build_image_id found {ids:?}"));
            }
            let (lost, downloads) = pull_problems(&pull_lines(docker, &remote, &auth).await);
            problems.extend(lost.into_iter().map(|p| format!("{at_version}: {p}")));
            if !downloads {
                problems.push(format!("{at_version}: the pull reported no download progress"));
            }
            let (stored, kept) = init_round_trip(docker, &objects.image).await;
            if stored != json!(true) || kept != json!(true) {
                problems.push(format!(
                    "{at_version}: HostConfig.Init true: the daemon stored {stored}, the typed inspect kept {kept}"
                ));
            }
        }
        remove_objects(&connections[0], &objects).await;
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // The checked-in list, for the sections of this run.
    let path = doc_path();
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let mut sections = parse_doc(&text);
    let stale: Vec<String> = found
        .iter()
        .filter(|(k, v)| sections.get(*k) != Some(*v))
        .map(|(k, v)| {
            format!(
                "{}\n  found:    {}\n  recorded: {:?}",
                header(k),
                v.replace('\n', " "),
                sections.get(k)
            )
        })
        .collect();
    let update = std::env::var_os("UPDATE_CONFORMANCE").is_some_and(|v| !v.is_empty() && v != "0");
    if update {
        sections.extend(found);
        std::fs::write(&path, render_doc(&sections)).unwrap();
        return;
    }
    assert!(
        stale.is_empty() && text == render_doc(&sections),
        "{} differs from what the daemons send:\n{}\nrefresh it with UPDATE_CONFORMANCE=1 cargo test --test conformance --all-features, and review the diff",
        path.display(),
        stale.join("\n")
    );
}

#[test]
fn the_document_round_trips() {
    let mut sections = Sections::new();
    sections.insert(("28.5".into(), 30, 30), "- info: nothing".into());
    sections.insert(("20.10".into(), 41, 41), "- info: `A`, `B.C`".into());
    sections.insert(("20.10".into(), 55, 41), "- info: nothing".into());
    let text = render_doc(&sections);
    assert_eq!(parse_doc(&text), sections);
    let order: Vec<_> = text.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(
        order,
        [
            "## Docker 20.10, module v1.41, wire v1.41",
            "## Docker 20.10, module v1.55, wire v1.41",
            "## Docker 28.5, module v1.30, wire v1.30"
        ]
    );
}
#[test]
fn the_detector_lists_missing_members_by_path() {
    let raw = serde_json::json!({
        "Id": "x",
        "Gone": { "deep": 1 },
        "Null": null,
        "NetworkSettings": { "IPAddress": "", "Networks": { "none": { "EndpointID": "e", "DNSNames": null } } },
        "Mounts": [{ "Name": "a", "Propagation": "" }, { "Name": "b", "Propagation": "rprivate" }],
        "Labels": { "a": "1" },
    });
    let decoded = serde_json::json!({
        "Id": "x",
        "NetworkSettings": { "Networks": { "none": {} } },
        "Mounts": [{ "Name": "a" }, { "Name": "b" }],
        "Labels": { "a": "1" },
    });
    assert_eq!(
        dropped(&raw, &decoded),
        [
            "Gone",
            "Mounts[].Propagation",
            "NetworkSettings.IPAddress",
            "NetworkSettings.Networks.none.EndpointID"
        ]
    );
    assert!(dropped(&raw, &raw).is_empty());
}
