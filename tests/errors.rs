//! Errors from real daemons and real sockets, by phase.

mod support;

use docker_engine_api::{ConnectReason, Docker, Error, streams, with_api};
use futures_util::StreamExt;
use support::*;

#[tokio::test]
async fn a_missing_socket_names_the_path() {
    let err = Docker::builder()
        .host("unix:///nonexistent/docker.sock")
        .unwrap()
        .connect()
        .await
        .unwrap_err();
    match &err {
        Error::Connect {
            endpoint,
            reason: ConnectReason::NotFound,
            ..
        } => {
            assert_eq!(endpoint, "unix:///nonexistent/docker.sock")
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("/nonexistent/docker.sock"), "{err}");
}

#[tokio::test]
async fn nothing_listening_on_tcp_is_refused() {
    // A port just freed on loopback: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let err = Docker::builder()
        .host(&format!("tcp://127.0.0.1:{port}"))
        .unwrap()
        .connect()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Connect {
                reason: ConnectReason::Refused,
                ..
            }
        ),
        "{err:?}"
    );
}

/// Run as an unprivileged user by `a_socket_without_permission_says_so` (root can open any
/// socket, so the check needs another user).
#[tokio::test]
#[ignore = "run by a_socket_without_permission_says_so as an unprivileged user"]
async fn permission_denied_child() {
    let host = std::env::var("DOCKER_TEST_PERMISSION_HOST").expect("set by the parent test");
    let err = Docker::builder()
        .host(&host)
        .unwrap()
        .connect()
        .await
        .unwrap_err();
    match &err {
        Error::Connect {
            reason: ConnectReason::PermissionDenied,
            ..
        } => {}
        other => panic!("expected permission denied, got {other:?}"),
    }
    assert!(err.to_string().contains("permission denied"), "{err}");
}

#[test]
fn a_socket_without_permission_says_so() {
    use std::os::unix::process::CommandExt;
    let daemon = daemons().remove(0);
    let socket = daemon.strip_prefix("unix://").unwrap();
    let exe = std::env::current_exe().unwrap();
    let out = std::process::Command::new(exe)
        .args(["--exact", "permission_denied_child", "--ignored", "--nocapture"])
        .env("DOCKER_TEST_PERMISSION_HOST", format!("unix://{socket}"))
        .uid(65534)
        .gid(65534)
        .output()
        .expect("run the test binary as nobody");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success() && text.contains("1 passed"), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn daemon_errors_carry_status_and_message() {
    for daemon in daemons() {
        let docker = negotiated(&daemon).await;
        let context = busybox_context();
        with_api!(docker.api(), async |c, api| -> () {
            // 404
            let err = docker
                .call(
                    c.container_inspect()
                        .id("dockerapi-test-no-such-container")
                        .send(),
                )
                .await
                .unwrap_err();
            assert!(
                matches!(&err, Error::Daemon { status: 404, message } if message.contains("No such container")),
                "{err:?}"
            );
            assert_eq!(err.status(), Some(404));

            // 409: a second container with the same name.
            let tag = format!("dockerapi-test/errors-{}:latest", std::process::id());
            let built = collect(
                docker
                    .call(c.image_build().t(tag.clone()).body(context.clone()).send())
                    .await
                    .unwrap(),
            )
            .await;
            assert!(!String::from_utf8_lossy(&built).contains("errorDetail"));
            let name = unique("dup");
            let create = || {
                c.container_create().name(name.clone()).body_map(|mut b| {
                    b.image = Some(tag.clone());
                    b.cmd = Some(vec!["sleep".into(), "30".into()]);
                    b.host_config = Some(api::types::HostConfig {
                        network_mode: Some("none".into()),
                        ..Default::default()
                    });
                    b
                })
            };
            let id = docker.call(create().send()).await.unwrap().id.unwrap();
            let err = docker.call(create().send()).await.unwrap_err();
            assert!(
                matches!(&err, Error::Daemon { status: 409, message } if message.contains("already in use")),
                "{err:?}"
            );

            // 304 is success: start a running container, stop a stopped one.
            docker
                .call(c.container_start().id(id.clone()).send())
                .await
                .unwrap();
            docker
                .call(c.container_start().id(id.clone()).send())
                .await
                .expect("304 on start is success");
            docker
                .call(c.container_stop().id(id.clone()).t(0).send())
                .await
                .unwrap();
            docker
                .call(c.container_stop().id(id.clone()).send())
                .await
                .expect("304 on stop is success");
            docker
                .call(c.container_delete().id(id.clone()).send())
                .await
                .unwrap();
            docker
                .call(c.image_delete().name(tag.clone()).send())
                .await
                .unwrap();

            // 500: a build context that is not a tar archive.
            let Err(err) = docker
                .call(c.image_build().body(b"not a tar archive".to_vec()).send())
                .await
            else {
                panic!("a build of a non-tar context succeeded");
            };
            assert!(
                matches!(&err, Error::Daemon { status: 500, message } if message.contains("unexpected EOF")),
                "{err:?}"
            );
        });
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_request_timeout_is_a_timeout_error() {
    for daemon in daemons() {
        let docker = negotiated(&daemon).await;
        let impatient = Docker::builder()
            .host(&daemon)
            .unwrap()
            .version(docker.api_version())
            .request_timeout(std::time::Duration::from_millis(300))
            .connect()
            .await
            .unwrap();
        let context = busybox_context();
        let tag = format!("dockerapi-test/timeout-{}:latest", std::process::id());
        let id = with_api!(docker.api(), async |c, api| -> _ {
            let built = collect(
                docker
                    .call(c.image_build().t(tag.clone()).body(context.clone()).send())
                    .await
                    .unwrap(),
            )
            .await;
            assert!(!String::from_utf8_lossy(&built).contains("errorDetail"));
            // `sleep` as PID 1 ignores SIGTERM: stopping it waits `t` seconds before SIGKILL.
            let created = docker
                .call(
                    c.container_create()
                        .body_map(|mut b| {
                            b.image = Some(tag.clone());
                            b.cmd = Some(vec!["sleep".into(), "60".into()]);
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
            let id = created.id.unwrap();
            docker
                .call(c.container_start().id(id.clone()).send())
                .await
                .unwrap();
            id
        });
        let err = with_api!(impatient.api(), async |c, _api| -> _ {
            impatient
                .call(c.container_stop().id(id.clone()).t(5).send())
                .await
                .unwrap_err()
        });
        assert!(
            matches!(&err, Error::Timeout { endpoint: Some(endpoint) } if *endpoint == daemon),
            "{err:?}"
        );
        // A stream that outlives the timeout: the error item is a timeout too.
        let logs = with_api!(impatient.api(), async |c, _api| impatient
            .call(c.container_logs().id(id.clone()).follow(true).stdout(true).send())
            .await)
        .unwrap();
        let items: Vec<_> = streams::log_stream(logs, streams::Framing::Multiplexed)
            .collect()
            .await;
        let last = items.last().expect("an item");
        assert!(
            matches!(last, Err(Error::Timeout { endpoint: None })),
            "{items:?}"
        );
        assert!(
            last.as_ref()
                .unwrap_err()
                .to_string()
                .contains("timed out reading a stream")
        );
        with_api!(docker.api(), async |c, _api| -> () {
            docker
                .call(c.container_delete().id(id.clone()).force(true).send())
                .await
                .unwrap();
            docker
                .call(c.image_delete().name(tag.clone()).send())
                .await
                .unwrap();
        });
    }
}

/// Every message of an error's chain, outermost first.
fn chain(e: &(dyn std::error::Error + 'static)) -> Vec<String> {
    let mut out = vec![e.to_string()];
    let mut cur = e.source();
    while let Some(s) = cur {
        out.push(s.to_string());
        cur = s.source();
    }
    out
}

/// An error's chain, as `anyhow` prints it, says each thing once and shows no internal URL
/// (`http://docker.sock/...` on unix sockets): the endpoint is named as the user wrote it.
#[tokio::test]
async fn error_chains_say_each_thing_once_without_internal_urls() {
    let refused_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let hang_up = support::fake::Fake::unix(|req| {
        support::fake::Reply::negotiation(req).unwrap_or_else(support::fake::Reply::hang_up)
    })
    .await;
    let mut errors = Vec::new();
    for host in [
        "unix:///nonexistent/docker.sock".to_string(),
        format!("tcp://127.0.0.1:{refused_port}"),
    ] {
        errors.push(
            Docker::builder()
                .host(&host)
                .unwrap()
                .connect()
                .await
                .unwrap_err(),
        );
    }
    let docker = Docker::builder()
        .host(&hang_up.host)
        .unwrap()
        .connect()
        .await
        .unwrap();
    errors.push(
        with_api!(docker.api(), async |c, _api| docker
            .call(c.system_info().send())
            .await
            .map(drop))
        .unwrap_err(),
    );
    for err in &errors {
        let messages = chain(err);
        for pair in messages.windows(2) {
            assert!(!pair[0].contains(&pair[1]), "repeated: {messages:#?}");
        }
        assert!(
            !messages.iter().any(|m| m.contains("docker.sock/")),
            "{messages:#?}"
        );
    }
    assert!(
        matches!(errors[2], Error::ConnectionLost { .. }),
        "{:?}",
        errors[2]
    );
}
