//! The stream layer against both test daemons: container logs (multiplexed and TTY, follow,
//! since/until/tail/timestamps, stdout only), events filtered and bounded so the stream ends,
//! build progress with the image ID and failing steps (classic builder and BuildKit), stats.
//!
//! Requests go through `with_api!` (the negotiated module) where every version has the
//! operation; `logs?until` (API 1.35+) and the typed event items (`EventMessage`, 1.40+) use
//! the v1.41 and v1.51 modules, which is also the proof that the decoders are generic over the
//! version module's types. Containers have network mode `none`, unique names, and are removed
//! even when an assertion fails.

mod support;

use bytes::Bytes;
use docker_engine_api::streams::{self, Framing, LogChunk, StdStream};
use docker_engine_api::{ByteStream, Docker, Error, v1_41, v1_51, with_api};
use futures_util::{FutureExt, StreamExt};
use std::collections::HashMap;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use support::*;

/// The test image (static busybox `FROM scratch`), built on each daemon; it stays, like the
/// fixtures' image (same layers, so mostly a cache hit).
const IMAGE: &str = "dockerapi-test/streams:latest";

/// Generous: the daemons share two cores with the test build.
const PATIENCE: Duration = Duration::from_secs(60);

// ---------------------------------------------------------------- helpers -----

async fn build_test_image(docker: &Docker) {
    let context = busybox_context();
    let items: Vec<Result<serde_json::Value, Error>> = with_api!(docker.api(), async |c, _api| -> _ {
        let body = docker
            .call(c.image_build().t(IMAGE).body(context).send())
            .await
            .unwrap();
        streams::build_progress(body).collect().await
    });
    let ids: Vec<String> = items
        .iter()
        .map(|i| i.as_ref().unwrap_or_else(|e| panic!("building {IMAGE}: {e}")))
        .filter_map(streams::build_image_id)
        .collect();
    assert_eq!(ids.len(), 1, "one image ID in {items:?}");
}

#[derive(Default)]
struct Spec<'a> {
    cmd: &'a [&'a str],
    tty: bool,
    labels: &'a [(&'a str, &'a str)],
}

/// Creates (network none) and starts a container; its ID.
async fn run(docker: &Docker, name: &str, spec: Spec<'_>) -> String {
    let cmd: Vec<String> = spec.cmd.iter().map(|s| s.to_string()).collect();
    let labels: HashMap<String, String> = spec
        .labels
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let id = with_api!(docker.api(), async |c, api| -> String {
        let created = docker
            .call(
                c.container_create()
                    .name(name)
                    .body_map(|mut b| {
                        b.image = Some(IMAGE.to_string());
                        b.cmd = Some(cmd);
                        b.tty = Some(spec.tty);
                        b.labels = Some(labels);
                        b.host_config = Some(api::types::HostConfig {
                            network_mode: Some("none".into()),
                            ..Default::default()
                        });
                        b
                    })
                    .send(),
            )
            .await
            .unwrap();
        created.id.expect("the created container's Id")
    });
    with_api!(docker.api(), async |c, _api| docker
        .call(c.container_start().id(&id).send())
        .await)
    .unwrap();
    id
}

async fn wait_exit(docker: &Docker, id: &str) -> i64 {
    let waited = with_api!(docker.api(), async |c, _api| -> Option<i64> {
        docker
            .call(c.container_wait().id(id).send())
            .await
            .unwrap()
            .status_code
    });
    waited.expect("StatusCode")
}

async fn is_running(docker: &Docker, id: &str) -> bool {
    with_api!(docker.api(), async |c, _api| -> bool {
        let inspect = docker.call(c.container_inspect().id(id).send()).await.unwrap();
        inspect.state.and_then(|s| s.running).unwrap_or(false)
    })
}

async fn remove(docker: &Docker, id: &str) {
    let removed = with_api!(docker.api(), async |c, _api| {
        docker.call(c.container_delete().id(id).force(true).send()).await
    });
    if let Err(e) = removed {
        eprintln!("removing container {id}: {e}");
    }
}

/// Runs `body`, then `cleanup` whether or not `body` panicked.
async fn finally<T>(body: impl Future<Output = T>, cleanup: impl Future<Output = ()>) -> T {
    let outcome = AssertUnwindSafe(body).catch_unwind().await;
    cleanup.await;
    outcome.unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// `GET /containers/{id}/logs` with these query parameters.
#[derive(Default, Clone, Copy)]
struct Logs {
    stdout_only: bool,
    follow: bool,
    timestamps: bool,
    tail: Option<u32>,
    since: Option<i64>,
}

async fn logs(docker: &Docker, id: &str, q: Logs) -> ByteStream {
    let tail = q.tail.map_or("all".to_string(), |n| n.to_string());
    with_api!(docker.api(), async |c, _api| -> _ {
        let request = c
            .container_logs()
            .id(id)
            .stdout(true)
            .stderr(!q.stdout_only)
            .follow(q.follow)
            .timestamps(q.timestamps)
            .tail(tail)
            .since(q.since.unwrap_or(0));
        docker.call(request.send()).await.unwrap()
    })
}

/// The container's framing, then its whole log as chunks.
async fn read_logs(docker: &Docker, id: &str, q: Logs) -> Vec<LogChunk> {
    let framing = streams::container_framing(docker, id).await.unwrap();
    let chunks = streams::log_stream(logs(docker, id, q).await, framing);
    let chunks = tokio::time::timeout(PATIENCE, chunks.collect::<Vec<_>>())
        .await
        .expect("the log stream ends");
    chunks.into_iter().collect::<Result<_, _>>().unwrap()
}

fn text(chunks: &[LogChunk], stream: StdStream) -> String {
    let bytes: Vec<u8> = chunks
        .iter()
        .filter(|c| c.stream == stream)
        .flat_map(|c| c.bytes.to_vec())
        .collect();
    String::from_utf8(bytes).unwrap()
}

/// `2026-11-27T03:51:18.706612675Z` in unix seconds (UTC, as the daemon writes it).
fn unix_seconds(rfc3339: &str) -> f64 {
    let num = |r: std::ops::Range<usize>| rfc3339[r].parse::<i64>().unwrap();
    let (y, m, d) = (num(0..4), num(5..7), num(8..10));
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + num(11..13) * 3600 + num(14..16) * 60 + num(17..19);
    let fraction: f64 = format!("0{}", rfc3339[19..].trim_end_matches('Z'))
        .parse()
        .unwrap();
    secs as f64 + fraction
}

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64
}

// ------------------------------------------------------------------ logs -----

#[tokio::test(flavor = "multi_thread")]
async fn logs_multiplexed_and_stdout_only() {
    for host in daemons() {
        let docker = negotiated(&host).await;
        build_test_image(&docker).await;
        let name = unique("logs");
        let cmd = ["sh", "-c", "echo out; echo err >&2; echo out2"];
        let id = run(
            &docker,
            &name,
            Spec {
                cmd: &cmd,
                ..Default::default()
            },
        )
        .await;
        finally(
            async {
                assert_eq!(wait_exit(&docker, &id).await, 0);
                let framing = streams::container_framing(&docker, &id).await.unwrap();
                assert_eq!(framing, Framing::Multiplexed, "{host}");
                let both = read_logs(&docker, &id, Logs::default()).await;
                assert_eq!(text(&both, StdStream::Stdout), "out\nout2\n", "{host}");
                assert_eq!(text(&both, StdStream::Stderr), "err\n", "{host}");
                assert_eq!(both.len(), 3, "{host}: one frame per line");
                let stdout_only = Logs {
                    stdout_only: true,
                    ..Default::default()
                };
                let only = read_logs(&docker, &id, stdout_only).await;
                assert!(
                    only.iter().all(|c| c.stream == StdStream::Stdout),
                    "{host}: {only:?}"
                );
                assert_eq!(text(&only, StdStream::Stdout), "out\nout2\n", "{host}");
            },
            remove(&docker, &id),
        )
        .await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn logs_tty_are_raw() {
    for host in daemons() {
        let docker = negotiated(&host).await;
        build_test_image(&docker).await;
        let name = unique("logs-tty");
        // Bytes that look like a frame header must come through as they are.
        let cmd = [
            "sh",
            "-c",
            r"echo tty-out; echo tty-err >&2; printf '\001\000\000\000\000\000\000\001x'",
        ];
        let id = run(
            &docker,
            &name,
            Spec {
                cmd: &cmd,
                tty: true,
                ..Default::default()
            },
        )
        .await;
        finally(
            async {
                wait_exit(&docker, &id).await;
                let framing = streams::container_framing(&docker, &id).await.unwrap();
                assert_eq!(framing, Framing::Raw, "{host}");
                let chunks = read_logs(&docker, &id, Logs::default()).await;
                assert!(chunks.iter().all(|c| c.stream == StdStream::Stdout), "{host}");
                let all: Vec<u8> = chunks.iter().flat_map(|c| c.bytes.to_vec()).collect();
                // A TTY turns `\n` into `\r\n`; stderr is mixed in.
                assert_eq!(
                    all,
                    b"tty-out\r\ntty-err\r\n\x01\0\0\0\0\0\0\x01x",
                    "{host}: {:?}",
                    String::from_utf8_lossy(&all)
                );
            },
            remove(&docker, &id),
        )
        .await;
    }
}

/// Reads a [`streams::LogStream`] to its end.
async fn drain(stream: streams::LogStream) -> Vec<LogChunk> {
    let chunks = tokio::time::timeout(PATIENCE, stream.collect::<Vec<_>>())
        .await
        .expect("the log stream ends");
    chunks.into_iter().collect::<Result<_, _>>().unwrap()
}

/// `streams::logs` and `streams::log_stream_from` choose the framing from the logs response's
/// `Content-Type` where the daemon and the request version (1.42+) make it reliable, and ask
/// for the container's `Tty` flag (`GET …/json`) only where not: Docker 20.10, and requests
/// below 1.42 to Docker 28 (which then says `raw-stream` of a multiplexed body too). The
/// requests are counted on the wire by a recording proxy.
#[tokio::test(flavor = "multi_thread")]
async fn logs_framing_from_the_content_type() {
    for host in daemons() {
        let docker = negotiated(&host).await;
        build_test_image(&docker).await;
        let plain_cmd = ["sh", "-c", "echo out; echo err >&2"];
        let plain = Spec {
            cmd: &plain_cmd,
            ..Default::default()
        };
        let plain = run(&docker, &unique("ct-plain"), plain).await;
        let tty_cmd = [
            "sh",
            "-c",
            r"echo tty; printf '\001\000\000\000\000\000\000\001x'",
        ];
        let tty = Spec {
            cmd: &tty_cmd,
            tty: true,
            ..Default::default()
        };
        let tty = run(&docker, &unique("ct-tty"), tty).await;
        let check = async {
            wait_exit(&docker, &plain).await;
            wait_exit(&docker, &tty).await;
            let proxy = RecordingProxy::start(&host).await;
            let negotiated = negotiated(&proxy.host).await;
            let pinned_41 = pinned(&proxy.host, 41).await;
            for (via, docker) in [("negotiated", &negotiated), ("pinned 1.41", &pinned_41)] {
                let version = docker.api_version();
                let inspects = version < docker_engine_api::ApiVersion::v1(42);
                // Whether the last requests were the logs alone or the logs and an inspect.
                let requests = |id: &str, expected: &[&str]| {
                    let lines = std::mem::take(&mut *proxy.requests.lock().unwrap());
                    let paths: Vec<&str> = lines.iter().filter_map(|l| l.split(' ').nth(1)).collect();
                    assert_eq!(paths.len(), expected.len(), "{host} {via}: {lines:?}");
                    for (path, end) in paths.iter().zip(expected) {
                        let prefix = format!("/v{version}/containers/{id}/{end}");
                        assert!(path.starts_with(&prefix), "{host} {via}: {lines:?}");
                    }
                };
                let expected: &[&str] = if inspects { &["logs", "json"] } else { &["logs"] };
                proxy.requests.lock().unwrap().clear();

                let stream = streams::logs(docker, &plain, streams::LogsOptions::new())
                    .await
                    .unwrap();
                requests(&plain, expected);
                assert_eq!(stream.framing(), Framing::Multiplexed, "{host} {via}");
                let chunks = drain(stream).await;
                assert_eq!(text(&chunks, StdStream::Stdout), "out\n", "{host} {via}");
                assert_eq!(text(&chunks, StdStream::Stderr), "err\n", "{host} {via}");

                let stream = streams::logs(docker, &tty, streams::LogsOptions::new())
                    .await
                    .unwrap();
                requests(&tty, expected);
                assert_eq!(stream.framing(), Framing::Raw, "{host} {via}");
                let all: Vec<u8> = drain(stream)
                    .await
                    .iter()
                    .flat_map(|c| c.bytes.to_vec())
                    .collect();
                assert_eq!(all, b"tty\r\n\x01\0\0\0\0\0\0\x01x", "{host} {via}");

                // The generated operation, through the module in use: the same choice.
                for (id, framing) in [(&plain, Framing::Multiplexed), (&tty, Framing::Raw)] {
                    let stream = with_api!(docker.api(), async |c, _api| -> _ {
                        let request = c
                            .container_logs()
                            .id(id.as_str())
                            .stdout(true)
                            .stderr(true)
                            .send();
                        streams::log_stream_from(docker, c, id, request).await.unwrap()
                    });
                    requests(id, expected);
                    assert_eq!(stream.framing(), framing, "{host} {via}: generated");
                    drain(stream).await;
                }
            }
            // An older module than the wire version: its requests say 1.41, so Docker 28
            // answers `raw-stream` for the multiplexed body too, and that is not trusted.
            let v41 = negotiated.v1_41();
            let request = v41
                .container_logs()
                .id(plain.as_str())
                .stdout(true)
                .stderr(true)
                .send();
            let stream = streams::log_stream_from(&negotiated, &v41, &plain, request)
                .await
                .unwrap();
            let lines = std::mem::take(&mut *proxy.requests.lock().unwrap());
            assert_eq!(lines.len(), 2, "{host}: {lines:?}");
            assert!(
                lines[0].contains(&format!("/v1.41/containers/{plain}/logs")),
                "{lines:?}"
            );
            assert!(
                lines[1].contains(&format!("/containers/{plain}/json")),
                "{lines:?}"
            );
            assert_eq!(stream.framing(), Framing::Multiplexed, "{host}");
            assert_eq!(text(&drain(stream).await, StdStream::Stderr), "err\n", "{host}");

            // A missing container is the daemon's 404, as from `Docker::call`.
            let gone = unique("no-such-container");
            let err = streams::logs(&negotiated, &gone, streams::LogsOptions::new())
                .await
                .unwrap_err();
            assert!(
                matches!(err, Error::Daemon { status: 404, .. }),
                "{host}: {err:?}"
            );
        };
        finally(check, async {
            remove(&docker, &plain).await;
            remove(&docker, &tty).await;
        })
        .await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn logs_follow_stays_open_until_the_container_exits() {
    for host in daemons() {
        let docker = negotiated(&host).await;
        build_test_image(&docker).await;
        let name = unique("follow");
        let cmd = ["sh", "-c", "echo first; sleep 3; echo second >&2; sleep 1"];
        let id = run(
            &docker,
            &name,
            Spec {
                cmd: &cmd,
                ..Default::default()
            },
        )
        .await;
        finally(
            async {
                let follow = Logs {
                    follow: true,
                    ..Default::default()
                };
                let framing = streams::container_framing(&docker, &id).await.unwrap();
                let mut chunks = streams::log_stream(logs(&docker, &id, follow).await, framing);
                let first = tokio::time::timeout(PATIENCE, chunks.next()).await.unwrap();
                let first = first.expect("a first chunk").unwrap();
                let got_first = Instant::now();
                assert_eq!(first.bytes, Bytes::from("first\n"), "{host}");
                assert!(
                    is_running(&docker, &id).await,
                    "{host}: output arrives while it runs"
                );
                let second = tokio::time::timeout(PATIENCE, chunks.next()).await.unwrap();
                let second = second.expect("a second chunk").unwrap();
                assert_eq!(
                    (second.stream, second.bytes),
                    (StdStream::Stderr, Bytes::from("second\n"))
                );
                let end = tokio::time::timeout(PATIENCE, chunks.next()).await.unwrap();
                assert!(end.is_none(), "{host}: {end:?}");
                assert!(
                    got_first.elapsed() >= Duration::from_secs(3),
                    "{host}: the stream stayed open for the container's run"
                );
                assert!(
                    !is_running(&docker, &id).await,
                    "{host}: it ends when the container exits"
                );
            },
            remove(&docker, &id),
        )
        .await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn logs_since_until_tail_timestamps() {
    for host in daemons() {
        let docker = negotiated(&host).await;
        build_test_image(&docker).await;
        let name = unique("since");
        // Two bursts, more than a second apart, so whole-second bounds separate them.
        let cmd = [
            "sh",
            "-c",
            "echo a; echo b; echo c >&2; sleep 2.2; echo d; echo e >&2",
        ];
        let id = run(
            &docker,
            &name,
            Spec {
                cmd: &cmd,
                ..Default::default()
            },
        )
        .await;
        finally(
            async {
                wait_exit(&docker, &id).await;
                let stamped = Logs {
                    timestamps: true,
                    ..Default::default()
                };
                let chunks = read_logs(&docker, &id, stamped).await;
                let lines: Vec<(f64, String)> = chunks
                    .iter()
                    .map(|c| {
                        let line = std::str::from_utf8(&c.bytes).unwrap();
                        let (time, text) = line.split_once(' ').expect("`<time> <text>`");
                        (unix_seconds(time), text.to_string())
                    })
                    .collect();
                let mut texts: Vec<_> = lines.iter().map(|(_, t)| t.as_str()).collect();
                texts.sort();
                assert_eq!(texts, ["a\n", "b\n", "c\n", "d\n", "e\n"], "{host}");
                // Stdout and stderr are stamped by separate readers: within a burst, the order
                // of the stamps is not the order of the lines.
                let time_of = |t: &str| lines.iter().find(|(_, l)| l == t).unwrap().0;
                let first_burst_end = ["a\n", "b\n", "c\n"]
                    .map(time_of)
                    .into_iter()
                    .fold(f64::MIN, f64::max);
                let second_burst_start = ["d\n", "e\n"].map(time_of).into_iter().fold(f64::MAX, f64::min);
                let gap = second_burst_start - first_burst_end;
                assert!(gap >= 1.5, "{host}: {first_burst_end} {second_burst_start}");

                let tail = Logs {
                    tail: Some(2),
                    ..Default::default()
                };
                let last = read_logs(&docker, &id, tail).await;
                let mut last: Vec<_> = last.iter().map(|c| c.bytes.clone()).collect();
                last.sort();
                assert_eq!(last, [Bytes::from("d\n"), Bytes::from("e\n")], "{host}");

                let since = Logs {
                    since: Some(second_burst_start.floor() as i64),
                    ..Default::default()
                };
                let late = read_logs(&docker, &id, since).await;
                assert_eq!(text(&late, StdStream::Stdout), "d\n", "{host}");
                assert_eq!(text(&late, StdStream::Stderr), "e\n", "{host}");

                // `until` is API 1.35+: the v1.41 module's client (both daemons speak 1.41).
                let until = first_burst_end.floor() as i64 + 1;
                let v41 = docker.v1_41();
                let request = v41
                    .container_logs()
                    .id(&id)
                    .stdout(true)
                    .stderr(true)
                    .until(until);
                let body = docker.call(request.send()).await.unwrap();
                let early: Vec<LogChunk> = streams::log_stream(body, Framing::Multiplexed)
                    .map(|c| c.unwrap())
                    .collect()
                    .await;
                assert_eq!(text(&early, StdStream::Stdout), "a\nb\n", "{host}");
                assert_eq!(text(&early, StdStream::Stderr), "c\n", "{host}");
            },
            remove(&docker, &id),
        )
        .await;
    }
}

// ---------------------------------------------------------------- events -----

/// `(Type, Action, the test label)` of each event, decoded into module `T`'s `EventMessage`.
trait EventFields {
    fn fields(&self) -> (String, String, Option<String>);
}

macro_rules! event_fields {
    ($($module:ident),*) => {$(
        impl EventFields for $module::types::EventMessage {
            fn fields(&self) -> (String, String, Option<String>) {
                let label = self.actor.as_ref().and_then(|a| a.attributes.as_ref()).and_then(|a| a.get(LABEL).cloned());
                (
                    self.type_.as_ref().map(|t| t.to_string()).unwrap_or_default(),
                    self.action.clone().unwrap_or_default(),
                    label,
                )
            }
        }
    )*};
}
event_fields!(v1_41, v1_51);

const LABEL: &str = "dockerapi.test.streams";

async fn events(docker: &Docker, since: i64, until: i64, label: &str) -> ByteStream {
    let filters =
        serde_json::json!({"type": ["container"], "label": [format!("{LABEL}={label}")]}).to_string();
    with_api!(docker.api(), async |c, _api| -> _ {
        let request = c
            .system_events()
            .since(since.to_string())
            .until(until.to_string())
            .filters(filters);
        docker.call(request.send()).await.unwrap()
    })
}

async fn typed_events<T: serde::de::DeserializeOwned + EventFields>(
    docker: &Docker,
    since: i64,
    until: i64,
    label: &str,
) -> Vec<(String, String, Option<String>)> {
    let items = streams::events::<T>(events(docker, since, until, label).await);
    // `until` bounds the stream: it ends by itself.
    let items = tokio::time::timeout(PATIENCE, items.collect::<Vec<_>>()).await;
    let items = items.expect("a bounded event stream ends");
    items.into_iter().map(|e| e.unwrap().fields()).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn events_filtered_and_bounded() {
    for host in daemons() {
        let docker = negotiated(&host).await;
        build_test_image(&docker).await;
        let name = unique("events");
        let since = now() - 1;
        let cmd = ["true"];
        let spec = Spec {
            cmd: &cmd,
            labels: &[(LABEL, &name)],
            ..Default::default()
        };
        let id = run(&docker, &name, spec).await;
        // A container without the label, in the same window: filtered out.
        let other = run(
            &docker,
            &unique("events-other"),
            Spec {
                cmd: &cmd,
                ..Default::default()
            },
        )
        .await;
        wait_exit(&docker, &id).await;
        wait_exit(&docker, &other).await;
        remove(&docker, &id).await;
        remove(&docker, &other).await;
        let until = now() + 1;

        let v41 = typed_events::<v1_41::types::EventMessage>(&docker, since, until, &name).await;
        let v51 = typed_events::<v1_51::types::EventMessage>(&docker, since, until, &name).await;
        assert_eq!(v41, v51, "{host}: the same items through either module's type");
        let actions: Vec<&str> = v41.iter().map(|(_, a, _)| a.as_str()).collect();
        let wanted = ["create", "start", "die", "destroy"];
        let mut at = 0;
        for action in &actions {
            if wanted.get(at) == Some(action) {
                at += 1;
            }
        }
        assert_eq!(at, wanted.len(), "{host}: {wanted:?} in order in {actions:?}");
        for (kind, action, label) in &v41 {
            assert_eq!(kind, "container", "{host}: {action}");
            assert_eq!(label.as_deref(), Some(name.as_str()), "{host}: {action}");
        }
    }
}

// ----------------------------------------------------------------- build -----

const FAILING_STEP: &str = r#"RUN ["/bin/busybox", "sh", "-c", "echo about to fail && false"]"#;

/// A classic build through `module`'s client (`networkmode` is API 1.25+, so not every module
/// has it), decoded into that module's `BuildInfo`: each item's `stream` text, `ID <id>` for
/// the image ID item, or the error.
macro_rules! classic_build {
    ($module:ident, $docker:expr, $context:expr, $tag:expr) => {{
        let client = $docker.$module();
        let request = client
            .image_build()
            .networkmode("none")
            .rm(true)
            .forcerm(true)
            .body($context);
        let request = match $tag {
            Some(tag) => request.t(tag),
            None => request,
        };
        let body = $docker.call(request.send()).await.unwrap();
        let items: Vec<Result<$module::types::BuildInfo, Error>> =
            streams::build_progress(body).collect().await;
        let shown = |item: $module::types::BuildInfo| match streams::build_image_id(&item) {
            Some(id) => format!("ID {id}"),
            None => item.stream.unwrap_or_default(),
        };
        items
            .into_iter()
            .map(|item| item.map(shown))
            .collect::<Vec<Result<String, Error>>>()
    }};
}

#[tokio::test(flavor = "multi_thread")]
async fn classic_build_progress_and_a_failing_step() {
    for host in daemons() {
        let docker = negotiated(&host).await;
        let tag = format!("{}:latest", unique("build"));
        let items = classic_build!(v1_41, docker, busybox_context_with("CMD [\"sh\"]"), Some(&tag));
        let items: Vec<String> = items.into_iter().map(|i| i.unwrap()).collect();
        let ids: Vec<&String> = items.iter().filter(|i| i.starts_with("ID sha256:")).collect();
        assert_eq!(ids.len(), 1, "{host}: {items:?}");
        let image_id = with_api!(docker.api(), async |c, _api| -> Option<String> {
            let image = docker.call(c.image_inspect().name(&tag).send()).await.unwrap();
            docker.call(c.image_delete().name(&tag).send()).await.unwrap();
            image.id
        });
        assert_eq!(
            image_id.map(|id| format!("ID {id}")).as_ref(),
            Some(ids[0]),
            "{host}"
        );

        let items = classic_build!(v1_51, docker, busybox_context_with(FAILING_STEP), None::<&str>);
        let (last, before) = items.split_last().unwrap();
        assert!(before.iter().all(Result::is_ok), "{host}: {before:?}");
        assert!(
            before.iter().any(|i| i.as_ref().unwrap() == "about to fail\n"),
            "{host}: the step's output comes before the error: {before:?}"
        );
        match last {
            Err(Error::Stream { message, code }) => {
                assert_eq!(*code, Some(1), "{host}");
                assert!(
                    message.contains("returned a non-zero code: 1"),
                    "{host}: {message}"
                );
            }
            other => panic!("{host}: {other:?}"),
        }
    }
}

/// A BuildKit build (`version=2`, API 1.38+, so a plain request rather than every module's
/// client), decoded into module `T`'s `BuildInfo`.
async fn buildkit_build<T: serde::de::DeserializeOwned + serde::Serialize>(
    docker: &Docker,
    context: Vec<u8>,
    query: &str,
) -> Vec<Result<T, Error>> {
    let mut url = docker.url(&["build"]).unwrap();
    url.set_query(Some(&format!("version=2&networkmode=none&{query}")));
    let response = docker
        .http()
        .post(url)
        .header("Content-Type", "application/x-tar")
        .body(context)
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    let body = ByteStream::new(Box::pin(response.bytes_stream()));
    streams::build_progress(body).collect().await
}

#[tokio::test(flavor = "multi_thread")]
async fn buildkit_progress_and_a_failing_step() {
    for host in daemons() {
        let docker = negotiated(&host).await;
        let tag = format!("{}:latest", unique("buildkit"));
        let items = buildkit_build::<v1_41::types::BuildInfo>(
            &docker,
            busybox_context_with("CMD [\"sh\"]"),
            &format!("t={tag}"),
        )
        .await;
        let items: Vec<_> = items
            .into_iter()
            .map(|i| i.unwrap_or_else(|e| panic!("{host}: {e}")))
            .collect();
        // Base64 progress traces decode (without their `aux`) into the spec's type.
        assert!(
            items
                .iter()
                .any(|i| i.id.as_deref() == Some("moby.buildkit.trace")),
            "{host}"
        );
        let ids: Vec<String> = items.iter().filter_map(streams::build_image_id).collect();
        assert_eq!(ids.len(), 1, "{host}");
        let image_id = with_api!(docker.api(), async |c, _api| -> Option<String> {
            let image = docker.call(c.image_inspect().name(&tag).send()).await.unwrap();
            docker.call(c.image_delete().name(&tag).send()).await.unwrap();
            image.id
        });
        assert_eq!(image_id.as_ref(), Some(&ids[0]), "{host}");

        let items =
            buildkit_build::<v1_51::types::BuildInfo>(&docker, busybox_context_with(FAILING_STEP), "").await;
        let (last, before) = items.split_last().unwrap();
        assert!(before.iter().all(Result::is_ok), "{host}");
        match last {
            Err(Error::Stream { message, code: None }) => {
                assert!(message.contains("exit code: 1"), "{host}: {message}")
            }
            other => panic!("{host}: {other:?}"),
        }
    }
}

// ----------------------------------------------------------------- stats -----

#[tokio::test(flavor = "multi_thread")]
async fn stats_stream_of_a_running_container() {
    for host in daemons() {
        let docker = negotiated(&host).await;
        build_test_image(&docker).await;
        let name = unique("stats");
        let id = run(
            &docker,
            &name,
            Spec {
                cmd: &["sleep", "60"],
                ..Default::default()
            },
        )
        .await;
        finally(
            async {
                let body = with_api!(docker.api(), async |c, _api| -> _ {
                    docker
                        .call(c.container_stats().id(&id).stream(true).send())
                        .await
                        .unwrap()
                });
                // Typed where the module has the type (1.48+); any module's stream is the same.
                let items = streams::stats::<v1_51::types::ContainerStatsResponse>(body).take(2);
                let items = tokio::time::timeout(PATIENCE, items.collect::<Vec<_>>())
                    .await
                    .unwrap();
                assert_eq!(items.len(), 2, "{host}: a stream, not one answer");
                for item in items {
                    let item = item.unwrap_or_else(|e| panic!("{host}: {e}"));
                    assert!(item.read.is_some(), "{host}: {item:?}");
                }
            },
            remove(&docker, &id),
        )
        .await;
    }
}
