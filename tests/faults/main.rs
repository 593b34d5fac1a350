//! Fault injection: daemons that redirect, send huge or endless bodies, stall, drop the
//! connection or lie about their version (a fake daemon of this test, on loopback TCP and on
//! unix sockets), and hostile ids against the real daemons. Each test names the class of the
//! trust issue it covers.

#[path = "../support/mod.rs"]
mod support;

use docker_engine_api::v1_41::types;
use docker_engine_api::{Docker, Error, MAX_ERROR_BODY, RegistryAuth, streams};
use futures_util::StreamExt;
use std::time::Duration;
use support::fake::{Fake, Reply, Request};

/// Answers negotiation as a 1.41 daemon and everything else with `rest`.
fn daemon(
    rest: impl Fn(&Request) -> Reply + Send + Sync + 'static,
) -> impl Fn(&Request) -> Reply + Send + Sync {
    move |req| Reply::negotiation(req).unwrap_or_else(|| rest(req))
}

async fn connect(host: &str) -> Docker {
    let b = Docker::builder().host(host).unwrap();
    b.connect().await.unwrap_or_else(|e| panic!("{host}: {e}"))
}

/// Bounds a test step that must not hang.
async fn bounded<F: Future>(f: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(30), f)
        .await
        .expect("hung: the client should have given up by itself")
}

/// Class 1: a 3xx is an error naming the status and the `Location`; nothing reaches the other
/// server, neither the password of `/auth` nor `X-Registry-Auth`, from TCP or unix daemons.
#[tokio::test]
async fn redirects_are_never_followed() {
    let thief = Fake::tcp(|_| Reply::json("200 OK", "{}")).await;
    let to = thief.host.replace("tcp://", "http://");
    for on_unix in [false, true] {
        let location = format!("{to}/stolen");
        let handler = daemon(move |_| Reply::full("307 Temporary Redirect", &[("location", &location)], b""));
        let fake = if on_unix {
            Fake::unix(handler).await
        } else {
            Fake::tcp(handler).await
        };
        let docker = connect(&fake.host).await;
        let client = docker.v1_41();
        let is_redirect =
            |e: &Error| matches!(e, Error::Redirect { status: 307, location: Some(l) } if l.starts_with(&to));

        let auth = types::AuthConfig {
            username: Some("me".into()),
            password: Some("hunter2".into()),
            ..Default::default()
        };
        let err = docker
            .call(client.system_auth().body(auth).send())
            .await
            .unwrap_err();
        assert!(is_redirect(&err), "{err:?}");
        assert!(
            err.to_string().contains("307") && err.to_string().contains(&to),
            "{err}"
        );

        let header = RegistryAuth::new("127.0.0.1:5000", "me", "hunter2").header();
        let push = client
            .image_push()
            .name("127.0.0.1:5000/x")
            .x_registry_auth(header);
        let err = docker.call(push.send()).await.err().unwrap();
        assert!(is_redirect(&err), "{err:?}");

        let err = docker.upload("c", "/tmp", Vec::new()).await.unwrap_err();
        assert!(is_redirect(&err), "{err:?}");
        assert_eq!(fake.lines().len(), 5, "ping, version and the three requests");
        // The credentials went to the daemon named, and only there.
        let sent = fake.requests.lock().unwrap().clone();
        let password = |r: &Request| String::from_utf8_lossy(&r.body).contains("hunter2");
        assert!(sent.iter().any(|r| r.path() == "/v1.41/auth" && password(r)));
        assert!(
            sent.iter()
                .any(|r| r.headers.iter().any(|h| h.starts_with("x-registry-auth: ")))
        );
    }
    // Version negotiation does not move to another server either.
    let location = format!("{to}/_ping");
    let fake = Fake::tcp(move |_| Reply::full("302 Found", &[("location", &location)], b"")).await;
    let err = Docker::builder()
        .host(&fake.host)
        .unwrap()
        .connect()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Redirect { status: 302, .. }), "{err:?}");
    assert_eq!(
        thief.lines(),
        Vec::<String>::new(),
        "the other server got requests"
    );
}

/// Class 2: every id the facade puts in a path is percent-encoded: it names one object.
#[tokio::test]
async fn ids_are_encoded_in_every_hand_written_path() {
    let fake = Fake::unix(daemon(|_| {
        Reply::json("404 Not Found", r#"{"message":"no such object"}"#)
    }))
    .await;
    let docker = connect(&fake.host).await;
    let hostile = "victim/archive?path=/etc&x=";
    let _ = docker.upload(hostile, "/tmp", Vec::new()).await.unwrap_err();
    assert!(docker.download(hostile, "/tmp").await.is_err());
    let _ = docker.path_stat(hostile, "/tmp").await.unwrap_err();
    let _ = streams::container_framing(&docker, hostile).await.unwrap_err();
    let attach = docker.attach(hostile, &Default::default()).await;
    assert!(matches!(attach, Err(Error::Daemon { status: 404, .. })));
    let traversal = "x/../../containers/NAME";
    let exec = docker.exec_attach(traversal).await;
    assert!(matches!(exec, Err(Error::Daemon { status: 404, .. })));
    let _ = streams::exec_framing(&docker, traversal).await.unwrap_err();
    let encoded = "victim%2Farchive%3Fpath=%2Fetc&x=";
    assert_eq!(
        fake.lines()[2..],
        [
            format!("PUT /v1.41/containers/{encoded}/archive?path=%2Ftmp"),
            format!("GET /v1.41/containers/{encoded}/archive?path=%2Ftmp"),
            format!("HEAD /v1.41/containers/{encoded}/archive?path=%2Ftmp"),
            format!("GET /v1.41/containers/{encoded}/json"),
            format!("GET /v1.41/containers/{encoded}/json"),
            "GET /v1.41/exec/x%2F..%2F..%2Fcontainers%2FNAME/json".to_string(),
            "GET /v1.41/exec/x%2F..%2F..%2Fcontainers%2FNAME/json".to_string(),
        ]
    );
    // Ids that URL parsers would drop or resolve are refused before anything is sent.
    let sent = fake.lines().len();
    for bad in ["", ".", ".."] {
        assert!(
            matches!(docker.path_stat(bad, "/").await, Err(Error::Config(_))),
            "{bad:?}"
        );
        assert!(
            matches!(docker.exec_attach(bad).await, Err(Error::Config(_))),
            "{bad:?}"
        );
    }
    assert_eq!(fake.lines().len(), sent);
}

/// Class 2 against the real daemons: a hostile id writes nothing and starts nothing.
#[tokio::test]
async fn hostile_ids_reach_nothing_on_real_daemons() {
    for host in support::daemons() {
        let docker = support::negotiated(&host).await;
        let image = support::busybox_image(&docker, "hostile").await;
        let victim = support::unique("victim");
        let client = docker.v1_41();
        let body = types::ContainerCreateBody {
            image: Some(image.clone()),
            cmd: Some(vec!["sleep".into(), "60".into()]),
            host_config: Some(types::HostConfig {
                network_mode: Some("none".into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        docker
            .call(client.container_create().name(victim.as_str()).body(body).send())
            .await
            .unwrap();
        let tar = support::tar_of(&[("pwned", &b"x"[..], 0o644)]);
        let err = docker
            .upload(&format!("{victim}/archive?path=/etc&x="), "/tmp", tar)
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::Daemon { status: 404, .. }),
            "{host}: {err:?}"
        );
        let stat = docker.path_stat(&victim, "/etc/pwned").await;
        assert!(
            matches!(stat, Err(Error::Daemon { status: 404, .. })),
            "{host}: {stat:?}"
        );

        let err = docker
            .exec_attach(&format!("x/../../containers/{victim}"))
            .await
            .unwrap_err();
        assert!(!matches!(err, Error::Stream { .. }), "{host}: {err:?}");
        let inspect = docker
            .call(client.container_inspect().id(victim.as_str()).send())
            .await
            .unwrap();
        assert_eq!(
            inspect.state.and_then(|s| s.running),
            Some(false),
            "{host}: started"
        );
        docker
            .call(client.container_delete().id(victim.as_str()).force(true).send())
            .await
            .unwrap();
        support::remove_image(&docker, &image).await;
    }
}

/// Class 3: an error body is read up to 1 MiB and marked as cut, hand-written or generated.
#[tokio::test]
async fn error_bodies_are_capped() {
    const SIZE: usize = 24 << 20;
    let fake = Fake::tcp(daemon(|req| {
        let head = |ty: &str| {
            format!(
                "HTTP/1.1 500 Internal Server Error\r\ncontent-type: {ty}\r\ncontent-length: {SIZE}\r\n\r\n"
            )
        };
        if req.path().ends_with("/archive") {
            let chunks = (0..SIZE / 65536).map(|_| bytes::Bytes::from(vec![b'a'; 65536]));
            Reply::Streamed {
                head: head("text/plain"),
                chunks: Box::new(chunks),
                pause: Duration::ZERO,
            }
        } else {
            let open = br#"{"message":""#.to_vec();
            let close = br#""}"#.to_vec();
            let fill = vec![b'b'; SIZE - open.len() - close.len()];
            let chunks = [open, fill, close].into_iter().map(bytes::Bytes::from);
            Reply::Streamed {
                head: head("application/json"),
                chunks: Box::new(chunks),
                pause: Duration::ZERO,
            }
        }
    }))
    .await;
    let docker = connect(&fake.host).await;
    let hand_written = docker.download("c", "/").await.err().unwrap();
    let generated = docker
        .call(docker.v1_41().container_list().send())
        .await
        .unwrap_err();
    for err in [hand_written, generated] {
        let Error::Daemon { status: 500, message } = &err else {
            panic!("{err:?}")
        };
        assert!(message.len() <= MAX_ERROR_BODY + 100, "{} bytes", message.len());
        let tail = &message[message.len().saturating_sub(80)..];
        assert!(message.ends_with(docker_engine_api::TRUNCATED), "{tail}");
    }
}

/// Class 3: one endless JSON-lines line is one `TooLarge` item; memory stays flat. Measured in a
/// child process, where the peak RSS is this stream's alone.
#[test]
fn an_endless_line_keeps_memory_flat() {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["endless_line_child", "--exact", "--ignored", "--nocapture"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let peak_kb: u64 = stdout
        .lines()
        .find_map(|l| l.strip_prefix("peak-rss-kb "))
        .expect("the child reports its peak")
        .parse()
        .unwrap();
    // The line is 512 MiB; the decoder keeps at most its 16 MiB limit of it.
    assert!(peak_kb < 128 * 1024, "peak RSS {peak_kb} kB");
}

#[tokio::test]
#[ignore = "run by an_endless_line_keeps_memory_flat in its own process"]
async fn endless_line_child() {
    const LINE: usize = 512 << 20;
    let fake = Fake::tcp(daemon(|_| {
        let chunks = std::iter::once(bytes::Bytes::from_static(b"{\"a\":1}\n"))
            .chain((0..LINE / (1 << 20)).map(|_| bytes::Bytes::from(vec![b'x'; 1 << 20])))
            .chain(std::iter::once(bytes::Bytes::from_static(b"\n{\"b\":2}\n")));
        Reply::Streamed {
            head: "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n".into(),
            chunks: Box::new(chunks),
            pause: Duration::ZERO,
        }
    }))
    .await;
    let docker = connect(&fake.host).await;
    let body = docker.call(docker.v1_41().system_events().send()).await.unwrap();
    let items: Vec<_> = streams::events::<serde_json::Value>(body).collect().await;
    assert_eq!(items.len(), 3, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap()["a"], 1);
    assert!(matches!(&items[1], Err(Error::TooLarge { .. })), "{:?}", items[1]);
    assert_eq!(items[2].as_ref().unwrap()["b"], 2);
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let peak = status.lines().find_map(|l| l.strip_prefix("VmHWM:")).unwrap();
    println!("peak-rss-kb {}", peak.trim().trim_end_matches(" kB"));
}

/// Class 7: a daemon that accepts and never answers cannot hang `connect()`, on TCP or unix.
#[tokio::test]
async fn a_silent_daemon_cannot_hang_connect() {
    for fake in [
        Fake::tcp(|_| Reply::Silent).await,
        Fake::unix(|_| Reply::Silent).await,
    ] {
        let b = Docker::builder().host(&fake.host).unwrap();
        let err = bounded(b.connect_timeout(Duration::from_millis(500)).connect())
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
        assert!(err.to_string().contains(&fake.host), "{err}");
    }
}

/// An events stream that sends `lines` lines, each followed by `pause`, then closes.
fn trickle(lines: usize, pause: Duration) -> impl Fn(&Request) -> Reply + Send + Sync {
    daemon(move |_| Reply::Streamed {
        head: "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n".into(),
        chunks: Box::new((0..lines).map(|i| bytes::Bytes::from(format!("{{\"n\":{i}}}\n")))),
        pause,
    })
}

/// Class 7: long streams are not cut by default; a stalled one is detected by the read timeout.
#[tokio::test]
async fn streams_last_and_stalls_are_detected() {
    // Ten lines 150 ms apart outlast the connect timeout and the read timeout: all arrive.
    let fake = Fake::tcp(trickle(10, Duration::from_millis(150))).await;
    let b = Docker::builder().host(&fake.host).unwrap();
    let docker = b
        .connect_timeout(Duration::from_millis(500))
        .read_timeout(Duration::from_secs(1))
        .connect()
        .await
        .unwrap();
    let body = docker.call(docker.v1_41().system_events().send()).await.unwrap();
    let items: Vec<_> = bounded(streams::events::<serde_json::Value>(body).collect()).await;
    assert_eq!(items.len(), 10, "{items:?}");
    assert!(items.iter().all(Result::is_ok), "{items:?}");

    // Two lines, then a minute of silence: the read timeout ends the stream with a timeout.
    let fake = Fake::tcp(trickle(2, Duration::from_secs(60))).await;
    let b = Docker::builder().host(&fake.host).unwrap();
    let docker = b
        .read_timeout(Duration::from_millis(300))
        .connect()
        .await
        .unwrap();
    let body = docker.call(docker.v1_41().system_events().send()).await.unwrap();
    let mut events = streams::events::<serde_json::Value>(body);
    assert_eq!(bounded(events.next()).await.unwrap().unwrap()["n"], 0);
    let err = bounded(events.next()).await.unwrap().unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
}

/// Class 10: version strings the daemon garbles are protocol errors that say the daemon sent
/// them, not configuration errors.
#[tokio::test]
async fn bad_versions_from_the_daemon_are_protocol_errors() {
    let fake = Fake::tcp(|_| Reply::full("200 OK", &[("api-version", "1.41; rm -rf /")], b"OK")).await;
    let err = Docker::builder()
        .host(&fake.host)
        .unwrap()
        .connect()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Protocol(m) if m.contains("Api-Version")),
        "{err:?}"
    );
    assert!(err.to_string().contains("the daemon sent"), "{err}");

    let fake = Fake::tcp(|req| match req.path() {
        "/_ping" => Reply::full("200 OK", &[("api-version", "1.41")], b"OK"),
        _ => Reply::json("200 OK", r#"{"ApiVersion":"1.41","MinAPIVersion":"one.twelve"}"#),
    })
    .await;
    let err = Docker::builder()
        .host(&fake.host)
        .unwrap()
        .connect()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Protocol(m) if m.contains("MinAPIVersion")),
        "{err:?}"
    );
}

/// Class 10: a connection dropped before the response or mid-body is `ConnectionLost`.
#[tokio::test]
async fn a_dropped_connection_is_its_own_error() {
    let cut = |head: &str, sent: &'static [u8]| Reply::Streamed {
        head: head.to_string(),
        chunks: Box::new(std::iter::once(bytes::Bytes::from_static(sent))),
        pause: Duration::ZERO,
    };
    let fake = Fake::unix(daemon(move |req| match req.path() {
        // Closed before any response.
        "/v1.41/info" => cut("", b""),
        // A body cut short of its length.
        "/v1.41/containers/json" => cut("HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n", b"[{\"Id\":"),
        // A stream cut inside its chunked encoding.
        _ => cut(
            "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n",
            b"8\r\n{\"n\":1}\n\r\n40\r\n{\"n\"",
        ),
    }))
    .await;
    let docker = connect(&fake.host).await;
    let client = docker.v1_41();
    let lost = |e: &Error| matches!(e, Error::ConnectionLost { .. });
    let err = docker.call(client.system_info().send()).await.unwrap_err();
    assert!(lost(&err), "{err:?}");
    assert!(err.to_string().contains("was lost"), "{err}");
    let err = docker.call(client.container_list().send()).await.unwrap_err();
    assert!(lost(&err), "{err:?}");
    let err = streams::container_framing(&docker, "c").await.unwrap_err();
    assert!(lost(&err), "{err:?}");
    let body = docker.call(client.system_events().send()).await.unwrap();
    let items: Vec<_> = streams::events::<serde_json::Value>(body).collect().await;
    assert!(
        matches!(items.as_slice(), [Ok(_), Err(e)] if lost(e)),
        "{items:?}"
    );
}

/// Class 11: a burst of concurrent requests does not leave a connection per request open.
#[tokio::test]
async fn idle_connections_are_bounded() {
    let fake = Fake::tcp(daemon(|_| {
        Reply::Slow(
            Duration::from_millis(200),
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n[]".to_vec(),
        )
    }))
    .await;
    let docker = connect(&fake.host).await;
    let client = docker.v1_41();
    let calls = (0..200).map(|_| docker.call(client.container_list().send()));
    let lists = futures_util::future::join_all(calls).await;
    assert!(lists.iter().all(Result::is_ok));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let open = fake.open.load(std::sync::atomic::Ordering::SeqCst);
    assert!(
        open <= docker_engine_api::DEFAULT_MAX_IDLE,
        "{open} connections left open after the burst"
    );
}

/// Class 1: an error status with a plain-text body (Podman answers routes it lacks with
/// `404 text/plain "Not Found"`; any proxy may answer so) keeps its status: `Error::Daemon` with
/// the text as its message, from generated operations (typed bodies, byte streams, no body)
/// and from hand-written requests (archive, exec attach, the logs' framing inspect).
#[tokio::test]
async fn plain_text_errors_keep_their_status() {
    for (status, text) in [
        ("404 Not Found", "Not Found"),
        ("500 Internal Server Error", "oops\n"),
    ] {
        let fake = Fake::tcp(daemon(move |_| {
            Reply::full(
                status,
                &[("content-type", "text/plain; charset=utf-8")],
                text.as_bytes(),
            )
        }))
        .await;
        let docker = connect(&fake.host).await;
        let code: u16 = status[..3].parse().unwrap();
        let client = docker.v1_41();
        let errors = [
            (
                "container_inspect",
                docker.call(client.container_inspect().id("c").send()).await.err(),
            ),
            (
                "system_info",
                docker.call(client.system_info().send()).await.err(),
            ),
            (
                "container_list",
                docker.call(client.container_list().send()).await.err(),
            ),
            (
                "container_start",
                docker.call(client.container_start().id("c").send()).await.err(),
            ),
            (
                "container_logs",
                docker
                    .call(client.container_logs().id("c").stdout(true).send())
                    .await
                    .err(),
            ),
            (
                "system_events",
                docker.call(client.system_events().send()).await.err(),
            ),
            (
                "image_build",
                docker
                    .call(client.image_build().body(Vec::new()).send())
                    .await
                    .err(),
            ),
            ("download", docker.download("c", "/").await.err()),
            ("path_stat", docker.path_stat("c", "/").await.err()),
            ("exec_attach", docker.exec_attach("e").await.err()),
            ("attach", docker.attach("c", &Default::default()).await.err()),
            (
                "logs",
                streams::logs(&docker, "c", streams::LogsOptions::new())
                    .await
                    .err(),
            ),
        ];
        // Negotiation itself: a daemon that answers every route so.
        let refused = Fake::tcp(move |_| {
            Reply::full(
                status,
                &[("content-type", "text/plain; charset=utf-8")],
                text.as_bytes(),
            )
        })
        .await;
        let connect = Docker::builder()
            .host(&refused.host)
            .unwrap()
            .connect()
            .await
            .err();
        for (what, err) in errors.into_iter().chain([("connect", connect)]) {
            let err = err.unwrap_or_else(|| panic!("{what}: no error"));
            // HEAD has no body: the message is the status's reason.
            let expected = match what {
                "path_stat" => &status[4..],
                _ => text.trim(),
            };
            match &err {
                Error::Daemon { status, message } => {
                    assert_eq!((*status, message.as_str()), (code, expected), "{what}")
                }
                other => panic!("{what}: {status} text/plain gave {other:?}"),
            }
        }
    }
}
