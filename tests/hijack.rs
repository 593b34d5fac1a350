//! Interactive attach and exec over hijacked connections, on both daemons.

mod support;

use docker_engine_api::hijack::AttachOptions;
use docker_engine_api::streams::StdStream;
use docker_engine_api::{Docker, Error, with_api};
use futures_util::TryStreamExt;
use support::*;
use tokio::io::AsyncWriteExt;

/// Creates (not starts) a container with network mode none.
async fn create(docker: &Docker, image: &str, cmd: &[&str], tty: bool, stdin: bool) -> String {
    let cmd: Vec<String> = cmd.iter().map(|s| s.to_string()).collect();
    with_api!(docker.api(), async |c, api| -> String {
        let created = docker
            .call(
                c.container_create()
                    .body_map(|mut b| {
                        b.image = Some(image.to_string());
                        b.cmd = Some(cmd);
                        b.tty = Some(tty);
                        b.open_stdin = Some(stdin);
                        b.stdin_once = Some(stdin);
                        b.attach_stdin = Some(stdin);
                        b.attach_stdout = Some(true);
                        b.attach_stderr = Some(true);
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
        created.id.unwrap()
    })
}

async fn start(docker: &Docker, id: &str) {
    with_api!(docker.api(), async |c, _api| docker
        .call(c.container_start().id(id).send())
        .await)
    .unwrap();
}

async fn remove(docker: &Docker, id: &str) {
    with_api!(docker.api(), async |c, _api| docker
        .call(c.container_delete().id(id).force(true).send())
        .await)
    .unwrap();
}

/// Reads all output, split by stream.
async fn read_all(attached: &mut docker_engine_api::hijack::Attached) -> (String, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    while let Some(chunk) = attached.output.try_next().await.unwrap() {
        match chunk.stream {
            StdStream::Stderr => err.extend_from_slice(&chunk.bytes),
            _ => out.extend_from_slice(&chunk.bytes),
        }
    }
    (
        String::from_utf8_lossy(&out).into_owned(),
        String::from_utf8_lossy(&err).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn attach_stdin_round_trips_through_cat() {
    for daemon in daemons() {
        let docker = negotiated(&daemon).await;
        let image = busybox_image(&docker, "hijack").await;
        let id = create(&docker, &image, &["cat"], false, true).await;
        let options = AttachOptions {
            stdin: true,
            stdout: true,
            stderr: true,
            ..Default::default()
        };
        let mut attached = docker.attach(&id, &options).await.unwrap();
        start(&docker, &id).await;
        let mut stdin = attached.stdin.take().expect("upgraded connection");
        stdin.write_all(b"hello through cat\n").await.unwrap();
        // Half-close: cat reads EOF and exits, which ends the output.
        stdin.shutdown().await.unwrap();
        let (out, err) = read_all(&mut attached).await;
        assert_eq!(out, "hello through cat\n", "{daemon}");
        assert_eq!(err, "");
        remove(&docker, &id).await;
        remove_image(&docker, &image).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn exec_interactive_and_not_with_exit_codes() {
    for daemon in daemons() {
        let docker = negotiated(&daemon).await;
        let image = busybox_image(&docker, "hijack").await;
        let id = create(&docker, &image, &["sleep", "60"], false, false).await;
        start(&docker, &id).await;

        // Interactive: stdin through `cat`.
        assert_eq!(exec_cat(&docker, &id, b"ping\n").await, b"ping\n", "{daemon}");

        // Not interactive: both streams and the exit code.
        let exec = with_api!(docker.api(), async |c, _api| -> String {
            docker
                .call(
                    c.container_exec()
                        .id(id.clone())
                        .body_map(|mut b| {
                            b.cmd = Some(vec![
                                "sh".into(),
                                "-c".into(),
                                "echo out; echo err >&2; exit 7".into(),
                            ]);
                            b.attach_stdout = Some(true);
                            b.attach_stderr = Some(true);
                            b
                        })
                        .send(),
                )
                .await
                .unwrap()
                .id
                .unwrap()
        });
        let mut attached = docker.exec_attach(&exec).await.unwrap();
        let (out, err) = read_all(&mut attached).await;
        assert_eq!((out.as_str(), err.as_str()), ("out\n", "err\n"), "{daemon}");
        let code = with_api!(docker.api(), async |c, _api| -> Option<i64> {
            docker
                .call(c.exec_inspect().id(exec.clone()).send())
                .await
                .unwrap()
                .exit_code
        });
        assert_eq!(code, Some(7));

        // Started again: an error, not text in the output.
        match docker.exec_attach(&exec).await {
            Err(Error::Daemon { status: 409, message }) => {
                assert!(message.contains("already run (exit code 7)"), "{message}")
            }
            other => panic!("{daemon}: {other:?}"),
        }
        remove(&docker, &id).await;
        remove_image(&docker, &image).await;
    }
}

/// A created, never started exec attaches on every daemon (Podman reports it as `ExitCode 0,
/// Pid 0` where Docker has `ExitCode null`), and attaching again once it ran is refused, exit
/// code 0 included (Podman then reports `Pid 0` again).
#[tokio::test(flavor = "multi_thread")]
async fn a_created_exec_attaches_and_a_finished_one_is_refused() {
    for daemon in daemons_and_podman() {
        let docker = negotiated(&daemon).await;
        let image = busybox_image(&docker, "hijack").await;
        let id = create(&docker, &image, &["sleep", "60"], false, false).await;
        start(&docker, &id).await;
        for (script, code) in [("echo ran; exit 3", 3), ("echo ran", 0)] {
            let exec = with_api!(docker.api(), async |c, _api| {
                let created = c.container_exec().id(id.clone()).body_map(|mut b| {
                    b.cmd = Some(vec!["sh".into(), "-c".into(), script.into()]);
                    b.attach_stdout = Some(true);
                    b.attach_stderr = Some(true);
                    b
                });
                Ok::<_, Error>(docker.call(created.send()).await?.id.unwrap())
            })
            .unwrap();
            let mut attached = docker
                .exec_attach(&exec)
                .await
                .unwrap_or_else(|e| panic!("{daemon}: a created exec: {e}"));
            assert_eq!(
                read_all(&mut attached).await,
                ("ran\n".into(), "".into()),
                "{daemon}"
            );
            assert_eq!(attached.wait().await.unwrap(), code, "{daemon}");
            match docker.exec_attach(&exec).await {
                Err(Error::Daemon { status: 409, message }) => {
                    let expected = format!("already run (exit code {code})");
                    assert!(message.contains(&expected), "{daemon}: {message}")
                }
                other => panic!("{daemon}: {script}: {other:?}"),
            }
        }
        remove(&docker, &id).await;
        remove_image(&docker, &image).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn tty_attach_is_raw_and_resizes() {
    for daemon in daemons() {
        let docker = negotiated(&daemon).await;
        let image = busybox_image(&docker, "hijack").await;
        let id = create(
            &docker,
            &image,
            &["sh", "-c", "sleep 1; stty size; echo done"],
            true,
            false,
        )
        .await;
        let options = AttachOptions {
            stdout: true,
            stderr: true,
            ..Default::default()
        };
        let mut attached = docker.attach(&id, &options).await.unwrap();
        start(&docker, &id).await;
        attached.resize(33, 101).await.unwrap();
        let (out, err) = read_all(&mut attached).await;
        assert_eq!(err, "", "a TTY has one stream");
        assert!(
            out.contains("33 101") && out.contains("done"),
            "{daemon}: {out:?}"
        );
        remove(&docker, &id).await;
        remove_image(&docker, &image).await;
    }
}

/// `Attached::wait` gives the exit code of an attached container and of an interactive exec,
/// non-zero ones included, once their output has ended.
#[tokio::test(flavor = "multi_thread")]
async fn wait_gives_the_exit_code_of_attach_and_exec() {
    for daemon in daemons() {
        let docker = negotiated(&daemon).await;
        let image = busybox_image(&docker, "exit-code").await;
        let options = AttachOptions {
            stdin: true,
            stdout: true,
            stderr: true,
            ..Default::default()
        };
        let id = create(
            &docker,
            &image,
            &["sh", "-c", "read line; echo got $line; exit 5"],
            false,
            true,
        )
        .await;
        let mut attached = docker.attach(&id, &options).await.unwrap();
        start(&docker, &id).await;
        let mut stdin = attached.stdin.take().expect("upgraded");
        stdin.write_all(b"x\n").await.unwrap();
        let (out, _) = read_all(&mut attached).await;
        assert_eq!(out, "got x\n", "{daemon}");
        assert_eq!(attached.wait().await.unwrap(), 5, "{daemon}: attach");

        let sleeper = create(&docker, &image, &["sleep", "60"], false, false).await;
        start(&docker, &sleeper).await;
        let exec = with_api!(docker.api(), async |c, _api| -> String {
            docker
                .call(
                    c.container_exec()
                        .id(sleeper.as_str())
                        .body_map(|mut b| {
                            b.cmd = Some(vec!["sh".into(), "-c".into(), "echo bye >&2; exit 7".into()]);
                            b.attach_stdout = Some(true);
                            b.attach_stderr = Some(true);
                            b
                        })
                        .send(),
                )
                .await
                .unwrap()
                .id
                .unwrap()
        });
        let mut attached = docker.exec_attach(&exec).await.unwrap();
        let (_, err) = read_all(&mut attached).await;
        assert_eq!(err, "bye\n", "{daemon}");
        assert_eq!(attached.wait().await.unwrap(), 7, "{daemon}: exec");
        remove(&docker, &id).await;
        remove(&docker, &sleeper).await;
        remove_image(&docker, &image).await;
    }
}
