//! The operations matrix (issue 14): every operation of the specs, called through the pinned
//! generated module on each test daemon (v1.51 on Docker 28, v1.41 on Docker 20.10, and v1.41
//! on Podman when `DOCKER_TEST_PODMAN` is set), its typed result checked against what the
//! daemon did. Each operation id of `specs/v1.XX.yaml` ends up passed, failed (the error is
//! printed) or not exercisable here, with a reason from [`NOT_EXERCISABLE`]; one with neither
//! a result nor a reason fails the test.
//!
//! The matrix is `docs/conformance.md`: the test compares it with the columns of its run and
//! fails when they differ; refresh them with
//! `UPDATE_CONFORMANCE=1 cargo test --test matrix --no-default-features --features v1_41,v1_51`
//! and review the diff.
//!
//! Everything made is labelled with a per-run label and removed at the end. Swarm mode is
//! entered on each daemon (single node, 127.0.0.1) and always left, even when a check panics.
//! Containers have network mode `none`, except the network operations' own (an internal
//! network); nothing is sent to container addresses.

mod support;

use docker_engine_api::registry_auth::RegistryAuth;
use docker_engine_api::{ApiVersion, Docker, Error};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::path::PathBuf;
use std::sync::Mutex;
use support::*;

/// Operations that cannot be exercised on the test daemons, with why.
const NOT_EXERCISABLE: &[(&str, &str)] = &[
    (
        "VolumeUpdate",
        "cluster volumes only: needs a CSI volume plugin in swarm mode",
    ),
    (
        "ContainerAttachWebsocket",
        "a WebSocket upgrade: the generated operation sends a plain GET, which the daemon refuses (400)",
    ),
    (
        "Session",
        "a hijacked HTTP/2 BuildKit session, not a request and response",
    ),
    (
        "SwarmUnlock",
        "needs a locked manager, which only a daemon restart with autolock on gives (the shared test daemons are not restarted)",
    ),
];

/// Operations that cannot be exercised on one daemon (a column whose name has it), with why.
const NOT_EXERCISABLE_ON: &[(&str, &[&str], &str)] = &[
    (
        "Docker 20.10",
        &["NodeDelete"],
        "needs a second node: Docker 28, the other test daemon, cannot join a 20.10 manager \
         (\"transport: authentication handshake failed: credentials: cannot check peer: missing \
         selected ALPN property\")",
    ),
    ("Podman", SWARM_OPERATIONS, "Podman has no swarm mode"),
    ("Podman", PLUGIN_OPERATIONS, "Podman has no managed plugins"),
];

const SWARM_OPERATIONS: &[&str] = &[
    "SwarmInit",
    "SwarmInspect",
    "SwarmUpdate",
    "SwarmUnlockkey",
    "SwarmLeave",
    "SwarmJoin",
    "NodeList",
    "NodeInspect",
    "NodeUpdate",
    "NodeDelete",
    "ServiceCreate",
    "ServiceInspect",
    "ServiceList",
    "ServiceUpdate",
    "ServiceLogs",
    "ServiceDelete",
    "TaskList",
    "TaskInspect",
    "TaskLogs",
    "SecretCreate",
    "SecretInspect",
    "SecretList",
    "SecretUpdate",
    "SecretDelete",
    "ConfigCreate",
    "ConfigInspect",
    "ConfigList",
    "ConfigUpdate",
    "ConfigDelete",
];

const PLUGIN_OPERATIONS: &[&str] = &[
    "PluginCreate",
    "PluginList",
    "PluginInspect",
    "PluginSet",
    "PluginEnable",
    "PluginDisable",
    "PluginPush",
    "GetPluginPrivileges",
    "PluginPull",
    "PluginUpgrade",
    "PluginDelete",
];

/// What happened to an operation in one column.
#[derive(Clone, Debug, PartialEq)]
enum Outcome {
    Passed,
    Failed(String),
}

/// A check that did not hold, or an error of the daemon or the client.
#[derive(Debug)]
struct Fail(String);

impl From<Error> for Fail {
    fn from(e: Error) -> Fail {
        Fail(e.to_string())
    }
}

impl From<String> for Fail {
    fn from(e: String) -> Fail {
        Fail(e)
    }
}

type Checked<T> = Result<T, Fail>;

/// Secret and config creation: the daemons answer `{"ID": ..}`, the specs' `IdResponse` has
/// `Id` (serde, unlike Go, matches member names exactly).
const NO_ID: &str = "no ID in the typed answer (the daemon sends `ID`, the spec's IdResponse has `Id`)";

/// The value, or a failure saying what was missing.
fn some<T>(v: Option<T>, what: &str) -> Checked<T> {
    v.ok_or_else(|| Fail(what.to_string()))
}

macro_rules! ensure {
    ($cond:expr, $($msg:tt)*) => {
        if !$cond {
            return Err(Fail(format!($($msg)*)));
        }
    };
}

/// The outcomes of one column (module on a daemon).
#[derive(Default)]
struct Record(Mutex<BTreeMap<String, Outcome>>);

impl Record {
    /// Runs the checks of operation `id`: its value if they held. A failure stays recorded.
    async fn op<T>(&self, id: &str, checks: impl Future<Output = Checked<T>>) -> Option<T> {
        let result = checks.await;
        let mut map = self.0.lock().unwrap();
        match result {
            Ok(v) => {
                map.entry(id.to_string()).or_insert(Outcome::Passed);
                Some(v)
            }
            Err(Fail(e)) => {
                if !matches!(map.get(id), Some(Outcome::Failed(_))) {
                    map.insert(id.to_string(), Outcome::Failed(e));
                }
                None
            }
        }
    }

    fn outcomes(&self) -> BTreeMap<String, Outcome> {
        self.0.lock().unwrap().clone()
    }
}

/// A value of a module's type from JSON (bodies whose types differ between versions).
fn from_json<T: serde::de::DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).expect("a body of the module's type")
}

/// The operationIds of a spec, in its order.
fn spec_operations(minor: u32) -> Vec<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("specs/v1.{minor}.yaml"));
    let text = std::fs::read_to_string(&path).unwrap();
    let spec: Value = serde_saphyr::from_str(&text).unwrap();
    // Sorted by path and method: serde_json's maps keep the spec's order or sort, depending on
    // the features enabled in the build (`preserve_order`), and the document must not.
    let mut operations = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().into_iter().flatten() {
            if let Some(id) = op.get("operationId").and_then(Value::as_str) {
                operations.push((path.clone(), method.clone(), id.to_string()));
            }
        }
    }
    operations.sort();
    let ids: Vec<String> = operations.into_iter().map(|(_, _, id)| id).collect();
    assert!(
        ids.len() > 90,
        "{}: only {} operations",
        path.display(),
        ids.len()
    );
    ids
}

/// `{"label": ["key"]}`.
fn label_filter(key: &str) -> String {
    json!({ "label": [key] }).to_string()
}

/// The test registry's credentials.
fn registry() -> RegistryAuth {
    test_registry().auth
}

/// What one run of a column needs.
struct Ctx<'a> {
    docker: &'a Docker,
    rec: &'a Record,
    /// The per-run label key (value `1`) on everything made.
    label: String,
    /// The test image (the busybox build).
    image: String,
    /// `v1.41, Docker 20.10`: what [`reason`] looks at.
    column: String,
    /// The other test daemon: a second swarm node (raw requests, not the module under test).
    peer: Option<&'a Docker>,
}

impl Ctx<'_> {
    fn labels(&self) -> HashMap<String, String> {
        [(self.label.clone(), "1".to_string())].into()
    }

    /// A tag of the test image for one purpose.
    fn tag(&self, what: &str) -> String {
        format!(
            "dockerapi-test/{}:latest",
            unique(&format!("matrix-{what}")).trim_start_matches("dockerapi-test-")
        )
    }
}

/// The scenarios of one module, written once for each module (`$m`: `v1_41`, `v1_51`).
macro_rules! scenarios {
    ($m:ident) => {
        mod $m {
            use super::*;
            use docker_engine_api::$m as api;
            use futures_util::FutureExt;

            /// Every scenario of this module on `docker` (pinned to it).
            pub async fn run(docker: &Docker, column: &str, peer: Option<&Docker>, rec: &Record) {
                let image = busybox_image(docker, "matrix").await;
                let ctx = Ctx {
                    docker,
                    rec,
                    label: unique("matrix-label"),
                    image,
                    column: column.to_string(),
                    peer,
                };
                system(&ctx).await;
                containers(&ctx).await;
                exec(&ctx).await;
                tty(&ctx).await;
                images(&ctx).await;
                registry_images(&ctx).await;
                search(&ctx).await;
                volumes(&ctx).await;
                networks(&ctx).await;
                if reason("PluginCreate", column).is_none() {
                    plugins(&ctx).await;
                }
                // Swarm: always left, even when a check panics.
                let swarm = std::panic::AssertUnwindSafe(async {
                    if reason("SwarmInit", column).is_some() {
                        return;
                    }
                    swarm(&ctx).await;
                    leave_swarm(&ctx).await;
                    join_peer_swarm(&ctx).await;
                })
                .catch_unwind()
                .await;
                leave_swarm(&ctx).await;
                leave_raw(docker, &ctx.label).await;
                if let Some(peer) = ctx.peer {
                    leave_raw(peer, &ctx.label).await;
                }
                // Swarm mode's bridge, which leaving keeps: gone unless a container still uses it.
                if reason("SwarmInit", column).is_none() {
                    for d in [Some(docker), ctx.peer].into_iter().flatten() {
                        let _ = raw(d, "DELETE", "networks/docker_gwbridge", None).await;
                    }
                }
                cleanup(&ctx).await;
                if let Err(panic) = swarm {
                    std::panic::resume_unwind(panic);
                }
            }

            async fn system(ctx: &Ctx<'_>) {
                let (docker, rec) = (ctx.docker, ctx.rec);
                let c = docker.$m();
                rec.op("SystemPing", async {
                    let body = collect(docker.call(c.system_ping().send()).await?).await;
                    ensure!(body == b"OK", "{:?}", String::from_utf8_lossy(&body));
                    Ok(())
                })
                .await;
                rec.op("SystemPingHead", async {
                    let body = collect(docker.call(c.system_ping_head().send()).await?).await;
                    ensure!(body.is_empty(), "a HEAD answer with a body: {body:?}");
                    Ok(())
                })
                .await;
                rec.op("SystemVersion", async {
                    let v = docker.call(c.system_version().send()).await?;
                    let api_version = v.api_version.clone().unwrap_or_default();
                    ensure!(
                        api_version.parse::<ApiVersion>().is_ok_and(|a| a >= docker.api_version()),
                        "{v:?}"
                    );
                    Ok(())
                })
                .await;
                rec.op("SystemInfo", async {
                    let info = docker.call(c.system_info().send()).await?;
                    ensure!(info.id.as_ref().is_some_and(|i| !i.is_empty()), "{info:?}");
                    ensure!(info.images.is_some_and(|n| n > 0), "no images: {:?}", info.images);
                    Ok(())
                })
                .await;
                rec.op("SystemAuth", async {
                    let auth = registry();
                    let r = docker
                        .call(
                            c.system_auth()
                                .body_map(|mut b| {
                                    b.username = auth.username.clone();
                                    b.password = auth.password.clone();
                                    b.serveraddress = auth.server_address.clone();
                                    b
                                })
                                .send(),
                        )
                        .await?;
                    ensure!(r.status.as_deref() == Some("Login Succeeded"), "{r:?}");
                    Ok(())
                })
                .await;
            }

            /// A container's state and name.
            async fn state(ctx: &Ctx<'_>, id: &str) -> Checked<(String, String)> {
                let c = ctx.docker.$m();
                let inspect = ctx.docker.call(c.container_inspect().id(id).send()).await?;
                let status = inspect
                    .state
                    .as_ref()
                    .and_then(|s| s.status.as_ref())
                    .map(|s| s.to_string())
                    .unwrap_or_default();
                Ok((status, inspect.name.clone().unwrap_or_default()))
            }

            /// Creates a container of the test image (network mode `none`, labelled).
            async fn create(ctx: &Ctx<'_>, name: &str, cmd: &[&str], tty: bool) -> Checked<String> {
                let c = ctx.docker.$m();
                let created = ctx
                    .docker
                    .call(
                        c.container_create()
                            .name(name)
                            .body_map(|mut b| {
                                b.image = Some(ctx.image.clone());
                                b.cmd = Some(cmd.iter().map(|s| s.to_string()).collect());
                                b.labels = Some(ctx.labels());
                                b.tty = Some(tty);
                                b.host_config = Some(api::types::HostConfig {
                                    network_mode: Some("none".into()),
                                    ..Default::default()
                                });
                                b
                            })
                            .send(),
                    )
                    .await?;
                ensure!(created.warnings.iter().all(|w| w.is_empty()), "{created:?}");
                some(created.id.clone(), "no container ID")
            }

            async fn containers(ctx: &Ctx<'_>) {
                let (docker, rec) = (ctx.docker, ctx.rec);
                let c = docker.$m();
                let start = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_secs();
                let name = unique("matrix-ctr");
                let cmd = ["sh", "-c", "echo hello-matrix; echo made > /made.txt; exec sleep 60"];
                let Some(id) = rec
                    .op("ContainerCreate", async {
                        let id = create(ctx, &name, &cmd, false).await?;
                        ensure!(state(ctx, &id).await?.0 == "created", "not created");
                        Ok(id)
                    })
                    .await
                else {
                    return;
                };
                rec.op("ContainerInspect", async {
                    let i = docker.call(c.container_inspect().id(&id).send()).await?;
                    ensure!(i.name.as_deref() == Some(&format!("/{name}")), "{:?}", i.name);
                    let labels = i.config.as_ref().and_then(|c| c.labels.clone()).unwrap_or_default();
                    ensure!(labels.get(&ctx.label).is_some(), "labels {labels:?}");
                    Ok(())
                })
                .await;
                rec.op("ContainerStart", async {
                    docker.call(c.container_start().id(&id).send()).await?;
                    ensure!(state(ctx, &id).await?.0 == "running", "not running");
                    Ok(())
                })
                .await;
                rec.op("ContainerList", async {
                    let list = docker
                        .call(c.container_list().all(true).filters(label_filter(&ctx.label)).send())
                        .await?
                        .unwrap_or_default();
                    ensure!(
                        list.iter().any(|s| s.id.as_deref() == Some(&id)
                            && s.names.iter().flatten().any(|n| *n == format!("/{name}"))),
                        "{id} not listed: {list:?}"
                    );
                    Ok(())
                })
                .await;
                rec.op("ContainerTop", async {
                    // The process list of a just started container may not show it yet.
                    let mut top = None;
                    for _ in 0..20 {
                        let t = docker.call(c.container_top().id(&id).send()).await?;
                        if t.processes.iter().flatten().flatten().any(|p| p.iter().any(|f| f.contains("sleep"))) {
                            return Ok(());
                        }
                        top = Some(t);
                        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                    }
                    Err(Fail(format!("no sleep among {top:?}")))
                })
                .await;
                // The output and the file are there once the shell has run.
                for _ in 0..50 {
                    let logs = match docker.call(c.container_logs().id(&id).stdout(true).send()).await {
                        Ok(body) => collect(body).await,
                        Err(_) => Vec::new(),
                    };
                    if String::from_utf8_lossy(&logs).contains("hello-matrix") {
                        break;
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
                rec.op("ContainerLogs", async {
                    let body = collect(docker.call(c.container_logs().id(&id).stdout(true).send()).await?).await;
                    // Multiplexed: an 8-byte header (stream 1, stdout) before the line.
                    ensure!(
                        body.len() > 8 && body[0] == 1 && body.ends_with(b"hello-matrix\n"),
                        "{:?}",
                        String::from_utf8_lossy(&body)
                    );
                    Ok(())
                })
                .await;
                rec.op("ContainerChanges", async {
                    let changes = docker.call(c.container_changes().id(&id).send()).await?.unwrap_or_default();
                    ensure!(changes.iter().any(|ch| ch.path.as_deref() == Some("/made.txt")), "{changes:?}");
                    Ok(())
                })
                .await;
                rec.op("ContainerStats", async {
                    let body = collect(docker.call(c.container_stats().id(&id).stream(false).send()).await?).await;
                    let stats: Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
                    // Not the body in the message: its members' order varies (Podman).
                    ensure!(stats["name"] == format!("/{name}"), "name {} (not /<the container's>)", stats["name"]);
                    ensure!(stats["id"] == id.as_str(), "id {} (not the container's)", if stats["id"].is_null() { "missing" } else { "another" });
                    Ok(())
                })
                .await;
                rec.op("ContainerExport", async {
                    let tar = collect(docker.call(c.container_export().id(&id).send()).await?).await;
                    let names = tar_names(&tar)?;
                    ensure!(names.iter().any(|n| n == "made.txt") && names.iter().any(|n| n == "bin/busybox"), "{names:?}");
                    Ok(())
                })
                .await;
                rec.op("ContainerArchiveInfo", async {
                    let r = c.container_archive_info().id(&id).path("/made.txt").send().await.map_err(|e| Fail(e.to_string()))?;
                    let stat = r
                        .headers()
                        .get("x-docker-container-path-stat")
                        .ok_or_else(|| Fail("no X-Docker-Container-Path-Stat".into()))?;
                    use base64::Engine as _;
                    let stat = base64::engine::general_purpose::STANDARD.decode(stat.as_bytes()).map_err(|e| e.to_string())?;
                    let stat: Value = serde_json::from_slice(&stat).map_err(|e| e.to_string())?;
                    ensure!(stat["name"] == "made.txt" && stat["size"] == 5, "{stat}");
                    Ok(())
                })
                .await;
                rec.op("PutContainerArchive", async {
                    let tar = tar_of(&[("put.txt", b"put by the matrix", 0o644)]);
                    docker.call(c.put_container_archive().id(&id).path("/").body(tar).send()).await?;
                    Ok(())
                })
                .await;
                rec.op("ContainerArchive", async {
                    let tar = collect(docker.call(c.container_archive().id(&id).path("/put.txt").send()).await?).await;
                    let mut archive = tar::Archive::new(&tar[..]);
                    let mut found = None;
                    for entry in archive.entries().map_err(|e| e.to_string())? {
                        let mut entry = entry.map_err(|e| e.to_string())?;
                        let mut text = String::new();
                        std::io::Read::read_to_string(&mut entry, &mut text).map_err(|e| e.to_string())?;
                        found = Some(text);
                    }
                    ensure!(found.as_deref() == Some("put by the matrix"), "{found:?}");
                    Ok(())
                })
                .await;
                rec.op("ContainerPause", async {
                    docker.call(c.container_pause().id(&id).send()).await?;
                    ensure!(state(ctx, &id).await?.0 == "paused", "not paused");
                    Ok(())
                })
                .await;
                rec.op("ContainerUnpause", async {
                    docker.call(c.container_unpause().id(&id).send()).await?;
                    ensure!(state(ctx, &id).await?.0 == "running", "not running");
                    Ok(())
                })
                .await;
                let renamed = format!("{name}-renamed");
                rec.op("ContainerRename", async {
                    docker.call(c.container_rename().id(&id).name(&renamed).send()).await?;
                    ensure!(state(ctx, &id).await?.1 == format!("/{renamed}"), "not renamed");
                    Ok(())
                })
                .await;
                rec.op("ContainerKill", async {
                    docker.call(c.container_kill().id(&id).signal("SIGKILL").send()).await?;
                    ensure!(state(ctx, &id).await?.0 == "exited", "not exited");
                    Ok(())
                })
                .await;
                rec.op("ContainerRestart", async {
                    docker.call(c.container_restart().id(&id).t(1).send()).await?;
                    ensure!(state(ctx, &id).await?.0 == "running", "not running");
                    Ok(())
                })
                .await;
                rec.op("ContainerStop", async {
                    docker.call(c.container_stop().id(&id).t(1).send()).await?;
                    ensure!(state(ctx, &id).await?.0 == "exited", "not exited");
                    Ok(())
                })
                .await;
                // After the stop: a restart policy would restart the container the kill stops.
                rec.op("ContainerUpdate", async {
                    let updated = docker
                        .call(
                            c.container_update()
                                .id(&id)
                                .body_map(|mut b| {
                                    b.restart_policy = Some(from_json(json!({ "Name": "on-failure", "MaximumRetryCount": 2 })));
                                    b
                                })
                                .send(),
                        )
                        .await?;
                    ensure!(updated.warnings.iter().flatten().all(|w| !w.is_empty()), "{updated:?}");
                    let i = docker.call(c.container_inspect().id(&id).send()).await?;
                    let policy = serde_json::to_value(i.host_config.and_then(|h| h.restart_policy)).unwrap();
                    ensure!(policy["MaximumRetryCount"] == 2, "{policy}");
                    Ok(())
                })
                .await;
                rec.op("ContainerAttach", async {
                    let body = collect(
                        docker
                            .call(c.container_attach().id(&id).logs(true).stream(false).stdout(true).send())
                            .await?,
                    )
                    .await;
                    ensure!(
                        String::from_utf8_lossy(&body).contains("hello-matrix"),
                        "{:?}",
                        String::from_utf8_lossy(&body)
                    );
                    Ok(())
                })
                .await;
                rec.op("ImageCommit", async {
                    let tag = ctx.tag("commit");
                    let (repo, t) = tag.split_once(':').unwrap();
                    let commit = docker
                        .call(c.image_commit().container(&id).repo(repo).tag(t).comment("matrix").send())
                        .await?;
                    ensure!(commit.id.as_ref().is_some_and(|i| i.starts_with("sha256:")), "{commit:?}");
                    let inspect = docker.call(c.image_inspect().name(&tag).send()).await?;
                    ensure!(inspect.comment.as_deref() == Some("matrix"), "{:?}", inspect.comment);
                    docker.call(c.image_delete().name(&tag).send()).await?;
                    Ok(())
                })
                .await;
                rec.op("SystemEvents", async {
                    let until = std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .unwrap()
                        .as_secs()
                        + 1;
                    let filters = json!({ "container": [id], "event": ["create"] }).to_string();
                    let body = collect(
                        docker
                            .call(c.system_events().since(start.to_string()).until(until.to_string()).filters(filters).send())
                            .await?,
                    )
                    .await;
                    let events: Vec<api::types::EventMessage> = body
                        .split(|b| *b == b'\n')
                        .filter(|l| !l.is_empty())
                        .map(serde_json::from_slice)
                        .collect::<Result<_, _>>()
                        .map_err(|e| e.to_string())?;
                    ensure!(events.len() == 1, "{events:?}");
                    let actor = events[0].actor.as_ref().and_then(|a| a.id.clone());
                    ensure!(actor.as_deref() == Some(&id), "{events:?}");
                    Ok(())
                })
                .await;
                // A second container, exiting at once: wait.
                let quick = unique("matrix-wait");
                rec.op("ContainerWait", async {
                    let id = create(ctx, &quick, &["sh", "-c", "exit 3"], false).await?;
                    docker.call(c.container_start().id(&id).send()).await?;
                    let exit = docker.call(c.container_wait().id(&id).send()).await?;
                    ensure!(exit.status_code == Some(3), "{exit:?}");
                    Ok(())
                })
                .await;
                rec.op("ContainerDelete", async {
                    docker.call(c.container_delete().id(&quick).send()).await?;
                    let gone = docker.call(c.container_inspect().id(&quick).send()).await.err();
                    ensure!(gone.as_ref().and_then(|e| e.status()) == Some(404), "{gone:?}");
                    Ok(())
                })
                .await;
                // The stopped first container goes by prune (this run's label only).
                rec.op("ContainerPrune", async {
                    let pruned = docker.call(c.container_prune().filters(label_filter(&ctx.label)).send()).await?;
                    let deleted = pruned.containers_deleted.unwrap_or_default();
                    ensure!(deleted == [id.clone()], "{deleted:?}");
                    Ok(())
                })
                .await;
            }

            async fn exec(ctx: &Ctx<'_>) {
                let (docker, rec) = (ctx.docker, ctx.rec);
                let c = docker.$m();
                let name = unique("matrix-exec");
                let Ok(id) = create(ctx, &name, &["sleep", "60"], false).await else {
                    return;
                };
                if docker.call(c.container_start().id(&id).send()).await.is_err() {
                    return;
                }
                let Some(exec) = rec
                    .op("ContainerExec", async {
                        let r = docker
                            .call(
                                c.container_exec()
                                    .id(&id)
                                    .body_map(|mut b| {
                                        b.cmd = Some(vec!["sh".into(), "-c".into(), "echo exec-out; exit 7".into()]);
                                        b.attach_stdout = Some(true);
                                        b
                                    })
                                    .send(),
                            )
                            .await?;
                        some(r.id, "no ID")
                    })
                    .await
                else {
                    return;
                };
                rec.op("ExecStart", async {
                    let body = collect(docker.call(c.exec_start().id(&exec).body_map(|b| b).send()).await?).await;
                    ensure!(body.ends_with(b"exec-out\n"), "{:?}", String::from_utf8_lossy(&body));
                    Ok(())
                })
                .await;
                rec.op("ExecInspect", async {
                    let i = docker.call(c.exec_inspect().id(&exec).send()).await?;
                    ensure!(i.exit_code == Some(7) && i.running == Some(false), "{i:?}");
                    ensure!(i.container_id.as_deref() == Some(&id), "{i:?}");
                    Ok(())
                })
                .await;
            }

            /// Resizes: a container and an exec on a TTY, which print their size.
            async fn tty(ctx: &Ctx<'_>) {
                let (docker, rec) = (ctx.docker, ctx.rec);
                let c = docker.$m();
                let name = unique("matrix-tty");
                let cmd = ["sh", "-c", "while true; do stty size; sleep 0.1; done"];
                let Ok(id) = create(ctx, &name, &cmd, true).await else {
                    return;
                };
                if docker.call(c.container_start().id(&id).send()).await.is_err() {
                    return;
                }
                rec.op("ContainerResize", async {
                    docker.call(c.container_resize().id(&id).h(31).w(101).send()).await?;
                    let mut seen = String::new();
                    for _ in 0..50 {
                        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                        let logs = collect(docker.call(c.container_logs().id(&id).stdout(true).tail("1").send()).await?).await;
                        seen = String::from_utf8_lossy(&logs).to_string();
                        if seen.contains("31 101") {
                            break;
                        }
                    }
                    ensure!(seen.contains("31 101"), "the TTY says {seen:?}");
                    Ok(())
                })
                .await;
                rec.op("ExecResize", async {
                    let exec = docker
                        .call(
                            c.container_exec()
                                .id(&id)
                                .body_map(|mut b| {
                                    b.cmd = Some(vec!["sh".into(), "-c".into(), "for i in $(seq 40); do stty size; sleep 0.1; done".into()]);
                                    b.attach_stdout = Some(true);
                                    b.tty = Some(true);
                                    b
                                })
                                .send(),
                        )
                        .await?
                        .id
                        .unwrap_or_default();
                    let body = docker
                        .call(c.exec_start().id(&exec).body_map(|mut b| {
                            b.tty = Some(true);
                            b
                        }).send())
                        .await?;
                    let output = tokio::spawn(collect(body));
                    // The exec runs once the daemon has started it.
                    let mut resized = Err(Fail("the exec never ran".into()));
                    for _ in 0..30 {
                        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                        resized = docker.call(c.exec_resize().id(&exec).h(23).w(77).send()).await.map_err(Fail::from);
                        if resized.is_ok() {
                            break;
                        }
                    }
                    resized?;
                    let out = output.await.map_err(|e| e.to_string())?;
                    let out = String::from_utf8_lossy(&out);
                    ensure!(out.contains("23 77"), "the exec's TTY says {out:?}");
                    Ok(())
                })
                .await;
                let _ = docker.call(c.container_delete().id(&id).force(true).send()).await;
            }

            async fn images(ctx: &Ctx<'_>) {
                let (docker, rec) = (ctx.docker, ctx.rec);
                let c = docker.$m();
                let tag = ctx.tag("build");
                rec.op("ImageBuild", async {
                    let out = collect(
                        docker
                            .call(
                                c.image_build()
                                    .t(tag.clone())
                                    .labels(json!({ &ctx.label: "1" }).to_string())
                                    .body(busybox_context())
                                    .send(),
                            )
                            .await?,
                    )
                    .await;
                    let out = String::from_utf8_lossy(&out);
                    ensure!(!out.contains("errorDetail"), "{out}");
                    Ok(())
                })
                .await;
                rec.op("ImageList", async {
                    let list = docker.call(c.image_list().filters(label_filter(&ctx.label)).send()).await?.unwrap_or_default();
                    // The tags only: the labels are a map, printed in no fixed order.
                    let tags: Vec<_> = list.iter().map(|i| i.repo_tags.clone()).collect();
                    ensure!(list.len() == 1 && list[0].repo_tags.iter().flatten().any(|t| *t == tag), "tags {tags:?}");
                    Ok(())
                })
                .await;
                rec.op("ImageInspect", async {
                    let i = docker.call(c.image_inspect().name(&tag).send()).await?;
                    let labels = i.config.as_ref().and_then(|c| c.labels.clone()).unwrap_or_default();
                    ensure!(labels.contains_key(&ctx.label), "{labels:?}");
                    ensure!(i.repo_tags.iter().flatten().any(|t| *t == tag), "{:?}", i.repo_tags);
                    Ok(())
                })
                .await;
                rec.op("ImageHistory", async {
                    let h = docker.call(c.image_history().name(&tag).send()).await?.unwrap_or_default();
                    ensure!(h.iter().any(|l| l.created_by.as_ref().is_some_and(|c| c.contains("busybox"))), "{h:?}");
                    Ok(())
                })
                .await;
                let second = ctx.tag("second");
                rec.op("ImageTag", async {
                    let (repo, t) = second.split_once(':').unwrap();
                    docker.call(c.image_tag().name(&tag).repo(repo).tag(t).send()).await?;
                    let i = docker.call(c.image_inspect().name(&second).send()).await?;
                    ensure!(i.repo_tags.iter().flatten().any(|t| *t == second), "{:?}", i.repo_tags);
                    Ok(())
                })
                .await;
                let single = rec
                    .op("ImageGet", async {
                        let tar = collect(docker.call(c.image_get().name(&tag).send()).await?).await;
                        ensure!(tar_repo_tags(&tar)? == [tag.clone()], "{:?}", tar_repo_tags(&tar));
                        Ok(tar)
                    })
                    .await;
                rec.op("ImageGetAll", async {
                    let tar = collect(docker.call(c.image_get_all().names(vec![tag.clone(), second.clone()]).send()).await?).await;
                    let mut tags = tar_repo_tags(&tar)?;
                    tags.sort();
                    let mut expected = vec![tag.clone(), second.clone()];
                    expected.sort();
                    ensure!(tags == expected, "{tags:?}");
                    Ok(())
                })
                .await;
                rec.op("ImageDelete", async {
                    let deleted = docker.call(c.image_delete().name(&second).send()).await?.unwrap_or_default();
                    ensure!(
                        deleted.iter().any(|d| d.untagged.as_deref() == Some(&second)),
                        "{deleted:?}"
                    );
                    Ok(())
                })
                .await;
                // The archive to load back: ImageGet's, or fetched again if its checks failed.
                let single = match single {
                    Some(tar) => Some(tar),
                    None => match docker.call(c.image_get().name(&tag).send()).await {
                        Ok(body) => Some(collect(body).await),
                        Err(e) => {
                            rec.op("ImageLoad", async { Err::<(), _>(Fail(format!("no archive to load: {e}"))) }).await;
                            None
                        }
                    },
                };
                if let Some(tar) = single {
                    rec.op("ImageLoad", async {
                        docker.call(c.image_delete().name(&tag).send()).await?;
                        let out = collect(docker.call(c.image_load().quiet(false).body(tar).send()).await?).await;
                        let out = String::from_utf8_lossy(&out);
                        ensure!(out.contains(&format!("Loaded image: {tag}")), "{out}");
                        docker.call(c.image_inspect().name(&tag).send()).await?;
                        Ok(())
                    })
                    .await;
                }
                rec.op("BuildPrune", async {
                    // Only a cache record that does not exist: other builds keep their cache.
                    let filters = json!({ "id": ["dockerapi-test-matrix-none"] }).to_string();
                    let pruned = docker.call(c.build_prune().filters(filters).send()).await?;
                    ensure!(pruned.caches_deleted.iter().flatten().next().is_none(), "{pruned:?}");
                    ensure!(pruned.space_reclaimed == Some(0), "{pruned:?}");
                    Ok(())
                })
                .await;
                rec.op("SystemDataUsage", async {
                    let df = docker.call(c.system_data_usage().send()).await?;
                    let found = df.images.iter().flatten().any(|i| i.repo_tags.iter().flatten().any(|t| *t == tag));
                    ensure!(found, "{tag} not in the disk usage");
                    Ok(())
                })
                .await;
                // Unused and labelled: pruned (dangling or not).
                rec.op("ImagePrune", async {
                    let filters = json!({ "label": [ctx.label], "dangling": ["false"] }).to_string();
                    let pruned = docker.call(c.image_prune().filters(filters).send()).await?;
                    let deleted = pruned.images_deleted.unwrap_or_default();
                    ensure!(deleted.iter().any(|d| d.untagged.as_deref() == Some(&tag)), "{deleted:?}");
                    Ok(())
                })
                .await;
            }

            /// A search of the index served by [`fake_index`].
            async fn search(ctx: &Ctx<'_>) {
                let (docker, rec) = (ctx.docker, ctx.rec);
                let c = docker.$m();
                rec.op("ImageSearch", async {
                    let index = fake_index().await?;
                    let found = docker
                        .call(c.image_search().term(format!("{index}/matrix")).limit(5).send())
                        .await?
                        .unwrap_or_default();
                    let names: Vec<_> = found.iter().map(|r| (r.name.clone(), r.star_count)).collect();
                    ensure!(names == [(Some("dockerapi-test/matrix".to_string()), Some(3))], "{found:?}");
                    Ok(())
                })
                .await;
            }

            /// Push to the test registry, distribution inspect, pull back.
            async fn registry_images(ctx: &Ctx<'_>) {
                let (docker, rec) = (ctx.docker, ctx.rec);
                let c = docker.$m();
                let auth = registry();
                let remote = format!(
                    "{}/{}",
                    auth.server_address.clone().unwrap_or_default(),
                    ctx.tag("push").trim_end_matches(":latest")
                );
                let (repo, t) = (remote.as_str(), "v1");
                let full = format!("{repo}:{t}");
                let pushed = rec
                    .op("ImagePush", async {
                        docker.call(c.image_tag().name(&ctx.image).repo(repo).tag(t).send()).await?;
                        let out = collect(docker.call(c.image_push().name(repo).tag(t).x_registry_auth(auth.header()).send()).await?).await;
                        let text = String::from_utf8_lossy(&out);
                        ensure!(!text.contains("errorDetail"), "{text}");
                        let digest = text
                            .split("digest: ")
                            .nth(1)
                            .and_then(|r| r.split_whitespace().next())
                            .map(str::to_string);
                        digest.ok_or_else(|| Fail(format!("no digest in {text}")))
                    })
                    .await;
                rec.op("DistributionInspect", async {
                    let d = docker.call(c.distribution_inspect().name(&full).x_registry_auth(auth.header()).send()).await?;
                    ensure!(pushed.as_deref() == d.descriptor.as_ref().and_then(|d| d.digest.as_deref()), "{d:?} after a push of {pushed:?}");
                    Ok(())
                })
                .await;
                rec.op("ImageCreate", async {
                    docker.call(c.image_delete().name(&full).send()).await?;
                    let out = collect(docker.call(c.image_create().from_image(repo).tag(t).x_registry_auth(auth.header()).send()).await?).await;
                    let text = String::from_utf8_lossy(&out);
                    ensure!(!text.contains("errorDetail"), "{text}");
                    let i = docker.call(c.image_inspect().name(&full).send()).await?;
                    ensure!(i.repo_digests.iter().flatten().any(|d| pushed.as_ref().is_some_and(|p| d.ends_with(p))), "{:?}", i.repo_digests);
                    Ok(())
                })
                .await;
                let _ = docker.call(c.image_delete().name(&full).send()).await;
            }

            async fn volumes(ctx: &Ctx<'_>) {
                let (docker, rec) = (ctx.docker, ctx.rec);
                let c = docker.$m();
                let name = unique("matrix-vol");
                rec.op("VolumeCreate", async {
                    let v = docker
                        .call(
                            c.volume_create()
                                .body_map(|mut b| {
                                    b.name = Some(name.clone());
                                    b.labels = Some(ctx.labels());
                                    b
                                })
                                .send(),
                        )
                        .await?;
                    ensure!(v.name.as_deref() == Some(&name) && v.labels.iter().flatten().any(|(k, l)| *k == ctx.label && l == "1"), "{v:?}");
                    Ok(())
                })
                .await;
                rec.op("VolumeList", async {
                    let list = docker.call(c.volume_list().filters(label_filter(&ctx.label)).send()).await?;
                    let volumes = list.volumes.unwrap_or_default();
                    ensure!(volumes.len() == 1 && volumes[0].name.as_deref() == Some(&name) && volumes[0].labels.iter().flatten().any(|(k, _)| *k == ctx.label), "{volumes:?}");
                    Ok(())
                })
                .await;
                rec.op("VolumeInspect", async {
                    let v = docker.call(c.volume_inspect().name(&name).send()).await?;
                    ensure!(v.name.as_deref() == Some(&name) && v.driver.as_deref() == Some("local"), "{v:?}");
                    Ok(())
                })
                .await;
                rec.op("VolumeDelete", async {
                    docker.call(c.volume_delete().name(&name).send()).await?;
                    let gone = docker.call(c.volume_inspect().name(&name).send()).await.err();
                    ensure!(gone.as_ref().and_then(|e| e.status()) == Some(404), "{gone:?}");
                    Ok(())
                })
                .await;
                let pruned = unique("matrix-vol-prune");
                rec.op("VolumePrune", async {
                    docker
                        .call(
                            c.volume_create()
                                .body_map(|mut b| {
                                    b.name = Some(pruned.clone());
                                    b.labels = Some(ctx.labels());
                                    b
                                })
                                .send(),
                        )
                        .await?;
                    // API 1.42+ prunes only anonymous volumes unless `all`.
                    let mut filters = json!({ "label": [ctx.label] });
                    if docker.api_version() >= ApiVersion::v1(42) {
                        filters["all"] = json!(["true"]);
                    }
                    let r = docker.call(c.volume_prune().filters(filters.to_string()).send()).await?;
                    let deleted = r.volumes_deleted.unwrap_or_default();
                    ensure!(deleted == [pruned.clone()], "{deleted:?}");
                    Ok(())
                })
                .await;
            }

            async fn networks(ctx: &Ctx<'_>) {
                let (docker, rec) = (ctx.docker, ctx.rec);
                let c = docker.$m();
                let name = unique("matrix-net");
                let other = unique("matrix-net2");
                // Internal bridge networks: no address outside, nothing is sent to them.
                let make = |n: String| {
                    let c = docker.$m();
                    async move {
                        docker
                            .call(
                                c.network_create()
                                    .body_map(|mut b| {
                                        b.name = Some(n);
                                        b.internal = Some(true);
                                        b.labels = Some(ctx.labels());
                                        b
                                    })
                                    .send(),
                            )
                            .await
                    }
                };
                let Some(net) = rec
                    .op("NetworkCreate", async {
                        let r = make(name.clone()).await?;
                        ensure!(r.warning.as_deref().unwrap_or("").is_empty(), "{r:?}");
                        some(r.id, "no ID")
                    })
                    .await
                else {
                    return;
                };
                rec.op("NetworkInspect", async {
                    let n = docker.call(c.network_inspect().id(&net).send()).await?;
                    ensure!(n.name.as_deref() == Some(&name) && n.internal == Some(true), "{n:?}");
                    ensure!(n.labels.iter().flatten().any(|(k, _)| *k == ctx.label), "{n:?}");
                    Ok(())
                })
                .await;
                rec.op("NetworkList", async {
                    let list = docker.call(c.network_list().filters(label_filter(&ctx.label)).send()).await?.unwrap_or_default();
                    ensure!(list.len() == 1 && list[0].id.as_deref() == Some(&net), "{list:?}");
                    Ok(())
                })
                .await;
                // A container on `other`, connected to `name` and disconnected again.
                let ctr = unique("matrix-netctr");
                let made = async {
                    make(other.clone()).await?;
                    let created = docker
                        .call(
                            c.container_create()
                                .name(&ctr)
                                .body_map(|mut b| {
                                    b.image = Some(ctx.image.clone());
                                    b.cmd = Some(vec!["sleep".into(), "60".into()]);
                                    b.labels = Some(ctx.labels());
                                    b.host_config = Some(api::types::HostConfig {
                                        network_mode: Some(other.clone()),
                                        ..Default::default()
                                    });
                                    b
                                })
                                .send(),
                        )
                        .await?;
                    let id = created.id.unwrap_or_default();
                    docker.call(c.container_start().id(&id).send()).await?;
                    Ok::<_, Error>(id)
                }
                .await;
                let attached = |n: &str| {
                    let c = docker.$m();
                    let n = n.to_string();
                    async move {
                        let i = docker.call(c.network_inspect().id(&n).send()).await?;
                        Ok::<_, Error>(i.containers.unwrap_or_default().into_keys().collect::<Vec<_>>())
                    }
                };
                match made {
                    Ok(cid) => {
                        rec.op("NetworkConnect", async {
                            docker
                                .call(
                                    c.network_connect()
                                        .id(&net)
                                        .body_map(|mut b| {
                                            b.container = Some(cid.clone());
                                            b
                                        })
                                        .send(),
                                )
                                .await?;
                            let on = attached(&net).await?;
                            ensure!(on == [cid.clone()], "{on:?}");
                            Ok(())
                        })
                        .await;
                        rec.op("NetworkDisconnect", async {
                            docker
                                .call(
                                    c.network_disconnect()
                                        .id(&net)
                                        .body_map(|mut b| {
                                            b.container = Some(cid.clone());
                                            b
                                        })
                                        .send(),
                                )
                                .await?;
                            let on = attached(&net).await?;
                            ensure!(on.is_empty(), "{on:?}");
                            Ok(())
                        })
                        .await;
                        let _ = docker.call(c.container_delete().id(&cid).force(true).send()).await;
                    }
                    Err(e) => {
                        for op in ["NetworkConnect", "NetworkDisconnect"] {
                            rec.op(op, async { Err::<(), _>(Fail(format!("the container on a network: {e}"))) }).await;
                        }
                    }
                }
                rec.op("NetworkDelete", async {
                    docker.call(c.network_delete().id(&net).send()).await?;
                    let gone = docker.call(c.network_inspect().id(&net).send()).await.err();
                    ensure!(gone.as_ref().and_then(|e| e.status()) == Some(404), "{gone:?}");
                    Ok(())
                })
                .await;
                rec.op("NetworkPrune", async {
                    let pruned = docker.call(c.network_prune().filters(label_filter(&ctx.label)).send()).await?;
                    let deleted = pruned.networks_deleted.unwrap_or_default();
                    ensure!(deleted == [other.clone()], "{deleted:?}");
                    Ok(())
                })
                .await;
            }

            /// A managed plugin made here (a static listener, `support/plugin.c`): create, set,
            /// enable, disable, push, privileges, pull, upgrade, remove.
            async fn plugins(ctx: &Ctx<'_>) {
                let (docker, rec) = (ctx.docker, ctx.rec);
                let c = docker.$m();
                let auth = registry();
                let server = auth.server_address.clone().unwrap_or_default();
                let name = format!("{server}/{}:latest", unique("matrix-plugin"));
                let pulled = format!("{}-pulled:latest", unique("matrix-plugin"));
                let created = rec
                    .op("PluginCreate", async {
                        let context = plugin_context()?;
                        docker.call(c.plugin_create().name(&name).body(context).send()).await?;
                        Ok(())
                    })
                    .await;
                if created.is_none() {
                    return;
                }
                rec.op("PluginList", async {
                    let list = docker.call(c.plugin_list().send()).await?.unwrap_or_default();
                    let ours = list.iter().find(|p| p.name.as_deref() == Some(&name));
                    ensure!(ours.is_some_and(|p| p.enabled == Some(false)), "{name} not listed disabled: {list:?}");
                    Ok(())
                })
                .await;
                rec.op("PluginInspect", async {
                    let p = docker.call(c.plugin_inspect().name(&name).send()).await?;
                    let v = serde_json::to_value(&p).unwrap();
                    ensure!(v["Name"] == name.as_str() && v["Config"]["Description"] == "dockerapi-test matrix plugin", "{v}");
                    Ok(())
                })
                .await;
                rec.op("PluginSet", async {
                    docker.call(c.plugin_set().name(&name).body(vec!["MATRIX=1".to_string()]).send()).await?;
                    // Checked on the raw inspect: an observer besides the module.
                    let p = raw(docker, "GET", &format!("plugins/{name}/json"), None).await?;
                    ensure!(p["Settings"]["Env"].as_array().is_some_and(|e| e.contains(&json!("MATRIX=1"))), "{}", p["Settings"]);
                    Ok(())
                })
                .await;
                rec.op("PluginEnable", async {
                    docker.call(c.plugin_enable().name(&name).timeout(20).send()).await?;
                    let p = raw(docker, "GET", &format!("plugins/{name}/json"), None).await?;
                    ensure!(p["Enabled"] == true, "not enabled");
                    Ok(())
                })
                .await;
                rec.op("PluginDisable", async {
                    docker.call(c.plugin_disable().name(&name).force(true).send()).await?;
                    let p = raw(docker, "GET", &format!("plugins/{name}/json"), None).await?;
                    ensure!(p["Enabled"] == false, "still enabled");
                    Ok(())
                })
                .await;
                // Pushed with the test registry's password (`plugin-registry-auth`).
                let pushed = rec
                    .op("PluginPush", async {
                        let push = c.plugin_push().name(&name).x_registry_auth(auth.header());
                        let out = collect(docker.call(push.send()).await?).await;
                        let text = String::from_utf8_lossy(&out);
                        ensure!(!text.contains("errorDetail"), "{text}");
                        Ok(())
                    })
                    .await;
                if pushed.is_none() {
                    for op in ["GetPluginPrivileges", "PluginPull", "PluginUpgrade"] {
                        rec.op(op, async { Err::<(), _>(Fail("the plugin push failed".into())) }).await;
                    }
                } else {
                    // What the pull and the upgrade must accept, asked without the module.
                    let wanted = async {
                        let url = docker.url(&["plugins", "privileges"]).map_err(|e| e.to_string())?;
                        let resp = docker
                            .http()
                            .get(url)
                            .query(&[("remote", &name)])
                            .header("X-Registry-Auth", auth.header())
                            .send()
                            .await
                            .map_err(|e| e.to_string())?;
                        resp.json::<Value>().await.map_err(|e| e.to_string())
                    }
                    .await
                    .unwrap_or(Value::Null);
                    rec.op("GetPluginPrivileges", async {
                        let request = c.get_plugin_privileges().remote(&name).x_registry_auth(auth.header());
                        let privileges = docker.call(request.send()).await?.unwrap_or_default();
                        let typed = serde_json::to_value(&privileges).unwrap();
                        ensure!(typed == wanted && typed != json!([]), "{typed}, the plugin's: {wanted}");
                        Ok(())
                    })
                    .await;
                    let privileges: Vec<api::types::PluginPrivilege> = serde_json::from_value(wanted.clone()).unwrap_or_default();
                    rec.op("PluginPull", async {
                        let out = collect(
                            docker
                                .call(c.plugin_pull().remote(&name).name(&pulled).x_registry_auth(auth.header()).body(privileges.clone()).send())
                                .await?,
                        )
                        .await;
                        let text = String::from_utf8_lossy(&out);
                        ensure!(!text.contains("errorDetail"), "{text}");
                        let p = raw(docker, "GET", &format!("plugins/{pulled}/json"), None).await?;
                        ensure!(p["PluginReference"] == name.as_str(), "{p}");
                        Ok(())
                    })
                    .await;
                    rec.op("PluginUpgrade", async {
                        let out = collect(
                            docker
                                .call(c.plugin_upgrade().name(&pulled).remote(&name).x_registry_auth(auth.header()).body(privileges.clone()).send())
                                .await?,
                        )
                        .await;
                        let text = String::from_utf8_lossy(&out);
                        ensure!(!text.contains("errorDetail"), "{text}");
                        raw(docker, "GET", &format!("plugins/{pulled}/json"), None).await?;
                        Ok(())
                    })
                    .await;
                    let _ = docker.call(c.plugin_delete().name(&pulled).force(true).send()).await;
                }
                rec.op("PluginDelete", async {
                    docker.call(c.plugin_delete().name(&name).force(true).send()).await?;
                    let gone = docker.call(c.plugin_inspect().name(&name).send()).await.err();
                    ensure!(gone.as_ref().and_then(|e| e.status()) == Some(404), "{gone:?}");
                    Ok(())
                })
                .await;
            }

            /// Swarm mode on this daemon alone: init, update with autolock, unlock key, nodes,
            /// services and their tasks, secrets, configs.
            async fn swarm(ctx: &Ctx<'_>) {
                let (docker, rec) = (ctx.docker, ctx.rec);
                let c = docker.$m();
                if docker.call(c.swarm_inspect().send()).await.is_ok() {
                    rec.op("SwarmInit", async {
                        Err::<(), _>(Fail("the daemon is already in a swarm (left over by another run?)".into()))
                    })
                    .await;
                    return;
                }
                let Some(node_id) = rec
                    .op("SwarmInit", async {
                        let node = docker
                            .call(
                                c.swarm_init()
                                    .body_map(|mut b| {
                                        b.listen_addr = Some("127.0.0.1:2377".into());
                                        b.advertise_addr = Some("127.0.0.1".into());
                                        b.spec = Some(from_json(json!({ "Labels": { &ctx.label: "1" } })));
                                        b
                                    })
                                    .send(),
                            )
                            .await?;
                        ensure!(!node.is_empty(), "no node ID");
                        Ok(node)
                    })
                    .await
                else {
                    return;
                };
                let Some(version) = rec
                    .op("SwarmInspect", async {
                        let s = docker.call(c.swarm_inspect().send()).await?;
                        let labels = s.spec.as_ref().and_then(|s| s.labels.clone()).unwrap_or_default();
                        ensure!(labels.contains_key(&ctx.label), "{labels:?}");
                        let tokens = s.join_tokens.clone().unwrap_or_default();
                        ensure!(tokens.worker.is_some_and(|t| t.starts_with("SWMTKN-")), "no worker token");
                        Ok(s.version.and_then(|v| v.index).unwrap_or_default())
                    })
                    .await
                else {
                    return;
                };
                rec.op("SwarmUpdate", async {
                    let spec = json!({
                        "Labels": { &ctx.label: "1", "updated": "yes" },
                        "EncryptionConfig": { "AutoLockManagers": true },
                    });
                    docker
                        .call(c.swarm_update().version(version as i64).body_map(|_| from_json(spec)).send())
                        .await?;
                    let s = docker.call(c.swarm_inspect().send()).await?;
                    let spec = serde_json::to_value(&s.spec).unwrap();
                    ensure!(spec["EncryptionConfig"]["AutoLockManagers"] == true && spec["Labels"]["updated"] == "yes", "{spec}");
                    Ok(())
                })
                .await;
                rec.op("SwarmUnlockkey", async {
                    let key = docker.call(c.swarm_unlockkey().send()).await?;
                    ensure!(key.unlock_key.as_deref().is_some_and(|k| k.starts_with("SWMKEY-")), "no unlock key");
                    Ok(())
                })
                .await;
                rec.op("NodeList", async {
                    let nodes = docker.call(c.node_list().send()).await?.unwrap_or_default();
                    ensure!(nodes.len() == 1 && nodes[0].id.as_deref() == Some(&node_id), "{nodes:?}");
                    Ok(())
                })
                .await;
                rec.op("NodeInspect", async {
                    let n = docker.call(c.node_inspect().id(&node_id).send()).await?;
                    let leader = n.manager_status.as_ref().and_then(|m| m.leader);
                    ensure!(leader == Some(true), "{n:?}");
                    Ok(())
                })
                .await;
                rec.op("NodeUpdate", async {
                    // The node's own status reports bump its version: retried when out of sequence.
                    let spec = json!({ "Role": "manager", "Availability": "active", "Labels": { &ctx.label: "node" } });
                    let mut updated = Ok(());
                    for _ in 0..10 {
                        let n = docker.call(c.node_inspect().id(&node_id).send()).await?;
                        let version = n.version.and_then(|v| v.index).unwrap_or_default();
                        updated = docker
                            .call(c.node_update().id(&node_id).version(version as i64).body_map(|_| from_json(spec.clone())).send())
                            .await;
                        if !updated.as_ref().is_err_and(|e| e.to_string().contains("out of sequence")) {
                            break;
                        }
                    }
                    updated?;
                    let n = docker.call(c.node_inspect().id(&node_id).send()).await?;
                    let labels = n.spec.and_then(|s| s.labels).unwrap_or_default();
                    ensure!(labels.get(&ctx.label).is_some_and(|v| v == "node"), "{labels:?}");
                    Ok(())
                })
                .await;
                secrets_and_configs(ctx).await;
                services(ctx).await;
                if let Some(peer) = ctx.peer.filter(|_| reason("NodeDelete", &ctx.column).is_none()) {
                    rec.op("NodeDelete", async {
                        // The peer joins as a worker, leaves, and its node is removed here.
                        let token = docker.call(c.swarm_inspect().send()).await?.join_tokens.and_then(|t| t.worker);
                        let join = json!({
                            "ListenAddr": "127.0.0.1:2378",
                            "AdvertiseAddr": "127.0.0.1:2378",
                            "RemoteAddrs": ["127.0.0.1:2377"],
                            "JoinToken": token,
                        });
                        // Docker 28 joining a 20.10 manager sometimes fails its first TLS handshake.
                        let mut joined = Err(String::new());
                        for _ in 0..5 {
                            joined = raw(peer, "POST", "swarm/join", Some(join.clone())).await;
                            if joined.is_ok() {
                                break;
                            }
                            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                        }
                        joined?;
                        let info = raw(peer, "GET", "info", None).await?;
                        let peer_node = info["Swarm"]["NodeID"].as_str().unwrap_or_default().to_string();
                        raw(peer, "POST", "swarm/leave?force=true", None).await?;
                        ensure!(!peer_node.is_empty(), "the peer has no node ID: {}", info["Swarm"]);
                        docker.call(c.node_delete().id(&peer_node).force(true).send()).await?;
                        let nodes = docker.call(c.node_list().send()).await?.unwrap_or_default();
                        ensure!(nodes.len() == 1 && nodes[0].id.as_deref() == Some(&node_id), "{nodes:?}");
                        Ok(())
                    })
                    .await;
                }
            }

            async fn secrets_and_configs(ctx: &Ctx<'_>) {
                let (docker, rec) = (ctx.docker, ctx.rec);
                let c = docker.$m();
                use base64::Engine as _;
                let data = base64::engine::general_purpose::STANDARD.encode("matrix data");
                let secret = unique("matrix-secret");
                let spec = json!({ "Name": secret, "Labels": { &ctx.label: "1" }, "Data": data });
                let created = rec
                    .op("SecretCreate", async {
                        let r = docker.call(c.secret_create().body_map(|_| from_json(spec.clone())).send()).await?;
                        some(r.id, NO_ID)
                    })
                    .await;
                // Without the ID of the answer, the one the list gives (the label is this run's).
                let listed = async {
                    let list = docker.call(c.secret_list().filters(label_filter(&ctx.label)).send()).await.ok()??;
                    list.into_iter().next()?.id
                };
                let id = match created {
                    Some(id) => Some(id),
                    None => listed.await,
                };
                if let Some(id) = id {
                    let version = rec
                        .op("SecretInspect", async {
                            let s = docker.call(c.secret_inspect().id(&id).send()).await?;
                            let name = s.spec.as_ref().and_then(|s| s.name.clone());
                            ensure!(name.as_deref() == Some(&secret), "{name:?}");
                            // The payload is never given back.
                            ensure!(s.spec.as_ref().is_some_and(|s| s.data.is_none()), "data returned");
                            Ok(s.version.and_then(|v| v.index).unwrap_or_default())
                        })
                        .await;
                    rec.op("SecretList", async {
                        let list = docker.call(c.secret_list().filters(label_filter(&ctx.label)).send()).await?.unwrap_or_default();
                        ensure!(list.len() == 1 && list[0].id.as_deref() == Some(&id), "{list:?}");
                        Ok(())
                    })
                    .await;
                    if let Some(version) = version {
                        // Only labels may change.
                        rec.op("SecretUpdate", async {
                            let mut spec = spec.clone();
                            spec["Labels"]["updated"] = json!("yes");
                            docker.call(c.secret_update().id(&id).version(version as i64).body_map(|_| from_json(spec)).send()).await?;
                            let s = docker.call(c.secret_inspect().id(&id).send()).await?;
                            let labels = s.spec.and_then(|s| s.labels).unwrap_or_default();
                            ensure!(labels.get("updated").is_some_and(|v| v == "yes"), "{labels:?}");
                            Ok(())
                        })
                        .await;
                    }
                    rec.op("SecretDelete", async {
                        docker.call(c.secret_delete().id(&id).send()).await?;
                        let gone = docker.call(c.secret_inspect().id(&id).send()).await.err();
                        ensure!(gone.as_ref().and_then(|e| e.status()) == Some(404), "{gone:?}");
                        Ok(())
                    })
                    .await;
                }

                let config = unique("matrix-config");
                let spec = json!({ "Name": config, "Labels": { &ctx.label: "1" }, "Data": data });
                let created = rec
                    .op("ConfigCreate", async {
                        let r = docker.call(c.config_create().body_map(|_| from_json(spec.clone())).send()).await?;
                        some(r.id, NO_ID)
                    })
                    .await;
                // Without the ID of the answer, the one the list gives (the label is this run's).
                let listed = async {
                    let list = docker.call(c.config_list().filters(label_filter(&ctx.label)).send()).await.ok()??;
                    list.into_iter().next()?.id
                };
                let id = match created {
                    Some(id) => Some(id),
                    None => listed.await,
                };
                if let Some(id) = id {
                    let version = rec
                        .op("ConfigInspect", async {
                            let s = docker.call(c.config_inspect().id(&id).send()).await?;
                            let spec = s.spec.clone().unwrap_or_default();
                            ensure!(spec.name.as_deref() == Some(&config), "{s:?}");
                            ensure!(spec.data.as_deref() == Some(&data), "{s:?}");
                            Ok(s.version.and_then(|v| v.index).unwrap_or_default())
                        })
                        .await;
                    rec.op("ConfigList", async {
                        let list = docker.call(c.config_list().filters(label_filter(&ctx.label)).send()).await?.unwrap_or_default();
                        ensure!(list.len() == 1 && list[0].id.as_deref() == Some(&id), "{list:?}");
                        Ok(())
                    })
                    .await;
                    if let Some(version) = version {
                        rec.op("ConfigUpdate", async {
                            let mut spec = spec.clone();
                            spec["Labels"]["updated"] = json!("yes");
                            docker.call(c.config_update().id(&id).version(version as i64).body_map(|_| from_json(spec)).send()).await?;
                            let s = docker.call(c.config_inspect().id(&id).send()).await?;
                            let labels = s.spec.and_then(|s| s.labels).unwrap_or_default();
                            ensure!(labels.get("updated").is_some_and(|v| v == "yes"), "{labels:?}");
                            Ok(())
                        })
                        .await;
                    }
                    rec.op("ConfigDelete", async {
                        docker.call(c.config_delete().id(&id).send()).await?;
                        let gone = docker.call(c.config_inspect().id(&id).send()).await.err();
                        ensure!(gone.as_ref().and_then(|e| e.status()) == Some(404), "{gone:?}");
                        Ok(())
                    })
                    .await;
                }
            }

            async fn services(ctx: &Ctx<'_>) {
                let (docker, rec) = (ctx.docker, ctx.rec);
                let c = docker.$m();
                let name = unique("matrix-svc");
                // The local test image (no registry digest), no networks.
                let spec = json!({
                    "Name": name,
                    "Labels": { &ctx.label: "1" },
                    "TaskTemplate": {
                        "ContainerSpec": {
                            "Image": ctx.image,
                            "Command": ["sh", "-c", "echo service-out; exec sleep 600"],
                        },
                        "Networks": [],
                        "RestartPolicy": { "Condition": "none" },
                    },
                    "Mode": { "Replicated": { "Replicas": 1 } },
                });
                let Some(id) = rec
                    .op("ServiceCreate", async {
                        let r = docker.call(c.service_create().body_map(|_| from_json(spec.clone())).send()).await?;
                        let id = r.id.clone().ok_or_else(|| Fail(format!("no ID: {r:?}")))?;
                        Ok(id)
                    })
                    .await
                else {
                    return;
                };
                let version = rec
                    .op("ServiceInspect", async {
                        let s = docker.call(c.service_inspect().id(&id).send()).await?;
                        let n = s.spec.as_ref().and_then(|s| s.name.clone());
                        ensure!(n.as_deref() == Some(&name), "{s:?}");
                        Ok(s.version.and_then(|v| v.index).unwrap_or_default())
                    })
                    .await;
                rec.op("ServiceList", async {
                    let list = docker.call(c.service_list().filters(label_filter(&ctx.label)).send()).await?.unwrap_or_default();
                    ensure!(list.len() == 1 && list[0].id.as_deref() == Some(&id), "{list:?}");
                    Ok(())
                })
                .await;
                // The task runs (or at least exists) once the orchestrator has placed it.
                let mut task = None;
                for _ in 0..100 {
                    let filters = json!({ "service": [id] }).to_string();
                    if let Ok(Some(tasks)) = docker.call(c.task_list().filters(filters).send()).await {
                        let running = tasks.iter().find(|t| {
                            t.status.as_ref().and_then(|s| s.state.as_ref()).map(|s| s.to_string()).as_deref() == Some("running")
                        });
                        if let Some(t) = running {
                            task = t.id.clone();
                            break;
                        }
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
                }
                rec.op("TaskList", async {
                    let filters = json!({ "service": [id] }).to_string();
                    let tasks = docker.call(c.task_list().filters(filters).send()).await?.unwrap_or_default();
                    ensure!(task.is_some(), "no running task: {tasks:?}");
                    ensure!(tasks.iter().all(|t| t.service_id.as_deref() == Some(&id)), "{tasks:?}");
                    Ok(())
                })
                .await;
                if let Some(task) = &task {
                    rec.op("TaskInspect", async {
                        let t = docker.call(c.task_inspect().id(task).send()).await?;
                        ensure!(t.service_id.as_deref() == Some(&id), "{t:?}");
                        Ok(())
                    })
                    .await;
                    rec.op("TaskLogs", async {
                        let mut text = String::new();
                        for _ in 0..50 {
                            let body = collect(docker.call(c.task_logs().id(task).stdout(true).send()).await?).await;
                            text = String::from_utf8_lossy(&body).to_string();
                            if text.contains("service-out") {
                                break;
                            }
                            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                        }
                        ensure!(text.contains("service-out"), "{text:?}");
                        Ok(())
                    })
                    .await;
                }
                rec.op("ServiceLogs", async {
                    let body = collect(docker.call(c.service_logs().id(&id).stdout(true).send()).await?).await;
                    let text = String::from_utf8_lossy(&body);
                    ensure!(text.contains("service-out"), "{text:?}");
                    Ok(())
                })
                .await;
                if let Some(version) = version {
                    rec.op("ServiceUpdate", async {
                        let mut spec = spec.clone();
                        spec["Labels"]["updated"] = json!("yes");
                        let r = docker
                            .call(c.service_update().id(&id).version(version as i64).body_map(|_| from_json(spec)).send())
                            .await?;
                        ensure!(r.warnings.iter().flatten().all(|w| !w.is_empty()), "{r:?}");
                        let s = docker.call(c.service_inspect().id(&id).send()).await?;
                        let labels = s.spec.and_then(|s| s.labels).unwrap_or_default();
                        ensure!(labels.get("updated").is_some_and(|v| v == "yes"), "{labels:?}");
                        Ok(())
                    })
                    .await;
                }
                rec.op("ServiceDelete", async {
                    docker.call(c.service_delete().id(&id).send()).await?;
                    let gone = docker.call(c.service_inspect().id(&id).send()).await.err();
                    ensure!(gone.as_ref().and_then(|e| e.status()) == Some(404), "{gone:?}");
                    Ok(())
                })
                .await;
            }

            /// The peer's swarm (its own, labelled), joined and left through the module.
            async fn join_peer_swarm(ctx: &Ctx<'_>) {
                let (docker, rec) = (ctx.docker, ctx.rec);
                let c = docker.$m();
                let Some(peer) = ctx.peer else {
                    return;
                };
                rec.op("SwarmJoin", async {
                    let init = json!({
                        "ListenAddr": "127.0.0.1:2377",
                        "AdvertiseAddr": "127.0.0.1",
                        "Spec": { "Labels": { &ctx.label: "peer" } },
                    });
                    raw(peer, "POST", "swarm/init", Some(init)).await?;
                    let token = raw(peer, "GET", "swarm", None).await?["JoinTokens"]["Worker"].clone();
                    docker
                        .call(
                            c.swarm_join()
                                .body_map(|mut b| {
                                    b.listen_addr = Some("127.0.0.1:2378".into());
                                    b.advertise_addr = Some("127.0.0.1:2378".into());
                                    b.remote_addrs = Some(vec!["127.0.0.1:2377".into()]);
                                    b.join_token = token.as_str().map(str::to_string);
                                    b
                                })
                                .send(),
                        )
                        .await?;
                    let info = docker.call(c.system_info().send()).await?;
                    let swarm = serde_json::to_value(info.swarm).unwrap();
                    let nodes = raw(peer, "GET", "nodes", None).await?;
                    let joined = nodes.as_array().into_iter().flatten().any(|n| n["ID"] == swarm["NodeID"]);
                    ensure!(swarm["LocalNodeState"] == "active" && joined, "{swarm} not among {nodes}");
                    docker.call(c.swarm_leave().force(true).send()).await?;
                    Ok(())
                })
                .await;
                leave_raw(peer, &ctx.label).await;
            }

            /// Leaves swarm mode if this run entered it (its label on the swarm).
            async fn leave_swarm(ctx: &Ctx<'_>) {
                let (docker, rec) = (ctx.docker, ctx.rec);
                let c = docker.$m();
                let ours = match docker.call(c.swarm_inspect().send()).await {
                    Ok(s) => s.spec.and_then(|s| s.labels).unwrap_or_default().contains_key(&ctx.label),
                    Err(_) => false,
                };
                if ours {
                    rec.op("SwarmLeave", async {
                        docker.call(c.swarm_leave().force(true).send()).await?;
                        let left = docker.call(c.swarm_inspect().send()).await.err();
                        ensure!(left.as_ref().and_then(|e| e.status()) == Some(503), "{left:?}");
                        Ok(())
                    })
                    .await;
                }
            }

            /// Removes what is left of this run (by its label).
            async fn cleanup(ctx: &Ctx<'_>) {
                let docker = ctx.docker;
                let c = docker.$m();
                let filters = label_filter(&ctx.label);
                if let Ok(Some(list)) = docker.call(c.container_list().all(true).filters(filters.clone()).send()).await {
                    for ctr in list {
                        if let Some(id) = ctr.id {
                            let _ = docker.call(c.container_delete().id(&id).force(true).send()).await;
                        }
                    }
                }
                if let Ok(Some(list)) = docker.call(c.network_list().filters(filters.clone()).send()).await {
                    for n in list {
                        if let Some(id) = n.id {
                            let _ = docker.call(c.network_delete().id(&id).send()).await;
                        }
                    }
                }
                if let Ok(list) = docker.call(c.volume_list().filters(filters.clone()).send()).await {
                    for v in list.volumes.unwrap_or_default() {
                        let _ = docker.call(c.volume_delete().name(v.name.as_deref().unwrap_or_default()).send()).await;
                    }
                }
                if let Ok(Some(list)) = docker.call(c.image_list().filters(filters).send()).await {
                    for i in list {
                        let _ = docker.call(c.image_delete().name(i.id.as_deref().unwrap_or_default()).force(true).send()).await;
                    }
                }
                remove_image(docker, &ctx.image).await;
            }
        }
    };
}

scenarios!(v1_41);
scenarios!(v1_51);

/// The plugin's `/plugins/create` context: `config.json` and a rootfs with the listener of
/// `support/plugin.c`, compiled static here (`cc`).
fn plugin_context() -> Checked<Vec<u8>> {
    let dir = std::env::temp_dir().join(unique("matrix-plugin"));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let binary = dir.join("plugin");
    let source = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/support/plugin.c");
    let out = std::process::Command::new("cc")
        .args(["-static", "-O2", "-o"])
        .arg(&binary)
        .arg(&source)
        .output()
        .map_err(|e| format!("cc (to build the test plugin): {e}"))?;
    ensure!(
        out.status.success(),
        "cc: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plugin = std::fs::read(&binary).map_err(|e| e.to_string())?;
    let _ = std::fs::remove_dir_all(&dir);
    let config = json!({
        "Description": "dockerapi-test matrix plugin",
        "Documentation": "",
        "Entrypoint": ["/plugin"],
        "Interface": { "Types": ["docker.logdriver/1.0"], "Socket": "matrix.sock" },
        "Network": { "Type": "none" },
        "Env": [{ "Name": "MATRIX", "Description": "set by the matrix", "Settable": ["value"], "Value": "0" }],
        "Args": { "Name": "", "Description": "", "Settable": null, "Value": null },
        // A privilege to accept: with none, the daemon wants no body at all (`[]` is "incorrect
        // privileges": it compares with a nil list), which the typed body cannot say.
        "Linux": { "Capabilities": ["CAP_CHOWN"], "AllowAllDevices": false, "Devices": null },
    });
    Ok(tar_of(&[
        ("config.json", config.to_string().as_bytes(), 0o644),
        ("rootfs/plugin", &plugin, 0o755),
    ]))
}

/// A request through the facade's HTTP client, for the peer daemon's setup: the answer as JSON
/// (`null` when empty), or the status and body.
async fn raw(
    docker: &Docker,
    method: &str,
    path_and_query: &str,
    body: Option<Value>,
) -> Result<Value, String> {
    let base = docker.url(&["_ping"]).map_err(|e| e.to_string())?;
    let base = base.as_str().trim_end_matches("_ping");
    let url = format!("{base}{path_and_query}");
    let mut request = docker.http().request(method.parse().unwrap(), url);
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_string());
    }
    let resp = request.send().await.map_err(|e| e.to_string())?;
    let status = resp.status();
    let bytes = resp.bytes().await.map_err(|e| e.to_string())?;
    if !status.is_success() {
        return Err(format!(
            "{method} {path_and_query}: {status} {}",
            String::from_utf8_lossy(&bytes)
        ));
    }
    Ok(serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

/// Makes the peer leave swarm mode if this run put it there (a swarm with this run's label, or
/// a worker of one: the peer is in no swarm of its own otherwise).
async fn leave_raw(peer: &Docker, label: &str) {
    let Ok(info) = raw(peer, "GET", "info", None).await else {
        return;
    };
    let state = info["Swarm"]["LocalNodeState"].as_str().unwrap_or("inactive");
    if state == "inactive" {
        return;
    }
    let ours = match raw(peer, "GET", "swarm", None).await {
        Ok(swarm) => swarm["Spec"]["Labels"].get(label).is_some(),
        // A worker cannot inspect the swarm: one of this run's joins (127.0.0.1:2378).
        Err(_) => info["Swarm"]["NodeAddr"] == "127.0.0.1",
    };
    if ours {
        let _ = raw(peer, "POST", "swarm/leave?force=true", None).await;
    }
}

/// An index on 127.0.0.1 (an insecure registry to the daemons) that answers the v1 search API
/// with one result: `dockerapi-test/matrix`, 3 stars. Its address.
async fn fake_index() -> Result<String, String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let address = listener.local_addr().map_err(|e| e.to_string())?.to_string();
    tokio::spawn(async move {
        while let Ok((mut conn, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 4096];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match conn.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                    // Not HTTP (a TLS hello first): the daemon falls back to plain HTTP.
                    if head.first() == Some(&0x16) {
                        return;
                    }
                }
                let head = String::from_utf8_lossy(&head);
                let path = head.split_whitespace().nth(1).unwrap_or("");
                let (status, body) = if path.starts_with("/v1/search") {
                    let results = json!({
                        "num_results": 1,
                        "query": "matrix",
                        "results": [{
                            "name": "dockerapi-test/matrix",
                            "description": "the matrix test's index",
                            "star_count": 3,
                            "is_official": false,
                            "is_automated": false,
                        }],
                    });
                    ("200 OK", results.to_string())
                } else if path.starts_with("/v1/_ping") {
                    ("200 OK", "true".to_string())
                } else {
                    ("404 Not Found", "{}".to_string())
                };
                let reply = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = conn.write_all(reply.as_bytes()).await;
                let _ = conn.shutdown().await;
            });
        }
    });
    Ok(address)
}

/// The names of a tar's entries, without a leading `./`.
fn tar_names(tar: &[u8]) -> Checked<Vec<String>> {
    let mut archive = tar::Archive::new(tar);
    let mut names = Vec::new();
    for entry in archive.entries().map_err(|e| e.to_string())? {
        let entry = entry.map_err(|e| e.to_string())?;
        let path = entry.path().map_err(|e| e.to_string())?;
        names.push(
            path.to_string_lossy()
                .trim_start_matches("./")
                .trim_end_matches('/')
                .to_string(),
        );
    }
    Ok(names)
}

/// The `RepoTags` of an image archive's `manifest.json`.
fn tar_repo_tags(tar: &[u8]) -> Checked<Vec<String>> {
    let mut archive = tar::Archive::new(tar);
    for entry in archive.entries().map_err(|e| e.to_string())? {
        let mut entry = entry.map_err(|e| e.to_string())?;
        if entry.path().map_err(|e| e.to_string())?.to_string_lossy() == "manifest.json" {
            let manifest: Value = serde_json::from_reader(&mut entry).map_err(|e| e.to_string())?;
            return Ok(manifest
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|m| m["RepoTags"].as_array().cloned().unwrap_or_default())
                .filter_map(|t| t.as_str().map(str::to_string))
                .collect());
        }
    }
    Err(Fail("no manifest.json".into()))
}

// ---------------------------------------------------------------------- the document ---

const DOC_HEAD: &str = "# Operations matrix

Written by `tests/matrix.rs`: every operation of the spec of each module, called through the
pinned module on a test daemon, its typed result checked against what the daemon did. `passed`,
`failed` (with the gist of the error, numbers as `N`; the test prints it whole) or `not exercisable` (why: below); `-`: not in that
version. The test compares its run with the columns it ran; refresh them with
`UPDATE_CONFORMANCE=1 cargo test --test matrix --no-default-features --features v1_41,v1_51`
(with the test daemons running) and review the diff.
";

/// Columns (`v1.51, Docker 28.5`) of cells by operation.
type Matrix = BTreeMap<String, BTreeMap<String, String>>;

fn doc_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/conformance.md")
}

/// The reason an operation is not exercisable in `column`, if it has one.
fn reason(op: &str, column: &str) -> Option<&'static str> {
    let on = NOT_EXERCISABLE_ON
        .iter()
        .find(|(daemon, ops, _)| column.contains(daemon) && ops.contains(&op));
    NOT_EXERCISABLE
        .iter()
        .find(|(o, _)| *o == op)
        .map(|(_, r)| *r)
        .or(on.map(|(_, _, r)| *r))
}

/// Columns in order of version, newest first.
fn column_order(name: &str) -> (std::cmp::Reverse<u32>, String) {
    let minor = name
        .strip_prefix("v1.")
        .and_then(|r| r.split(',').next())
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    (std::cmp::Reverse(minor), name.to_string())
}

fn render_doc(matrix: &Matrix, operations: &[String]) -> String {
    let mut columns: Vec<&String> = matrix.keys().collect();
    columns.sort_by_key(|c| column_order(c));
    let mut out = DOC_HEAD.to_string();
    out.push_str(
        "\n## Totals\n\n| Module, daemon | passed | failed | not exercisable |\n|---|---|---|---|\n",
    );
    for col in &columns {
        let cells = &matrix[*col];
        let count = |what: &str| cells.values().filter(|c| c.starts_with(what)).count();
        out.push_str(&format!(
            "| {col} | {} | {} | {} |\n",
            count("passed"),
            count("failed"),
            count("not exercisable")
        ));
    }
    out.push_str("\n## Operations\n\n| Operation |");
    for col in &columns {
        out.push_str(&format!(" {col} |"));
    }
    out.push_str("\n|---|");
    out.push_str(&"---|".repeat(columns.len()));
    out.push('\n');
    for op in operations {
        out.push_str(&format!("| `{op}` |"));
        for col in &columns {
            out.push_str(&format!(
                " {} |",
                matrix[*col].get(op).map(String::as_str).unwrap_or("-")
            ));
        }
        out.push('\n');
    }
    out.push_str("\n## Not exercisable here\n\n");
    for (op, why) in NOT_EXERCISABLE {
        if matrix
            .values()
            .any(|cells| cells.get(*op).is_some_and(|c| c == "not exercisable"))
        {
            out.push_str(&format!("- `{op}`: {why}.\n"));
        }
    }
    for (daemon, ops, why) in NOT_EXERCISABLE_ON {
        let on = |op: &&&str| {
            matrix.iter().any(|(col, cells)| {
                col.contains(daemon) && cells.get(**op).is_some_and(|c| c == "not exercisable")
            })
        };
        let ops: Vec<String> = ops.iter().filter(on).map(|op| format!("`{op}`")).collect();
        if !ops.is_empty() {
            out.push_str(&format!("- {} on {daemon}: {why}.\n", ops.join(", ")));
        }
    }
    out
}

/// The matrix of a document (its operations table).
fn parse_doc(text: &str) -> Matrix {
    let mut matrix = Matrix::new();
    let Some(table) = text.split("\n## Operations\n").nth(1) else {
        return matrix;
    };
    let mut rows = table.lines().filter(|l| l.starts_with('|'));
    let cells = |l: &str| -> Vec<String> {
        l.trim_matches('|')
            .split('|')
            .map(|c| c.trim().to_string())
            .collect()
    };
    let Some(head) = rows.next() else {
        return matrix;
    };
    let columns: Vec<String> = cells(head).into_iter().skip(1).collect();
    for row in rows.skip(1) {
        let row = cells(row);
        let op = row[0].trim_matches('`').to_string();
        for (col, cell) in columns.iter().zip(&row[1..]) {
            if cell != "-" {
                matrix
                    .entry(col.clone())
                    .or_default()
                    .insert(op.clone(), cell.clone());
            }
        }
    }
    matrix
}

/// An error as a table cell: one line, hex ids as `ID` and other numbers as `N`, no `|` nor
/// backtick, at most 160 characters.
fn gist(error: &str) -> String {
    let mut out = String::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if word.len() >= 12 && word.chars().all(|c| c.is_ascii_hexdigit()) {
            out.push_str("ID");
        } else {
            for ch in word.chars() {
                match ch {
                    '0'..='9' if out.ends_with('N') => {}
                    '0'..='9' => out.push('N'),
                    _ => out.push(ch),
                }
            }
        }
        word.clear();
    };
    for ch in error.chars() {
        if ch.is_ascii_alphanumeric() {
            word.push(ch);
            continue;
        }
        flush(&mut word, &mut out);
        out.push(match ch {
            '|' | '`' | '\n' | '\r' => ' ',
            _ => ch,
        });
    }
    flush(&mut word, &mut out);
    let mut cell: String = out.trim().chars().take(160).collect();
    if out.trim().chars().count() > 160 {
        cell.push('…');
    }
    cell
}

#[test]
fn errors_become_stable_cells() {
    assert_eq!(
        gist("answered 404: plugin \"x-12-3\" | sha256:0123456789abcdef0\n"),
        "answered N: plugin \"x-N-N\"   shaN:ID"
    );
}

/// `20.10`, `28.5`: the daemon's release.
async fn release(docker: &Docker) -> String {
    let v = docker.call(docker.v1_41().system_version().send()).await.unwrap();
    let full = v.version.unwrap_or_default();
    let name = match v.components.iter().flatten().any(|c| {
        c.name
            .as_deref()
            .unwrap_or_default()
            .to_lowercase()
            .contains("podman")
    }) {
        true => "Podman",
        false => "Docker",
    };
    let release = full
        .split(['+', '-'])
        .next()
        .unwrap()
        .split('.')
        .take(2)
        .collect::<Vec<_>>()
        .join(".");
    format!("{name} {release}")
}

#[tokio::test(flavor = "multi_thread")]
async fn every_operation_on_every_daemon() {
    let mut hosts = daemons();
    if let Some(podman) = std::env::var("DOCKER_TEST_PODMAN").ok().filter(|v| !v.is_empty()) {
        hosts.push(podman);
    }
    let mut found = Matrix::new();
    let mut problems = Vec::new();
    let mut errors = BTreeMap::new();
    for host in hosts {
        let probe = negotiated(&host).await;
        let max = probe.daemon().expect("negotiated").max;
        // The newest of this test's modules that the daemon speaks.
        let minor = [51, 41]
            .into_iter()
            .find(|m| ApiVersion::v1(*m) <= max)
            .expect("a module");
        let docker = pinned(&host, minor).await;
        let column = format!("v1.{minor}, {}", release(&docker).await);
        let rec = Record::default();
        // The other Docker test daemon, a second swarm node.
        let peer = match daemons().into_iter().find(|h| *h != host) {
            Some(other) if column.contains("Docker") => Some(negotiated(&other).await),
            _ => None,
        };
        match minor {
            51 => v1_51::run(&docker, &column, peer.as_ref(), &rec).await,
            _ => v1_41::run(&docker, &column, peer.as_ref(), &rec).await,
        }
        let outcomes = rec.outcomes();
        let mut cells = BTreeMap::new();
        for op in spec_operations(minor) {
            let cell = match (outcomes.get(&op), reason(&op, &column)) {
                (Some(Outcome::Passed), None) => "passed".to_string(),
                (Some(Outcome::Failed(e)), None) => {
                    println!("{column}: {op} failed: {e}");
                    errors.insert(format!("{column}: {op}"), e.clone());
                    format!("failed: {}", gist(e))
                }
                (None, Some(_)) => "not exercisable".to_string(),
                (Some(o), Some(_)) => {
                    problems.push(format!(
                        "{column}: {op} has a result ({o:?}) and a reason not to exercise it"
                    ));
                    "failed".to_string()
                }
                (None, None) => {
                    problems.push(format!("{column}: {op} has neither a result nor a reason"));
                    "failed".to_string()
                }
            };
            cells.insert(op, cell);
        }
        for op in outcomes.keys().filter(|op| !cells.contains_key(*op)) {
            problems.push(format!("{column}: {op} is not an operation of v1.{minor}"));
        }
        found.insert(column, cells);
    }

    // The checked-in document: this run's columns replace theirs. Outcomes are compared; the
    // gist of a failure is only rewritten on update (a daemon may order a body's members
    // differently from one run to the next, as Podman does).
    let path = doc_path();
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let mut matrix = parse_doc(&text);
    let update = std::env::var_os("UPDATE_CONFORMANCE").is_some_and(|v| !v.is_empty() && v != "0");
    let outcome = |cell: &str| cell.split(':').next().unwrap_or_default().to_string();
    if !update {
        for (col, cells) in &mut found {
            for (op, cell) in cells.iter_mut() {
                if let Some(recorded) = matrix.get(col).and_then(|c| c.get(op))
                    && outcome(recorded) == outcome(cell)
                {
                    cell.clone_from(recorded);
                }
            }
        }
    }
    let stale: Vec<String> = found
        .iter()
        .flat_map(|(col, cells)| {
            let recorded = matrix.get(col).cloned().unwrap_or_default();
            cells
                .iter()
                .filter(move |(op, cell)| recorded.get(*op) != Some(*cell))
                .map(|(op, cell)| {
                    let error = errors.get(&format!("{col}: {op}")).map(|e| format!(": {e}"));
                    format!("{col}: {op} {cell}{}", error.unwrap_or_default())
                })
                .collect::<Vec<_>>()
        })
        .collect();
    matrix.extend(found);
    let mut operations = spec_operations(51);
    for op in spec_operations(41) {
        if !operations.contains(&op) {
            operations.push(op);
        }
    }
    let rendered = render_doc(&matrix, &operations);
    if update {
        std::fs::write(&path, &rendered).unwrap();
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(
        update || (stale.is_empty() && text == rendered),
        "{} differs from this run:\n{}\nrefresh it with UPDATE_CONFORMANCE=1 cargo test --test matrix --no-default-features --features v1_41,v1_51, and review the diff",
        path.display(),
        stale.join("\n")
    );
}

#[test]
fn the_document_round_trips() {
    let mut matrix = Matrix::new();
    matrix.insert(
        "v1.41, Docker 20.10".into(),
        [
            ("A".to_string(), "passed".to_string()),
            ("B".into(), "not exercisable".into()),
        ]
        .into(),
    );
    matrix.insert(
        "v1.51, Docker 28.5".into(),
        [("A".to_string(), "failed".to_string())].into(),
    );
    let ops = vec!["A".to_string(), "B".to_string()];
    let text = render_doc(&matrix, &ops);
    assert_eq!(parse_doc(&text), matrix);
    assert!(
        text.contains("| Operation | v1.51, Docker 28.5 | v1.41, Docker 20.10 |"),
        "{text}"
    );
    assert!(text.contains("| `B` | - | not exercisable |"), "{text}");
    assert!(text.contains("| v1.41, Docker 20.10 | 1 | 0 | 1 |"), "{text}");
}

#[test]
fn every_reason_names_an_operation_of_the_specs() {
    let ops = spec_operations(51);
    for (op, _) in NOT_EXERCISABLE {
        assert!(ops.contains(&op.to_string()), "{op}");
    }
    for (_, listed, _) in NOT_EXERCISABLE_ON {
        for op in *listed {
            assert!(ops.contains(&op.to_string()), "{op}");
        }
    }
}
