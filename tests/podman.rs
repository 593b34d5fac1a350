//! Podman's Docker-compatible API (`DOCKER_TEST_PODMAN`, Podman 4.3 speaking API 1.41): the
//! everyday operations hold as on Docker, and the departures the crate must live with (listed in
//! docs/podman.md) are asserted where they touch the crate, so that a Podman that changes them
//! shows here. Containers have network mode `none`. Podman 4.3 speaks API 1.41: the request
//! bodies are written for the modules from v1.41 on (`since = 1.41`), which have every member
//! read here.

mod support;

use docker_engine_api::streams::{self, Framing, LogsOptions, StdStream};
use docker_engine_api::{ApiVersion, Docker, Error, Filters, with_api};
use futures_util::{StreamExt, TryStreamExt};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use support::*;
use tokio::io::AsyncWriteExt;

/// Generous: the service shares two cores with the test build.
const PATIENCE: Duration = Duration::from_secs(60);

/// The Podman service, connected with negotiation; `None` where Podman is not expected.
async fn connect() -> Option<Docker> {
    Some(negotiated(&podman()?).await)
}

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64
}

/// Creates a container (network mode none) running `cmd`, with stdin open if `stdin`.
async fn create(docker: &Docker, image: &str, cmd: &[&str], stdin: bool) -> String {
    let cmd: Vec<String> = cmd.iter().map(|s| s.to_string()).collect();
    let name = unique("podman");
    with_api!(docker.api(), since = 1.41, async |c, api| {
        let body = api::types::ContainerCreateBody {
            image: Some(image.to_string()),
            cmd: Some(cmd),
            open_stdin: Some(stdin),
            stdin_once: Some(stdin),
            attach_stdin: Some(stdin),
            attach_stdout: Some(true),
            attach_stderr: Some(true),
            host_config: Some(api::types::HostConfig {
                network_mode: Some("none".into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        let created = docker
            .call(c.container_create().name(name).body(body).send())
            .await?;
        Ok(created.id.expect("Id"))
    })
    .unwrap()
}

async fn start(docker: &Docker, id: &str) {
    with_api!(docker.api(), since = 1.41, async |c, _api| {
        docker.call(c.container_start().id(id).send()).await
    })
    .unwrap();
}

async fn remove(docker: &Docker, id: &str) {
    with_api!(docker.api(), since = 1.41, async |c, _api| {
        docker.call(c.container_delete().id(id).force(true).send()).await
    })
    .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn ping_version_and_info() {
    let Some(docker) = connect().await else { return };
    assert_eq!(docker.api_version(), ApiVersion::v1(41));
    let daemon = docker.daemon().expect("negotiated");
    assert_eq!(daemon.max, ApiVersion::v1(41));
    // Podman's /_ping has no `Ostype` header.
    assert_eq!(daemon.os_type, None);
    with_api!(docker.api(), since = 1.41, async |c, _api| {
        assert_eq!(collect(docker.call(c.system_ping().send()).await?).await, b"OK");
        let version = docker.call(c.system_version().send()).await?;
        assert_eq!(version.api_version.as_deref(), Some("1.41"));
        let engine = version
            .components
            .iter()
            .flatten()
            .any(|c| c.name.as_deref() == Some("Podman Engine"));
        assert!(engine, "{:?}", version.components);
        let info = docker.call(c.system_info().send()).await?;
        assert!(info.id.is_some_and(|id| !id.is_empty()));
        assert!(info.server_version.is_some_and(|v| !v.is_empty()));
        Ok(())
    })
    .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn container_create_start_wait_inspect_logs_remove() {
    let Some(docker) = connect().await else { return };
    let image = busybox_image(&docker, "podman").await;
    let id = create(
        &docker,
        &image,
        &["sh", "-c", "echo out; echo err >&2; exit 5"],
        false,
    )
    .await;
    start(&docker, &id).await;
    with_api!(docker.api(), since = 1.41, async |c, _api| {
        let waited = docker.call(c.container_wait().id(&id).send()).await?;
        assert_eq!(waited.status_code, Some(5));
        let inspect = docker.call(c.container_inspect().id(&id).send()).await?;
        assert_eq!(inspect.state.and_then(|s| s.exit_code), Some(5));
        let network_mode = inspect.host_config.and_then(|h| h.network_mode);
        assert_eq!(network_mode.as_deref(), Some("none"));
        // Listed, by a filter the crate writes in the documented form.
        let mine = Filters::new().add("id", &id);
        let listed = docker
            .call(c.container_list().all(true).filters(mine).send())
            .await?;
        assert_eq!(listed.iter().flatten().count(), 1, "{listed:?}");
        Ok(())
    })
    .unwrap();

    let logs = streams::logs(&docker, &id, LogsOptions::new()).await.unwrap();
    assert_eq!(logs.framing(), Framing::Multiplexed);
    let chunks: Vec<_> = logs.try_collect().await.unwrap();
    let text = |stream| {
        let bytes: Vec<u8> = chunks
            .iter()
            .filter(|c| c.stream == stream)
            .flat_map(|c| c.bytes.to_vec())
            .collect();
        String::from_utf8(bytes).unwrap()
    };
    assert_eq!(
        (text(StdStream::Stdout), text(StdStream::Stderr)),
        ("out\n".into(), "err\n".into())
    );

    remove(&docker, &id).await;
    let gone = with_api!(docker.api(), since = 1.41, async |c, _api| {
        docker.call(c.container_inspect().id(&id).send()).await.map(drop)
    });
    assert!(matches!(gone, Err(Error::Daemon { status: 404, .. })), "{gone:?}");
    remove_image(&docker, &image).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn exec_create_start_inspect() {
    let Some(docker) = connect().await else { return };
    let image = busybox_image(&docker, "podman").await;
    let id = create(&docker, &image, &["sleep", "60"], false).await;
    start(&docker, &id).await;
    let exec = with_api!(docker.api(), since = 1.41, async |c, _api| {
        let request = c.container_exec().id(&id).body_map(|mut b| {
            b.cmd = Some(vec!["sh".into(), "-c".into(), "echo hi; exit 2".into()]);
            b.attach_stdout = Some(true);
            b.attach_stderr = Some(true);
            b
        });
        let exec = docker.call(request.send()).await?.id.expect("Id");
        // Created, never started: Podman says `ExitCode 0, Pid 0` where Docker says `null`.
        let created = docker.call(c.exec_inspect().id(&exec).send()).await?;
        assert_eq!(
            (created.running, created.exit_code, created.pid),
            (Some(false), Some(0), Some(0))
        );
        Ok(exec)
    })
    .unwrap();
    let mut attached = docker.exec_attach(&exec).await.unwrap();
    let mut out = Vec::new();
    while let Some(chunk) = attached.output.try_next().await.unwrap() {
        assert_eq!(chunk.stream, StdStream::Stdout);
        out.extend_from_slice(&chunk.bytes);
    }
    assert_eq!(out, b"hi\n");
    assert_eq!(attached.wait().await.unwrap(), 2);
    with_api!(docker.api(), since = 1.41, async |c, _api| {
        let ended = docker.call(c.exec_inspect().id(&exec).send()).await?;
        assert_eq!((ended.running, ended.exit_code), (Some(false), Some(2)));
        Ok(())
    })
    .unwrap();
    // Interactive: stdin through `cat`, closed by a half-close.
    assert_eq!(exec_cat(&docker, &id, b"ping\n").await, b"ping\n");
    remove(&docker, &id).await;
    remove_image(&docker, &image).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn attach_round_trips_stdin() {
    let Some(docker) = connect().await else { return };
    let image = busybox_image(&docker, "podman").await;
    let id = create(&docker, &image, &["cat"], true).await;
    let options = docker_engine_api::hijack::AttachOptions {
        stdin: true,
        stdout: true,
        stderr: true,
        ..Default::default()
    };
    let mut attached = docker.attach(&id, &options).await.unwrap();
    start(&docker, &id).await;
    let mut stdin = attached.stdin.take().expect("upgraded connection");
    stdin.write_all(b"through cat\n").await.unwrap();
    stdin.shutdown().await.unwrap();
    let chunks: Vec<_> = (&mut attached.output).try_collect().await.unwrap();
    let out: Vec<u8> = chunks.iter().flat_map(|c| c.bytes.to_vec()).collect();
    assert_eq!(out, b"through cat\n");
    assert_eq!(attached.wait().await.unwrap(), 0);
    remove(&docker, &id).await;
    remove_image(&docker, &image).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn image_build_from_scratch_list_inspect() {
    let Some(docker) = connect().await else { return };
    let tag = format!("dockerapi-test/podman-build-{}:latest", std::process::id());
    let items: Vec<Result<serde_json::Value, Error>> =
        with_api!(docker.api(), since = 1.41, async |c, _api| {
            let body = docker
                .call(c.image_build().t(&tag).body(busybox_context()).send())
                .await?;
            Ok(streams::build_progress(body).collect().await)
        })
        .unwrap();
    let ids: Vec<String> = items
        .iter()
        .map(|i| i.as_ref().unwrap_or_else(|e| panic!("building {tag}: {e}")))
        .filter_map(streams::build_image_id)
        .collect();
    assert_eq!(ids.len(), 1, "one image ID in {items:?}");
    with_api!(docker.api(), since = 1.41, async |c, _api| {
        // Inspected by the name it was built with, listed under `docker.io/` + that name.
        let inspect = docker.call(c.image_inspect().name(&tag).send()).await?;
        assert_eq!(inspect.id.as_ref(), Some(&ids[0]));
        let qualified = format!("docker.io/{tag}");
        assert!(
            inspect.repo_tags.iter().flatten().any(|t| *t == qualified),
            "{:?}",
            inspect.repo_tags
        );
        let images = docker.call(c.image_list().send()).await?;
        let listed = images
            .iter()
            .flatten()
            .find(|i| i.id.as_ref() == Some(&ids[0]))
            .expect("listed");
        assert!(
            listed.repo_tags.iter().flatten().any(|t| *t == qualified),
            "{:?}",
            listed.repo_tags
        );
        docker.call(c.image_delete().name(&tag).send()).await?;
        Ok(())
    })
    .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn volume_create_list_inspect_remove() {
    let Some(docker) = connect().await else { return };
    let name = unique("podman-vol");
    // The body's type is named differently across versions: its fields are set instead.
    with_api!(docker.api(), since = 1.41, async |c, _api| {
        let create = c.volume_create().body_map(|mut b| {
            b.name = Some(name.clone());
            b.labels = Some([("dockerapi-test".to_string(), name.clone())].into());
            b
        });
        let created = docker.call(create.send()).await?;
        assert_eq!(created.name.as_ref(), Some(&name));
        let mine = Filters::new().label(format!("dockerapi-test={name}"));
        let listed = docker.call(c.volume_list().filters(mine).send()).await?;
        let names: Vec<_> = listed.volumes.iter().flatten().map(|v| v.name.clone()).collect();
        assert_eq!(names, [Some(name.clone())]);
        let inspect = docker.call(c.volume_inspect().name(&name).send()).await?;
        assert_eq!(
            (inspect.name.as_deref(), inspect.driver.as_deref()),
            (Some(name.as_str()), Some("local"))
        );
        docker.call(c.volume_delete().name(&name).send()).await?;
        let gone = docker.call(c.volume_inspect().name(&name).send()).await;
        assert!(matches!(gone, Err(Error::Daemon { status: 404, .. })), "{gone:?}");
        Ok(())
    })
    .unwrap();
}

/// Podman lists its default network `podman` under Docker's name `bridge`, and has neither
/// `none` nor `host` (network mode `none` still works: no network object is needed for it).
#[tokio::test(flavor = "multi_thread")]
async fn network_list_has_bridge_and_no_none_or_host() {
    let Some(docker) = connect().await else { return };
    with_api!(docker.api(), since = 1.41, async |c, _api| {
        let networks = docker.call(c.network_list().send()).await?;
        let names: Vec<_> = networks.iter().flatten().filter_map(|n| n.name.clone()).collect();
        assert!(names.iter().any(|n| n == "bridge"), "{names:?}");
        assert!(!names.iter().any(|n| n == "none" || n == "host"), "{names:?}");
        let bridge = docker.call(c.network_inspect().id("bridge").send()).await?;
        let podman = docker.call(c.network_inspect().id("podman").send()).await?;
        assert_eq!(bridge.id, podman.id);
        let none = docker.call(c.network_inspect().id("none").send()).await;
        assert!(matches!(none, Err(Error::Daemon { status: 404, .. })), "{none:?}");
        Ok(())
    })
    .unwrap();
}

/// Events between `since` and `until` with `label`, as (Type, Action); `until` ends the stream.
async fn events(docker: &Docker, since: i64, until: i64, label: &str) -> Vec<(String, String)> {
    let filters = Filters::new().label(format!("dockerapi-test={label}"));
    let body = with_api!(docker.api(), since = 1.41, async |c, _api| {
        let request = c
            .system_events()
            .since(since.to_string())
            .until(until.to_string());
        docker.call(request.filters(filters).send()).await
    })
    .unwrap();
    let items = streams::events::<serde_json::Value>(body).collect::<Vec<_>>();
    let items = tokio::time::timeout(PATIENCE, items)
        .await
        .expect("a bounded event stream ends");
    let field = |e: &serde_json::Value, k: &str| e[k].as_str().unwrap_or_default().to_string();
    items
        .into_iter()
        .map(|e| e.unwrap())
        .map(|e| (field(&e, "Type"), field(&e, "Action")))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn events_filtered_and_bounded() {
    let Some(docker) = connect().await else { return };
    let image = busybox_image(&docker, "podman").await;
    let label = unique("podman-events");
    let since = now() - 1;
    let id = with_api!(docker.api(), since = 1.41, async |c, api| {
        let body = api::types::ContainerCreateBody {
            image: Some(image.clone()),
            cmd: Some(vec!["true".into()]),
            labels: Some([("dockerapi-test".to_string(), label.clone())].into()),
            host_config: Some(api::types::HostConfig {
                network_mode: Some("none".into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        let id = docker
            .call(c.container_create().body(body).send())
            .await?
            .id
            .expect("Id");
        docker.call(c.container_start().id(&id).send()).await?;
        docker.call(c.container_wait().id(&id).send()).await?;
        Ok(id)
    })
    .unwrap();
    remove(&docker, &id).await;
    let seen = events(&docker, since, now() + 2, &label).await;
    let actions: Vec<&str> = seen.iter().map(|(_, a)| a.as_str()).collect();
    assert!(seen.iter().all(|(t, _)| t == "container"), "{seen:?}");
    // Podman names the last one `remove` where Docker says `destroy`.
    let wanted = ["create", "start", "die", "remove"];
    let in_order = wanted.iter().try_fold(0, |at, w| {
        actions[at..].iter().position(|a| a == w).map(|i| at + i + 1)
    });
    assert!(in_order.is_some(), "{wanted:?} in order in {actions:?}");
    // An `until` already past gives nothing on Podman (Docker replays the window).
    let past = events(&docker, since, now() - 1, &label).await;
    assert_eq!(past, []);
    remove_image(&docker, &image).await;
}

/// Podman answers routes it lacks with `404 text/plain` "Not Found": the crate's daemon error
/// with that status and text, not a decode error.
#[tokio::test(flavor = "multi_thread")]
async fn a_route_podman_lacks_is_a_daemon_404() {
    let Some(docker) = connect().await else { return };
    let raw = docker
        .http()
        .get(docker.url(&["swarm"]).unwrap())
        .send()
        .await
        .unwrap();
    let content_type = raw.headers()[reqwest::header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(
        (raw.status().as_u16(), content_type.as_str()),
        (404, "text/plain; charset=utf-8")
    );
    assert_eq!(raw.text().await.unwrap(), "Not Found\n");

    with_api!(docker.api(), since = 1.41, async |c, _api| {
        let swarm = docker.call(c.swarm_inspect().send()).await;
        match swarm {
            Err(Error::Daemon { status: 404, message }) => assert_eq!(message, "Not Found"),
            other => panic!("{other:?}"),
        }
        // Plugins: a JSON 404 saying so.
        match docker.call(c.plugin_list().send()).await {
            Err(Error::Daemon { status: 404, message }) => {
                assert!(message.contains("not supported"), "{message}")
            }
            other => panic!("{other:?}"),
        }
        Ok(())
    })
    .unwrap();
}

/// Podman's other error answers are daemon errors too: JSON with `cause` and `response`
/// beside `message`, a 500 where Docker answers 409, a 500 with an empty body.
#[tokio::test(flavor = "multi_thread")]
async fn error_answers_are_daemon_errors() {
    let Some(docker) = connect().await else { return };
    let image = busybox_image(&docker, "podman").await;
    let id = create(&docker, &image, &["true"], false).await;
    with_api!(docker.api(), since = 1.41, async |c, _api| {
        let missing = docker
            .call(c.container_inspect().id("dockerapi-test-none").send())
            .await;
        match missing.map(drop) {
            Err(Error::Daemon { status: 404, message }) => {
                assert!(message.contains("no such container"), "{message}")
            }
            other => panic!("{other:?}"),
        }
        // A name in use: 500 (Docker: 409).
        let inspect = docker.call(c.container_inspect().id(&id).send()).await?;
        let name = inspect.name.expect("Name").trim_start_matches('/').to_string();
        let again = c.container_create().name(name).body_map(|mut b| {
            b.image = Some(image.clone());
            b
        });
        match docker.call(again.send()).await.map(drop) {
            Err(Error::Daemon { status: 500, message }) => {
                assert!(message.contains("already in use"), "{message}")
            }
            other => panic!("{other:?}"),
        }
        // Not a tar archive: 500, `application/json` and an empty body.
        let build = docker
            .call(c.image_build().body(b"not a tar archive".to_vec()).send())
            .await;
        match build.map(drop) {
            Err(Error::Daemon { status: 500, message }) => assert!(!message.is_empty()),
            other => panic!("{other:?}"),
        }
        Ok(())
    })
    .unwrap();
    remove(&docker, &id).await;
    remove_image(&docker, &image).await;
}
