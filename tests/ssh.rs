//! `ssh://` daemons against both test daemons, through the test ssh server
//! (`DOCKER_TEST_SSH_HOST`, with the client configuration `DOCKER_TEST_SSH_CONFIG`; see
//! `scripts/test-daemons.sh`): the same daemon as its unix socket, a multiplexed log stream and
//! an interactive exec through the tunnel, and the `ssh` failures a user meets, explained.

mod support;

use docker_engine_api::streams::{self, StdStream};
use docker_engine_api::{ConnectReason, Docker, Error, with_api};
use futures_util::TryStreamExt;
use support::*;

fn var(name: &str) -> String {
    std::env::var(name)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| {
            panic!("{name} is not set: start the test services with `eval \"$(scripts/test-daemons.sh)\"`")
        })
}

/// `ssh://root@127.0.0.1:2222/<the socket of daemon>`.
fn ssh_host(daemon: &str) -> String {
    let socket = daemon
        .strip_prefix("unix://")
        .expect("the test daemons are unix sockets");
    format!("{}{socket}", var("DOCKER_TEST_SSH_HOST"))
}

async fn connect_ssh(host: &str, extra: &[&str]) -> Result<Docker, Error> {
    let mut options = vec!["-F".to_string(), var("DOCKER_TEST_SSH_CONFIG")];
    options.extend(extra.iter().map(|o| o.to_string()));
    Docker::builder().host(host)?.ssh_options(options).connect().await
}

async fn system_id(docker: &Docker) -> Option<String> {
    with_api!(docker.api(), async |c, _api| -> Option<String> {
        docker.call(c.system_info().send()).await.unwrap().id
    })
}

#[tokio::test]
async fn both_daemons_over_ssh() {
    for daemon in daemons() {
        let host = ssh_host(&daemon);
        let docker = connect_ssh(&host, &[])
            .await
            .unwrap_or_else(|e| panic!("{host}: {e}"));
        let local = negotiated(&daemon).await;
        assert_eq!(docker.endpoint().to_string(), host);
        assert_eq!(
            docker.daemon(),
            local.daemon(),
            "{host}: negotiated as over the socket"
        );
        let id = system_id(&docker).await;
        assert!(
            id.is_some() && id == system_id(&local).await,
            "{host}: the same daemon"
        );

        // A container writing to both streams, read as a multiplexed log stream.
        let tag = busybox_image(&docker, "ssh").await;
        let id = with_api!(docker.api(), async |c, api| -> _ {
            let created = docker
                .call(
                    c.container_create()
                        .body_map(|mut b| {
                            b.image = Some(tag.clone());
                            b.cmd = Some(vec![
                                "sh".into(),
                                "-c".into(),
                                "echo out; echo err >&2; exec sleep 30".into(),
                            ]);
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
        let framing = streams::container_framing(&docker, &id).await.unwrap();
        let mut seen = Vec::new();
        for _ in 0..50 {
            let body = with_api!(docker.api(), async |c, _api| docker
                .call(c.container_logs().id(id.clone()).stdout(true).stderr(true).send())
                .await)
            .unwrap();
            seen = streams::log_stream(body, framing)
                .try_collect::<Vec<_>>()
                .await
                .unwrap();
            if seen.len() == 2 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        // The two streams are separate pipes in the container: their order is not kept.
        let mut seen: Vec<_> = seen
            .iter()
            .map(|c| (c.stream == StdStream::Stderr, c.bytes.to_vec()))
            .collect();
        seen.sort();
        assert_eq!(
            seen,
            [(false, b"out\n".to_vec()), (true, b"err\n".to_vec())],
            "{host}"
        );

        // An interactive exec: the upgraded connection runs through the tunnel, half-close too.
        assert_eq!(
            exec_cat(&docker, &id, b"over ssh\n").await,
            b"over ssh\n",
            "{host}"
        );

        with_api!(docker.api(), async |c, _api| -> () {
            docker
                .call(c.container_delete().id(id.clone()).force(true).send())
                .await
                .unwrap();
        });
        remove_image(&docker, &tag).await;
    }
}

#[tokio::test]
async fn ssh_failures_are_explained() {
    let daemon = daemons().remove(0);
    let host = ssh_host(&daemon);
    let reason = |r: Result<Docker, Error>| match r {
        Err(Error::Connect {
            reason: ConnectReason::Ssh(why),
            endpoint,
            ..
        }) => (endpoint, why),
        other => panic!("expected an ssh failure, got {other:?}"),
    };

    // The server's host key is not known: ssh refuses (BatchMode: no prompt, no hang).
    let (endpoint, why) = reason(connect_ssh(&host, &["-o", "UserKnownHostsFile=/dev/null"]).await);
    assert_eq!(endpoint, host);
    assert!(why.contains("Host key verification failed"), "{why}");

    // Logged in, but no daemon at that remote socket: the remote CLI's reason.
    let nowhere = format!("{}/run/nothing.sock", var("DOCKER_TEST_SSH_HOST"));
    let (_, why) = reason(connect_ssh(&nowhere, &[]).await);
    assert!(
        why.contains("/run/nothing.sock") && why.contains("no such file"),
        "{why}"
    );

    // No key the server accepts.
    let (_, why) = reason(connect_ssh(&host, &["-o", "PubkeyAuthentication=no"]).await);
    assert!(why.contains("Permission denied"), "{why}");

    let err = Docker::builder().host("ssh://").unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err}");
}
