//! The programs of examples/, each run as a child process against every test daemon
//! (`DOCKER_TEST_HOSTS`, `DOCKER_HOST` set per run), asserting on their output and exit status;
//! and the sizes docs/everyday.md gives for them and for their bollard versions
//! (bench/examples-bollard/examples/), counted again.
//!
//! The example binaries are built once, by `cargo build --examples` with this test's features
//! and target directory (nothing to do when `cargo test` has built them already; `cargo test
//! --test examples` does not).

mod support;

use docker_engine_api::{Docker, Filters, with_api};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use support::*;

/// Longest any example may take before it is killed and the test fails.
const EXAMPLE_TIMEOUT: Duration = Duration::from_secs(120);

/// target/<profile>/examples, once `cargo build --examples` has brought it up to date.
fn examples_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        // target/<profile>/deps/examples-<hash>
        let exe = std::env::current_exe().expect("the test binary's path");
        let profile_dir = exe.parent().and_then(Path::parent).expect("target/<profile>");
        let target_dir = profile_dir.parent().expect("the target directory");
        // The same feature set as this test's, so that the library is not built again.
        let mut features: Vec<String> = docker_engine_api::ENABLED_MINORS
            .iter()
            .map(|m| format!("v1_{m}"))
            .collect();
        for (on, name) in [
            (cfg!(feature = "latest"), "latest"),
            (cfg!(feature = "tls"), "tls"),
        ] {
            if on {
                features.push(name.into());
            }
        }
        let mut cargo = Command::new(env!("CARGO"));
        cargo
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("CARGO_TARGET_DIR", target_dir)
            .args(["build", "--examples", "--features", &features.join(",")]);
        if !cfg!(feature = "default") {
            cargo.arg("--no-default-features");
        }
        if profile_dir.file_name().is_some_and(|p| p == "release") {
            cargo.arg("--release");
        }
        let status = cargo.status().expect("run cargo");
        assert!(status.success(), "cargo build --examples failed: {status}");
        profile_dir.join("examples")
    })
}

/// What an example did.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {:?}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// Runs example `name` against `host` with `args`, `env` and `input` on its stdin.
fn example(name: &str, host: &str, args: &[&str], env: &[(&str, &str)], input: &[u8]) -> Run {
    let path = examples_dir().join(name);
    let mut child = Command::new(&path)
        .args(args)
        .env("DOCKER_HOST", host)
        .env_remove("DOCKER_API_VERSION")
        .env_remove("DOCKER_CONTEXT")
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    // A writer thread, and readers in threads, so that no pipe fills up while we wait.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let read = |mut r: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut s = String::new();
            let _ = r.read_to_string(&mut s);
            s
        })
    };
    let stdout = read(Box::new(child.stdout.take().unwrap()));
    let stderr = read(Box::new(child.stderr.take().unwrap()));
    let deadline = Instant::now() + EXAMPLE_TIMEOUT;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("example {name} {args:?} on {host}: still running after {EXAMPLE_TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    writer.join().unwrap();
    Run {
        code: status.code(),
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    }
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

/// Creates a container of `image` running `cmd` (network `none`) with `labels`; started or not.
async fn container(
    docker: &Docker,
    image: &str,
    cmd: &[&str],
    labels: &[(&str, &str)],
    start: bool,
) -> String {
    with_api!(docker.api(), async |c, api| -> _ {
        let created = docker
            .call(
                c.container_create()
                    .name(unique("example"))
                    .body_map(|mut b| {
                        b.image = Some(image.into());
                        b.cmd = Some(cmd.iter().map(|s| s.to_string()).collect());
                        b.labels = Some(
                            labels
                                .iter()
                                .map(|(k, v)| (k.to_string(), v.to_string()))
                                .collect(),
                        );
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
        if start {
            docker.call(c.container_start().id(&id).send()).await.unwrap();
        }
        id
    })
}

async fn remove_container(docker: &Docker, id: &str) {
    with_api!(docker.api(), async |c, _api| -> () {
        docker
            .call(c.container_delete().id(id).force(true).send())
            .await
            .unwrap();
    });
}

/// Whether image `name` is on the daemon.
async fn has_image(docker: &Docker, name: &str) -> bool {
    with_api!(docker.api(), async |c, _api| -> bool {
        docker.call(c.image_inspect().name(name).send()).await.is_ok()
    })
}

#[tokio::test]
async fn ps_lists_the_containers_with_a_label() {
    for host in daemons() {
        let docker = negotiated(&host).await;
        let image = busybox_image(&docker, "example-ps").await;
        let label = unique("ps");
        let labelled = container(
            &docker,
            &image,
            &["true"],
            &[("dockerapi.example", &label)],
            false,
        )
        .await;
        let other = container(
            &docker,
            &image,
            &["true"],
            &[("dockerapi.example", "other")],
            false,
        )
        .await;
        let run = example("ps", &host, &[&format!("dockerapi.example={label}")], &[], b"");
        remove_container(&docker, &labelled).await;
        remove_container(&docker, &other).await;
        remove_image(&docker, &image).await;
        assert_eq!(run.code, Some(0), "{host}: {run:?}");
        let lines: Vec<&str> = run.stdout.lines().collect();
        assert_eq!(lines.len(), 1, "{host}: only the labelled container: {run:?}");
        let fields: Vec<&str> = lines[0].split_whitespace().collect();
        assert_eq!(fields[0], &labelled[..12], "{host}: {run:?}");
        assert!(
            fields[1].starts_with("dockerapi-test-example-"),
            "{host}: {run:?}"
        );
        assert_eq!(fields[2], "Created", "{host}: {run:?}");
    }
}

#[tokio::test]
async fn run_builds_the_image_runs_prints_and_exits_with_the_code() {
    for host in daemons() {
        let docker = negotiated(&host).await;
        let image = format!(
            "dockerapi-test/{}:latest",
            unique("example-run").trim_start_matches("dockerapi-test-")
        );
        let busybox = std::env::var("DOCKER_TEST_BUSYBOX").unwrap_or_else(|_| "/bin/busybox".into());
        let env = [("EXAMPLE_IMAGE", image.as_str()), ("BUSYBOX", busybox.as_str())];
        let script = "echo out; echo err >&2; exit 7";
        let first = example("run", &host, &["sh", "-c", script], &env, b"");
        let second = example("run", &host, &[], &env, b"");
        let left = with_api!(docker.api(), async |c, _api| -> usize {
            let list = docker.call(
                c.container_list()
                    .all(true)
                    .filters(Filters::new().ancestor(&image))
                    .send(),
            );
            list.await.unwrap().iter().flatten().count()
        });
        let built = has_image(&docker, &image).await;
        if built {
            remove_image(&docker, &image).await;
        }
        assert!(built, "{host}: the example built {image}: {first:?}");
        assert_eq!(first.code, Some(7), "{host}: {first:?}");
        assert_eq!(first.stdout, "out\n", "{host}: {first:?}");
        assert!(first.stderr.contains("err\n"), "{host}: {first:?}");
        assert!(
            first.stderr.contains(&format!("built {image}")),
            "{host}: {first:?}"
        );
        assert_eq!(second.code, Some(0), "{host}: {second:?}");
        assert!(second.stdout.starts_with("hello from "), "{host}: {second:?}");
        assert!(
            !second.stderr.contains("built"),
            "{host}: built only when missing: {second:?}"
        );
        assert_eq!(left, 0, "{host}: the containers are removed");
    }
}

#[tokio::test]
async fn logs_follows_until_the_container_exits() {
    for host in daemons() {
        let docker = negotiated(&host).await;
        let image = busybox_image(&docker, "example-logs").await;
        let script = "echo one; echo two >&2; sleep 2; echo three";
        let id = container(&docker, &image, &["sh", "-c", script], &[], true).await;
        let started = Instant::now();
        let run = example("logs", &host, &[&id], &[], b"");
        let took = started.elapsed();
        remove_container(&docker, &id).await;
        remove_image(&docker, &image).await;
        assert_eq!(run.code, Some(0), "{host}: {run:?}");
        assert_eq!(run.stdout, "one\nthree\n", "{host}: {run:?}");
        assert_eq!(run.stderr, "two\n", "{host}: {run:?}");
        assert!(
            took >= Duration::from_secs(1),
            "{host}: followed, not a snapshot: {took:?}"
        );
    }
}

#[tokio::test]
async fn exec_pipes_stdin_and_returns_the_exit_code() {
    for host in daemons() {
        let docker = negotiated(&host).await;
        let image = busybox_image(&docker, "example-exec").await;
        let id = container(&docker, &image, &["sleep", "300"], &[], true).await;
        let script = "tr a-z A-Z; echo done >&2; exit 3";
        let run = example("exec", &host, &[&id, "sh", "-c", script], &[], b"hello\nworld\n");
        remove_container(&docker, &id).await;
        remove_image(&docker, &image).await;
        assert_eq!(run.code, Some(3), "{host}: {run:?}");
        assert_eq!(run.stdout, "HELLO\nWORLD\n", "{host}: {run:?}");
        assert_eq!(run.stderr, "done\n", "{host}: {run:?}");
    }
}

#[tokio::test]
async fn build_honours_dockerignore_and_prints_the_image_id() {
    for host in daemons() {
        let docker = negotiated(&host).await;
        let image = busybox_image(&docker, "example-build").await;
        let dir = std::env::temp_dir().join(unique("example-build"));
        std::fs::create_dir_all(dir.join("logs")).unwrap();
        let dockerfile = format!("FROM {image}\nCOPY . /ctx/\nRUN find /ctx | sort\n");
        for (name, text) in [
            ("Dockerfile", dockerfile.as_str()),
            (".dockerignore", "secret.txt\n*.log\nlogs/*.log\n!logs/keep.log\n"),
            ("kept.txt", "kept"),
            ("secret.txt", "secret"),
            ("debug.log", "log"),
            ("logs/drop.log", "log"),
            ("logs/keep.log", "log"),
        ] {
            std::fs::write(dir.join(name), text).unwrap();
        }
        let tag = format!(
            "dockerapi-test/{}:latest",
            unique("example-built").trim_start_matches("dockerapi-test-")
        );
        let run = example("build", &host, &[dir.to_str().unwrap(), &tag], &[], b"");
        std::fs::remove_dir_all(&dir).unwrap();
        let built_id = with_api!(docker.api(), async |c, _api| -> Option<String> {
            docker
                .call(c.image_inspect().name(&tag).send())
                .await
                .ok()
                .and_then(|i| i.id.clone())
        });
        if built_id.is_some() {
            remove_image(&docker, &tag).await;
        }
        remove_image(&docker, &image).await;
        assert_eq!(run.code, Some(0), "{host}: {run:?}");
        for kept in [
            "/ctx/kept.txt",
            "/ctx/Dockerfile",
            "/ctx/.dockerignore",
            "/ctx/logs/keep.log",
        ] {
            assert!(run.stdout.contains(kept), "{host}: {kept} sent: {run:?}");
        }
        for ignored in ["secret.txt", "debug.log", "drop.log"] {
            assert!(
                !run.stdout.contains(ignored),
                "{host}: {ignored} ignored: {run:?}"
            );
        }
        let printed = run.stdout.lines().find_map(|l| l.strip_prefix("image id: "));
        assert_eq!(printed, built_id.as_deref(), "{host}: {run:?}");
    }
}

#[tokio::test]
async fn events_of_labelled_containers_end_at_until() {
    for host in daemons() {
        let docker = negotiated(&host).await;
        let image = busybox_image(&docker, "example-events").await;
        let since = now().to_string();
        let label = unique("events");
        let id = container(&docker, &image, &["true"], &[("dockerapi.example", &label)], true).await;
        let other = container(&docker, &image, &["true"], &[], true).await;
        with_api!(docker.api(), async |c, _api| -> () {
            docker.call(c.container_wait().id(&id).send()).await.unwrap();
        });
        remove_container(&docker, &id).await;
        remove_container(&docker, &other).await;
        let until = (now() + 1).to_string();
        let run = example(
            "events",
            &host,
            &[&format!("dockerapi.example={label}"), &since, &until],
            &[],
            b"",
        );
        remove_image(&docker, &image).await;
        assert_eq!(run.code, Some(0), "{host}: {run:?}");
        let actions: Vec<&str> = run
            .stdout
            .lines()
            .map(|l| {
                let fields: Vec<&str> = l.split_whitespace().collect();
                assert_eq!(fields[1], "container", "{host}: {run:?}");
                assert_eq!(
                    fields[3],
                    &id[..12],
                    "{host}: only the labelled container: {run:?}"
                );
                fields[2]
            })
            .collect();
        assert_eq!(actions, ["create", "start", "die", "destroy"], "{host}: {run:?}");
    }
}

#[tokio::test]
async fn pull_uses_the_stored_credentials() {
    let registry = test_registry();
    let config = registry.stored_credentials_dir("example-pull-config");
    let empty = std::env::temp_dir().join(unique("example-pull-empty"));
    std::fs::create_dir_all(&empty).unwrap();
    for host in daemons() {
        let docker = negotiated(&host).await;
        let image = busybox_image(&docker, "example-pull").await;
        let repo = format!("{}/{}", registry.address, unique("example-pull"));
        let remote = format!("{repo}:latest");
        with_api!(docker.api(), async |c, _api| -> () {
            let tag = c.image_tag().name(&image).repo(&repo).tag("latest");
            docker.call(tag.send()).await.unwrap();
        });
        registry.push(&docker, &repo, "latest").await;
        remove_image(&docker, &remote).await;
        let refused = example(
            "pull",
            &host,
            &[&remote],
            &[("DOCKER_CONFIG", empty.to_str().unwrap())],
            b"",
        );
        let run = example(
            "pull",
            &host,
            &[&remote],
            &[("DOCKER_CONFIG", config.to_str().unwrap())],
            b"",
        );
        let pulled = has_image(&docker, &remote).await;
        if pulled {
            remove_image(&docker, &remote).await;
        }
        remove_image(&docker, &image).await;
        assert_ne!(
            refused.code,
            Some(0),
            "{host}: no credentials, no pull: {refused:?}"
        );
        assert_eq!(run.code, Some(0), "{host}: {run:?}");
        assert!(
            run.stdout.ends_with(&format!("pulled {remote}\n")),
            "{host}: {run:?}"
        );
        assert!(
            run.stdout.contains("Status: "),
            "{host}: the progress is printed: {run:?}"
        );
        assert!(pulled, "{host}: {run:?}");
    }
    std::fs::remove_dir_all(&config).unwrap();
    std::fs::remove_dir_all(&empty).unwrap();
}

/// The example uses the v1_55 module, and is only built with it (`required-features`).
#[cfg(feature = "v1_55")]
#[tokio::test]
async fn versions_takes_the_newer_path_where_the_daemon_has_it() {
    for host in daemons() {
        let docker = negotiated(&host).await;
        let run = example("versions", &host, &[], &[], b"");
        assert_eq!(run.code, Some(0), "{host}: {run:?}");
        let wire = docker.api_version();
        assert!(
            run.stdout.contains(&format!("API v{wire} on the wire")),
            "{host}: {run:?}"
        );
        if wire.minor >= 46 {
            assert!(
                run.stdout.contains("path: since 1.46, containerd at /"),
                "{host}: {run:?}"
            );
        } else {
            assert!(
                run.stdout.contains("path: fallback, server version "),
                "{host}: {run:?}"
            );
        }
    }
}

/// Non-blank lines that are not `//` comments: the size docs/everyday.md gives.
fn code_lines(path: &Path) -> usize {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("//"))
        .count()
}

#[test]
fn the_sizes_in_docs_everyday_are_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let page = std::fs::read_to_string(root.join("docs/everyday.md")).unwrap();
    let mut tasks = Vec::new();
    // Rows of the table: | `task` | ours | bollard | …
    for row in page.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let task = cells[1].trim_matches('`');
        let ours = code_lines(&root.join("examples").join(format!("{task}.rs")));
        let bollard = code_lines(
            &root
                .join("bench/examples-bollard/examples")
                .join(format!("{task}.rs")),
        );
        assert_eq!(
            (cells[2], cells[3]),
            (ours.to_string().as_str(), bollard.to_string().as_str()),
            "docs/everyday.md, {task}: the sizes are now {ours} (ours) and {bollard} (bollard)"
        );
        tasks.push(task.to_string());
    }
    let mut examples: Vec<String> = std::fs::read_dir(root.join("examples"))
        .unwrap()
        .filter_map(|e| {
            e.unwrap()
                .file_name()
                .to_str()?
                .strip_suffix(".rs")
                .map(str::to_string)
        })
        // Not one of the eight tasks: the progress bars of pull and build (docs/everyday.md).
        .filter(|name| name != "progress")
        .collect();
    examples.sort();
    tasks.sort();
    assert_eq!(tasks, examples, "docs/everyday.md has a row for every example");
}

#[tokio::test]
async fn progress_draws_a_bar_per_layer_of_a_build_and_a_pull() {
    let registry = test_registry();
    let config = registry.stored_credentials_dir("example-progress-config");
    for host in daemons() {
        let docker = negotiated(&host).await;
        let base = busybox_image(&docker, "example-progress").await;
        // A layer of its own on top of the base, so that the pull has one to download.
        let dir = std::env::temp_dir().join(unique("example-progress"));
        std::fs::create_dir_all(&dir).unwrap();
        let dockerfile = format!("FROM {base}\nRUN echo {} > /unique\n", dir.display());
        std::fs::write(dir.join("Dockerfile"), dockerfile).unwrap();
        let repo = format!("{}/{}", registry.address, unique("example-progress"));
        let remote = format!("{repo}:latest");
        let built = example(
            "progress",
            &host,
            &["build", dir.to_str().unwrap(), &remote],
            &[],
            b"",
        );
        registry.push(&docker, &repo, "latest").await;
        remove_image(&docker, &remote).await;
        let pulled = example(
            "progress",
            &host,
            &["pull", &remote],
            &[("DOCKER_CONFIG", config.to_str().unwrap())],
            b"",
        );
        let usage = example("progress", &host, &["pull"], &[], b"");
        remove_image(&docker, &remote).await;
        remove_image(&docker, &base).await;
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(built.code, Some(0), "{host}: {built:?}");
        assert!(
            built.stdout.contains("Step 2/2 : RUN echo"),
            "{host}: build output above the bars: {built:?}"
        );
        assert_eq!(pulled.code, Some(0), "{host}: {pulled:?}");
        // Each layer's last status, one line per layer id (12 hex digits), when the stream ends.
        let layers: Vec<&str> = pulled
            .stdout
            .lines()
            .filter(|l| {
                l.split_once(": ")
                    .is_some_and(|(id, _)| id.len() == 12 && id.bytes().all(|b| b.is_ascii_hexdigit()))
            })
            .collect();
        assert!(
            layers.iter().any(|l| l.ends_with(": Pull complete")),
            "{host}: the new layer was downloaded: {pulled:?}"
        );
        assert!(
            pulled
                .stdout
                .contains(&format!("Status: Downloaded newer image for {remote}")),
            "{host}: {pulled:?}"
        );
        assert_ne!(usage.code, Some(0), "{host}: {usage:?}");
        assert!(
            usage.stderr.contains("usage: progress pull IMAGE"),
            "{host}: {usage:?}"
        );
    }
    std::fs::remove_dir_all(&config).unwrap();
}
