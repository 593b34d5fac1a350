//! Shared by the daemon tests: where the daemons are, the test image's build context, names.
#![allow(dead_code)]

pub mod dropped;
pub mod fake;

use docker_engine_api::{ApiVersion, Docker, with_api};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The daemons to test against, from `DOCKER_TEST_HOSTS` (printed by `scripts/test-daemons.sh`).
/// Missing daemons fail the test, in CI and outside it: a skipped daemon test is not a pass.
pub fn daemons() -> Vec<String> {
    let hosts = std::env::var("DOCKER_TEST_HOSTS").unwrap_or_default();
    let hosts: Vec<String> = hosts.split_whitespace().map(str::to_string).collect();
    assert!(
        !hosts.is_empty(),
        "DOCKER_TEST_HOSTS is not set: start the test daemons with \
         `eval \"$(scripts/test-daemons.sh)\"` (installs Docker 20.10 and 28 as root), then rerun"
    );
    hosts
}

/// Podman's Docker-compatible service (`DOCKER_TEST_PODMAN`, printed by
/// `scripts/test-daemons.sh`), for the tests whose behaviour holds on Podman too; it is not one
/// of [`daemons`]. Where the test daemons are expected (in CI, or once the script ran:
/// `DOCKER_TEST_HOSTS` is set) a missing Podman fails the test; elsewhere it is `None`.
pub fn podman() -> Option<String> {
    let host = std::env::var("DOCKER_TEST_PODMAN").unwrap_or_default();
    if !host.trim().is_empty() {
        return Some(host.trim().to_string());
    }
    let expected = std::env::var_os("CI").is_some() || std::env::var_os("DOCKER_TEST_HOSTS").is_some();
    assert!(
        !expected,
        "DOCKER_TEST_PODMAN is not set: start the test daemons with \
         `eval \"$(scripts/test-daemons.sh)\"` (or only Podman: `--start-podman`), then rerun"
    );
    eprintln!("DOCKER_TEST_PODMAN is not set: the Podman part of this test did not run");
    None
}

/// [`daemons`] and, when there, [`podman`]: for tests whose behaviour holds on all of them.
pub fn daemons_and_podman() -> Vec<String> {
    let mut hosts = daemons();
    hosts.extend(podman());
    hosts
}

/// Connects with negotiation.
pub async fn negotiated(host: &str) -> Docker {
    Docker::builder()
        .host(host)
        .unwrap()
        .connect()
        .await
        .unwrap_or_else(|e| panic!("{host}: {e}"))
}

/// Connects pinned to `1.minor` (that module, that wire version).
pub async fn pinned(host: &str, minor: u32) -> Docker {
    let b = Docker::builder()
        .host(host)
        .unwrap()
        .version(ApiVersion::v1(minor));
    b.connect().await.unwrap_or_else(|e| panic!("{host}: {e}"))
}

/// A build context: the static busybox (`DOCKER_TEST_BUSYBOX`) in an image `FROM scratch`,
/// with its applets installed.
pub fn busybox_context() -> Vec<u8> {
    busybox_context_with("RUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\nCMD [\"sh\"]")
}

/// A build context: Dockerfile `lines` after `FROM scratch` + `COPY busybox /bin/busybox`.
pub fn busybox_context_with(lines: &str) -> Vec<u8> {
    let busybox_path = std::env::var("DOCKER_TEST_BUSYBOX").unwrap_or_else(|_| "/bin/busybox".into());
    let busybox = std::fs::read(&busybox_path).unwrap_or_else(|e| {
        panic!("{busybox_path}: {e} (install busybox-static or run scripts/test-daemons.sh)")
    });
    let dockerfile = format!("FROM scratch\nCOPY busybox /bin/busybox\n{lines}\n");
    tar_of(&[
        ("Dockerfile", dockerfile.as_bytes(), 0o644),
        ("busybox", &busybox, 0o755),
    ])
}

/// A tar archive of `(name, contents, mode)` files.
pub fn tar_of(files: &[(&str, &[u8], u32)]) -> Vec<u8> {
    let mut tar = tar::Builder::new(Vec::new());
    for (name, data, mode) in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(*mode);
        header.set_cksum();
        tar.append_data(&mut header, name, *data).unwrap();
    }
    tar.into_inner().unwrap()
}

/// A name no other test (or run) uses.
pub fn unique(prefix: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    format!(
        "dockerapi-test-{prefix}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// Reads a byte stream to the end.
pub async fn collect(stream: docker_engine_api::ByteStream) -> Vec<u8> {
    use futures_util::TryStreamExt;
    let chunks: Vec<_> = stream.into_inner().try_collect().await.expect("read the body");
    chunks.concat()
}

/// A TCP proxy on 127.0.0.1 in front of a unix-socket daemon that records the request lines
/// (`GET /v1.41/info HTTP/1.1`) it forwards: proof of what goes on the wire.
pub struct RecordingProxy {
    pub host: String,
    pub requests: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl RecordingProxy {
    pub async fn start(daemon: &str) -> RecordingProxy {
        let socket = daemon
            .strip_prefix("unix://")
            .expect("the test daemons are unix sockets")
            .to_string();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let host = format!("tcp://{}", listener.local_addr().unwrap());
        let requests = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = requests.clone();
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let unix = tokio::net::UnixStream::connect(&socket).await.unwrap();
                let log = log.clone();
                tokio::spawn(async move {
                    use tokio::io::{AsyncReadExt, AsyncWriteExt};
                    let (mut tcp_r, mut tcp_w) = tcp.into_split();
                    let (mut unix_r, mut unix_w) = unix.into_split();
                    let upstream = async move {
                        let mut buf = vec![0u8; 64 * 1024];
                        loop {
                            let n = match tcp_r.read(&mut buf).await {
                                Ok(0) | Err(_) => break,
                                Ok(n) => n,
                            };
                            for line in String::from_utf8_lossy(&buf[..n]).split("\r\n") {
                                let method = line.split(' ').next().unwrap_or("");
                                if ["GET", "HEAD", "POST", "PUT", "DELETE"].contains(&method)
                                    && line.ends_with("HTTP/1.1")
                                {
                                    log.lock().unwrap().push(line.to_string());
                                }
                            }
                            if unix_w.write_all(&buf[..n]).await.is_err() {
                                break;
                            }
                        }
                        let _ = unix_w.shutdown().await;
                    };
                    let downstream = async move {
                        let _ = tokio::io::copy(&mut unix_r, &mut tcp_w).await;
                        let _ = tcp_w.shutdown().await;
                    };
                    tokio::join!(upstream, downstream);
                });
            }
        });
        RecordingProxy { host, requests }
    }

    pub fn lines(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

/// Builds the busybox test image ([`busybox_context`]) on `docker` under a tag of its own;
/// [`remove_image`] removes that tag.
///
/// Every such build is the same image, so tests running at once share it (and its cached
/// steps). The image also keeps the tag [`ANCHOR`]: removing a test's tag then only untags
/// it, and never deletes the image or prunes the cached steps under a concurrent build
/// (which failed with "failed to get digest" or "unrecognized image ID").
pub async fn busybox_image(docker: &Docker, prefix: &str) -> String {
    let tag = format!(
        "dockerapi-test/{}:latest",
        unique(prefix).trim_start_matches("dockerapi-test-")
    );
    let out = with_api!(docker.api(), async |c, _api| -> _ {
        collect(
            docker
                .call(c.image_build().t(tag.clone()).body(busybox_context()).send())
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
    let (repo, anchor) = ANCHOR.split_once(':').unwrap();
    with_api!(docker.api(), async |c, _api| -> () {
        docker
            .call(c.image_tag().name(&tag).repo(repo).tag(anchor).send())
            .await
            .unwrap();
    });
    tag
}

/// The tag that keeps the busybox test image on the test daemons (see [`busybox_image`]).
pub const ANCHOR: &str = "dockerapi-test/anchor:busybox";

/// Removes a test image (and any container still using it).
pub async fn remove_image(docker: &Docker, tag: &str) {
    with_api!(docker.api(), async |c, _api| -> () {
        docker
            .call(c.image_delete().name(tag).force(true).send())
            .await
            .unwrap();
    });
}

/// Runs `cat` as an interactive exec in the running container `id`: writes `input`, closes
/// stdin (a half-close of the upgraded connection) and returns what came back on stdout,
/// asserting that nothing came on stderr.
pub async fn exec_cat(docker: &Docker, id: &str, input: &[u8]) -> Vec<u8> {
    use futures_util::TryStreamExt;
    use tokio::io::AsyncWriteExt;
    let exec = with_api!(docker.api(), async |c, _api| -> String {
        docker
            .call(
                c.container_exec()
                    .id(id)
                    .body_map(|mut b| {
                        b.cmd = Some(vec!["cat".into()]);
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
    let mut attached = docker.exec_attach(&exec).await.unwrap();
    let mut stdin = attached.stdin.take().expect("upgraded connection");
    stdin.write_all(input).await.unwrap();
    stdin.shutdown().await.unwrap();
    let mut out = Vec::new();
    while let Some(chunk) = attached.output.try_next().await.unwrap() {
        assert_eq!(
            chunk.stream,
            docker_engine_api::streams::StdStream::Stdout,
            "{chunk:?}"
        );
        out.extend_from_slice(&chunk.bytes);
    }
    out
}

/// The test registry of `scripts/test-daemons.sh` (`DOCKER_TEST_REGISTRY`, with a password).
pub struct TestRegistry {
    /// `host:port`.
    pub address: String,
    /// `user:password` (`DOCKER_TEST_REGISTRY_AUTH`).
    pub credentials: String,
    /// The same credentials for `X-Registry-Auth`.
    pub auth: docker_engine_api::RegistryAuth,
}

/// The test registry; missing or empty variables fail the test.
pub fn test_registry() -> TestRegistry {
    let var = |name: &str| {
        std::env::var(name).ok().filter(|v| !v.is_empty()).unwrap_or_else(|| {
            panic!("{name} is not set: start the test daemons and registry with `eval \"$(scripts/test-daemons.sh)\"`")
        })
    };
    let address = var("DOCKER_TEST_REGISTRY");
    let credentials = var("DOCKER_TEST_REGISTRY_AUTH");
    let (user, password) = credentials
        .split_once(':')
        .expect("DOCKER_TEST_REGISTRY_AUTH is user:password");
    let auth = docker_engine_api::RegistryAuth::new(&address, user, password);
    TestRegistry {
        address,
        credentials,
        auth,
    }
}

impl TestRegistry {
    /// A new `DOCKER_CONFIG` directory whose `config.json` stores these credentials, as
    /// `docker login` does. The caller removes it.
    pub fn stored_credentials_dir(&self, prefix: &str) -> std::path::PathBuf {
        use base64::Engine as _;
        let dir = std::env::temp_dir().join(unique(prefix));
        std::fs::create_dir_all(&dir).unwrap();
        let encoded = base64::engine::general_purpose::STANDARD.encode(&self.credentials);
        let json = serde_json::json!({ "auths": { self.address.clone(): { "auth": encoded } } });
        std::fs::write(dir.join("config.json"), json.to_string()).unwrap();
        dir
    }

    /// Pushes `repo:tag` with these credentials; an error item of the progress fails the test.
    pub async fn push(&self, docker: &Docker, repo: &str, tag: &str) {
        use futures_util::TryStreamExt;
        with_api!(docker.api(), async |c, _api| -> () {
            let push = c
                .image_push()
                .name(repo)
                .tag(tag)
                .x_registry_auth(self.auth.header());
            let body = docker.call(push.send()).await.unwrap();
            docker_engine_api::streams::pull_progress::<serde_json::Value>(body)
                .try_for_each(|_| async { Ok(()) })
                .await
                .unwrap_or_else(|e| panic!("push {repo}:{tag}: {e}"));
        });
    }
}
