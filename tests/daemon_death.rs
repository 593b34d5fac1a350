//! A daemon that dies mid-request, mid-stream and under an attached exec, then comes back:
//! a dockerd of this test's own (`DOCKER_TEST_DOCKERD`, with its own socket, data root and exec
//! root), killed with SIGKILL and restarted; never one of the shared test daemons.

mod support;

use docker_engine_api::{Docker, Error, streams, with_api};
use futures_util::StreamExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use tokio::io::AsyncWriteExt;

/// The test's own dockerd, on a containerd of its own that outlives it: killing dockerd
/// leaves the containers to that containerd, and a restarted dockerd finds them there.
struct Victim {
    dir: PathBuf,
    containerd: Child,
    dockerd: Option<Child>,
}

impl Victim {
    fn new() -> Victim {
        let dir = PathBuf::from(format!("/tmp/dea-victim-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let d = dir.display();
        let config = format!(
            "version = 2\nroot = \"{d}/containerd-root\"\nstate = \"{d}/containerd-state\"\n\
             disabled_plugins = [\"io.containerd.grpc.v1.cri\"]\n\
             [grpc]\n  address = \"{d}/containerd.sock\"\n\
             [plugins.\"io.containerd.internal.v1.opt\"]\n  path = \"{d}/containerd-opt\"\n"
        );
        std::fs::write(dir.join("containerd.toml"), config).unwrap();
        let containerd = Command::new("containerd")
            .arg("--config")
            .arg(dir.join("containerd.toml"))
            .stdin(Stdio::null())
            .stdout(log(&dir, "containerd.log"))
            .stderr(log(&dir, "containerd.log"))
            .spawn()
            .expect("containerd (installed with docker.io by scripts/test-daemons.sh)");
        Victim {
            dir,
            containerd,
            dockerd: None,
        }
    }

    fn host(&self) -> String {
        format!("unix://{}/docker.sock", self.dir.display())
    }

    /// Starts dockerd and waits until it answers.
    async fn start(&mut self) -> Docker {
        let dockerd = std::env::var("DOCKER_TEST_DOCKERD").expect(
            "DOCKER_TEST_DOCKERD is not set: start the test daemons with \
             `eval \"$(scripts/test-daemons.sh)\"`, then rerun",
        );
        let d = &self.dir;
        let child = Command::new(dockerd)
            .args(["--host", &self.host()])
            .arg(format!("--containerd={}", d.join("containerd.sock").display()))
            .arg(format!("--data-root={}", d.join("data").display()))
            .arg(format!("--exec-root={}", d.join("exec").display()))
            .arg(format!("--pidfile={}", d.join("dockerd.pid").display()))
            .args(["--cgroup-parent", "/dea-victim", "--bridge", "none"])
            .args(["--iptables=false", "--ip6tables=false"])
            .stdin(Stdio::null())
            .stdout(log(d, "dockerd.log"))
            .stderr(log(d, "dockerd.log"))
            .spawn()
            .unwrap();
        self.dockerd = Some(child);
        for _ in 0..240 {
            let b = Docker::builder().host(&self.host()).unwrap();
            if let Ok(docker) = b.connect().await {
                return docker;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        let log = std::fs::read_to_string(self.dir.join("dockerd.log")).unwrap_or_default();
        panic!("the test's dockerd did not start:\n{log}");
    }

    /// SIGKILL: the daemon dies with its connections open.
    fn kill(&mut self) {
        let mut child = self.dockerd.take().expect("running");
        child.kill().unwrap();
        child.wait().unwrap();
    }
}

fn log(dir: &std::path::Path, name: &str) -> std::fs::File {
    let path = dir.join(name);
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .unwrap()
}

impl Drop for Victim {
    fn drop(&mut self) {
        // A clean stop of dockerd, then of containerd; then whatever a failed test left (shims
        // of containers it did not remove) and its mounts.
        let term = |pid: u32| Command::new("kill").arg(pid.to_string()).status();
        if let Some(mut dockerd) = self.dockerd.take() {
            let _ = term(dockerd.id());
            let _ = dockerd.wait();
        }
        let _ = term(self.containerd.id());
        let _ = self.containerd.wait();
        let dir = self.dir.display().to_string();
        let _ = Command::new("pkill").args(["-KILL", "-f", &dir]).status();
        let mounts = std::fs::read_to_string("/proc/self/mounts").unwrap_or_default();
        for point in mounts.lines().rev().filter_map(|l| l.split(' ').nth(1)) {
            if point.starts_with(&dir) {
                let _ = Command::new("umount").args(["-l", point]).status();
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Creates and starts a `sleep` container; returns its id.
async fn sleeper(docker: &Docker, image: &str) -> String {
    with_api!(docker.api(), async |c, _api| -> _ {
        let created = docker
            .call(
                c.container_create()
                    .body_map(|mut b| {
                        b.image = Some(image.to_string());
                        b.cmd = Some(vec!["sleep".into(), "600".into()]);
                        b.host_config = Some(Default::default());
                        b.host_config.as_mut().unwrap().network_mode = Some("none".into());
                        b
                    })
                    .send(),
            )
            .await
            .unwrap();
        let id = created.id.unwrap();
        docker
            .call(c.container_start().id(id.as_str()).send())
            .await
            .unwrap();
        id
    })
}

/// An interactive exec of `cmd` in container `id`.
async fn exec(docker: &Docker, id: &str, cmd: &[&str]) -> docker_engine_api::hijack::Attached {
    let exec = with_api!(docker.api(), async |c, _api| -> String {
        docker
            .call(
                c.container_exec()
                    .id(id)
                    .body_map(|mut b| {
                        b.cmd = Some(cmd.iter().map(|s| s.to_string()).collect());
                        b.attach_stdin = Some(true);
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
    docker.exec_attach(&exec).await.unwrap()
}

fn lost_or_gone(e: &Error) -> bool {
    matches!(e, Error::ConnectionLost { .. } | Error::Connect { .. })
}

#[tokio::test]
async fn a_dying_daemon_is_told_apart_from_an_ending_process() {
    let mut victim = Victim::new();
    let docker = victim.start().await;
    let image = support::busybox_image(&docker, "victim").await;
    let id = sleeper(&docker, &image).await;

    // An exec that exits: its output ends and `wait` gives its code.
    let mut done = exec(&docker, &id, &["sh", "-c", "echo bye; exit 3"]).await;
    let output: Vec<_> = done.output.by_ref().collect().await;
    assert!(output.iter().all(Result::is_ok), "{output:?}");
    assert_eq!(done.wait().await.unwrap(), 3);

    // Mid-stream, mid-request and under an attached exec, the daemon dies.
    let body = with_api!(docker.api(), async |c, _api| docker
        .call(c.system_events().send())
        .await)
    .unwrap();
    let events = streams::events::<serde_json::Value>(body);
    let wait = tokio::spawn({
        let docker = docker.clone();
        let id = id.clone();
        async move {
            with_api!(docker.api(), async |c, _api| docker
                .call(c.container_wait().id(id.as_str()).send())
                .await
                .map(drop))
        }
    });
    let mut cat = exec(&docker, &id, &["cat"]).await;
    let mut stdin = cat.stdin.take().unwrap();
    stdin.write_all(b"ping\n").await.unwrap();
    let echoed = cat.output.next().await.unwrap().unwrap();
    assert_eq!(&echoed.bytes[..], b"ping\n");
    tokio::time::sleep(Duration::from_millis(200)).await;
    victim.kill();

    // The events so far (exec_create, ...), then the loss, not a clean end.
    let items: Vec<_> = tokio::time::timeout(Duration::from_secs(30), events.collect())
        .await
        .expect("the events stream noticed");
    let (last, before) = items.split_last().expect("items");
    assert!(before.iter().all(Result::is_ok), "{items:?}");
    let err = last.as_ref().unwrap_err();
    assert!(matches!(err, Error::ConnectionLost { .. }), "events: {err:?}");
    let err = wait.await.unwrap().unwrap_err();
    assert!(matches!(err, Error::ConnectionLost { .. }), "wait: {err:?}");
    assert!(err.to_string().contains("lost"), "{err}");
    // The attached output ends (a hijacked stream cannot tell why); `wait` tells.
    let rest: Vec<_> = cat.output.by_ref().collect().await;
    assert!(rest.iter().all(Result::is_ok), "{rest:?}");
    let err = cat.wait().await.unwrap_err();
    assert!(lost_or_gone(&err), "exec wait: {err:?}");

    // The daemon comes back: the same client works again, over new connections.
    let _restarted = victim.start().await;
    let info = with_api!(docker.api(), async |c, _api| docker
        .call(c.system_info().send())
        .await
        .map(|i| i.id));
    assert!(info.is_ok(), "{info:?}");
    with_api!(docker.api(), async |c, _api| -> () {
        docker
            .call(c.container_delete().id(id.as_str()).force(true).send())
            .await
            .unwrap();
    });
    support::remove_image(&docker, &image).await;
}
