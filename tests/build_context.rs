//! A build from a directory, streamed as tar, honouring `.dockerignore`, on both daemons.

mod support;

use docker_engine_api::build_context;
use docker_engine_api::with_api;
use support::*;

fn write(dir: &std::path::Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_directory_build_leaves_out_what_dockerignore_says() {
    let dir = std::env::temp_dir().join(unique("ctx"));
    let base = format!("dockerapi-test/ctx-base-{}:latest", std::process::id());
    write(
        &dir,
        "Dockerfile",
        &format!("FROM {base}\nCOPY . /ctx\nRUN find /ctx -type f | sort\n"),
    );
    write(&dir, ".dockerignore", "*.secret\nlogs\n!logs/keep.txt\n");
    for (rel, text) in [
        ("a.txt", "a"),
        ("b.secret", "b"),
        ("logs/x.log", "x"),
        ("logs/keep.txt", "k"),
        ("sub/c.txt", "c"),
    ] {
        write(&dir, rel, text);
    }
    let files = build_context::context_files(&dir).unwrap();
    let names: Vec<String> = files.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    assert_eq!(
        names,
        [
            ".dockerignore",
            "Dockerfile",
            "a.txt",
            "logs/keep.txt",
            "sub",
            "sub/c.txt"
        ]
    );

    for daemon in daemons() {
        let docker = negotiated(&daemon).await;
        let tag = format!("dockerapi-test/ctx-{}:latest", std::process::id());
        let text = with_api!(docker.api(), async |c, _api| -> String {
            let base_out = collect(
                docker
                    .call(c.image_build().t(base.clone()).body(busybox_context()).send())
                    .await
                    .unwrap(),
            )
            .await;
            assert!(!String::from_utf8_lossy(&base_out).contains("errorDetail"));
            let body = build_context::tar_body(&dir).unwrap();
            let out = collect(
                docker
                    .call(c.image_build().t(tag.clone()).body(body).send())
                    .await
                    .unwrap(),
            )
            .await;
            docker
                .call(c.image_delete().name(tag.clone()).send())
                .await
                .unwrap();
            String::from_utf8_lossy(&out).into_owned()
        });
        assert!(!text.contains("errorDetail"), "{daemon}: {text}");
        for kept in [
            "/ctx/a.txt",
            "/ctx/logs/keep.txt",
            "/ctx/sub/c.txt",
            "/ctx/Dockerfile",
            "/ctx/.dockerignore",
        ] {
            assert!(text.contains(kept), "{daemon}: {kept} missing in {text}");
        }
        for left_out in ["b.secret", "x.log"] {
            assert!(!text.contains(left_out), "{daemon}: {left_out} was sent: {text}");
        }
        remove_image(&docker, &base).await;
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The error and its sources, as one line.
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text = format!("{text}: {s}");
        source = s.source();
    }
    text
}

/// Builds `dir` on every daemon (after the base image) and returns each daemon's output.
async fn build_on_daemons(dir: &std::path::Path, base: &str) -> Vec<(String, String)> {
    let mut outputs = Vec::new();
    for daemon in daemons() {
        let docker = negotiated(&daemon).await;
        let tag = format!("dockerapi-test/ctx-special-{}:latest", std::process::id());
        // `networkmode` is there from API 1.25 on.
        let text = with_api!(docker.api(), since = 1.25, async |c, _api| {
            let base_out = collect(
                docker
                    .call(c.image_build().t(base.to_string()).body(busybox_context()).send())
                    .await
                    .unwrap(),
            )
            .await;
            assert!(!String::from_utf8_lossy(&base_out).contains("errorDetail"));
            let body = build_context::tar_body(dir).unwrap();
            let request = docker.call(
                c.image_build()
                    .t(tag.clone())
                    .networkmode("none".to_string())
                    .body(body)
                    .send(),
            );
            let response = tokio::time::timeout(std::time::Duration::from_secs(120), request)
                .await
                .unwrap_or_else(|_| panic!("{daemon}: the build stalled"));
            let out = collect(response.unwrap_or_else(|e| panic!("{daemon}: {}", chain(&e)))).await;
            let _ = docker.call(c.image_delete().name(tag.clone()).send()).await;
            Ok::<_, docker_engine_api::Error>(String::from_utf8_lossy(&out).into_owned())
        })
        .unwrap();
        remove_image(&docker, base).await;
        outputs.push((daemon, text));
    }
    outputs
}

#[tokio::test(flavor = "multi_thread")]
async fn fifos_are_sent_as_fifos_sockets_are_left_out_symlinks_are_not_followed() {
    let dir = std::env::temp_dir().join(unique("ctx-special"));
    let base = format!("dockerapi-test/ctx-special-base-{}:latest", std::process::id());
    // `-L` first: `-p` follows the link to the FIFO.
    let probe = "for f in fifo link a.txt sock; do \
        if [ -L /ctx/$f ]; then t=symlink; elif [ -p /ctx/$f ]; then t=fifo; \
        elif [ -f /ctx/$f ]; then t=file; else t=absent; fi; echo \"probe $f is $t\"; done";
    write(
        &dir,
        "Dockerfile",
        &format!("FROM {base}\nCOPY . /ctx\nRUN {probe}\n"),
    );
    write(&dir, "a.txt", "a");
    let status = std::process::Command::new("mkfifo")
        .arg(dir.join("fifo"))
        .status()
        .unwrap();
    assert!(status.success(), "mkfifo: {status}");
    std::os::unix::fs::symlink("fifo", dir.join("link")).unwrap();
    let _listener = std::os::unix::net::UnixListener::bind(dir.join("sock")).unwrap();

    let files = build_context::context_files(&dir).unwrap();
    let names: Vec<String> = files.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    assert_eq!(
        names,
        ["Dockerfile", "a.txt", "fifo", "link"],
        "the socket is left out"
    );

    for (daemon, text) in build_on_daemons(&dir, &base).await {
        assert!(!text.contains("errorDetail"), "{daemon}: {text}");
        for line in [
            "probe fifo is fifo",
            "probe link is symlink",
            "probe a.txt is file",
            "probe sock is absent",
        ] {
            assert!(text.contains(line), "{daemon}: `{line}` missing in {text}");
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Root reads any file whatever its mode, but the kernel refuses everyone a read of the write-only
/// sysctls (`drop_caches`, `compact_memory`): a context that holds one names it, before any
/// request.
#[tokio::test]
async fn an_unreadable_file_is_named_before_anything_is_sent() {
    let dir = std::path::Path::new("/proc/sys/vm");
    let unreadable = ["drop_caches", "compact_memory"];
    assert!(
        std::fs::read(dir.join("drop_caches")).is_err(),
        "drop_caches is readable here"
    );
    let e = build_context::context_files(dir).unwrap_err();
    let text = chain(&e);
    assert!(
        unreadable.iter().any(|f| text.contains(&format!("`{f}`"))),
        "{text}"
    );
    assert!(text.contains("Permission denied"), "{text}");
    let e = build_context::tar_body(dir).expect_err("tar_body of an unreadable context");
    assert!(unreadable.iter().any(|f| chain(&e).contains(f)), "{}", chain(&e));
}

/// A file removed after the listing, while the archive streams: the request fails with an error
/// that names the file relative to the context, with the OS reason.
#[tokio::test(flavor = "multi_thread")]
async fn a_file_removed_mid_stream_is_named_in_the_error() {
    let dir = std::env::temp_dir().join(unique("ctx-vanish"));
    write(&dir, "Dockerfile", "FROM scratch\nCOPY . /ctx\n");
    // Far more than the body channel holds: the writer waits inside `a.bin` until the request
    // reads, so `b.txt` is gone by the time it gets there.
    std::fs::write(dir.join("a.bin"), vec![7u8; 8 << 20]).unwrap();
    write(&dir, "b.txt", "b");
    for daemon in daemons() {
        let docker = negotiated(&daemon).await;
        let body = build_context::tar_body(&dir).unwrap();
        std::fs::remove_file(dir.join("b.txt")).unwrap();
        // `networkmode` is there from API 1.25 on.
        let result = with_api!(docker.api(), since = 1.25, async |c, _api| {
            let request = docker.call(c.image_build().networkmode("none".to_string()).body(body).send());
            Ok::<_, docker_engine_api::Error>(
                match tokio::time::timeout(std::time::Duration::from_secs(120), request).await {
                    Ok(Ok(response)) => Ok(String::from_utf8_lossy(&collect(response).await).into_owned()),
                    // The error itself names the file, not only a source down its chain.
                    Ok(Err(e)) => Err(e.to_string()),
                    Err(_) => panic!("{daemon}: the build stalled"),
                },
            )
        })
        .unwrap();
        let text = result.expect_err("the build of a context missing a file succeeded");
        assert!(text.contains("`b.txt`"), "{daemon}: {text}");
        assert!(
            !text.contains(&dir.display().to_string()),
            "{daemon}: the path is not relative: {text}"
        );
        assert!(text.contains("No such file or directory"), "{daemon}: {text}");
        write(&dir, "b.txt", "b");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
