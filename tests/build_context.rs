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
        let text = with_api!(docker.api(), c, _api => {
            let base_out = collect(docker.call(c.image_build().t(base.clone()).body(busybox_context()).send()).await.unwrap()).await;
            assert!(!String::from_utf8_lossy(&base_out).contains("errorDetail"));
            let body = build_context::tar_body(&dir).unwrap();
            let out = collect(docker.call(c.image_build().t(tag.clone()).body(body).send()).await.unwrap()).await;
            docker.call(c.image_delete().name(tag.clone()).send()).await.unwrap();
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
