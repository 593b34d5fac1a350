//! Archives and images streamed both ways, on both daemons: archive PUT then HEAD and GET,
//! container export, image save to a file then load from it.

mod support;

use docker_engine_api::with_api;
use futures_util::TryStreamExt;
use support::*;

fn untar(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = tar::Archive::new(bytes);
    let mut out = Vec::new();
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut data).unwrap();
        out.push((entry.path().unwrap().to_string_lossy().into_owned(), data));
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn archive_put_stat_get_and_export() {
    for daemon in daemons() {
        let docker = negotiated(&daemon).await;
        let tag = busybox_image(&docker, "archives").await;
        let id = with_api!(docker.api(), async |c, api| -> String {
            docker
                .call(
                    c.container_create()
                        .body_map(|mut b| {
                            b.image = Some(tag.clone());
                            b.cmd = Some(vec!["true".into()]);
                            b.host_config = Some(api::types::HostConfig {
                                network_mode: Some("none".into()),
                                ..Default::default()
                            });
                            b
                        })
                        .send(),
                )
                .await
                .unwrap()
                .id
                .unwrap()
        });

        // The image is FROM scratch: `/` and `/bin` are the directories there are.
        docker
            .upload(&id, "/", tar_of(&[("hello.txt", b"hello archive\n", 0o644)]))
            .await
            .unwrap();
        let stat = docker.path_stat(&id, "/hello.txt").await.unwrap();
        assert_eq!(
            (stat.name.as_str(), stat.size, stat.is_dir()),
            ("hello.txt", 14, false),
            "{daemon}"
        );
        assert!(docker.path_stat(&id, "/bin").await.unwrap().is_dir());

        let (stat, body) = docker.download(&id, "/hello.txt").await.unwrap();
        assert_eq!(stat.size, 14);
        let files = untar(&collect(body).await);
        assert_eq!(files, [("hello.txt".to_string(), b"hello archive\n".to_vec())]);

        let missing = docker.path_stat(&id, "/no/such/path").await.unwrap_err();
        assert_eq!(missing.status(), Some(404), "{missing:?}");

        // Export: the whole filesystem as tar, with the uploaded file in it.
        let export = with_api!(docker.api(), async |c, _api| -> _ {
            collect(
                docker
                    .call(c.container_export().id(id.clone()).send())
                    .await
                    .unwrap(),
            )
            .await
        });
        let names: Vec<String> = untar(&export).into_iter().map(|(n, _)| n).collect();
        assert!(
            names.iter().any(|n| n == "bin/busybox") && names.iter().any(|n| n == "hello.txt"),
            "{names:?}"
        );
        with_api!(docker.api(), async |c, _api| docker
            .call(c.container_delete().id(id.clone()).send())
            .await)
        .unwrap();
        remove_image(&docker, &tag).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn image_save_to_a_file_and_load_from_it() {
    for daemon in daemons() {
        let docker = negotiated(&daemon).await;
        let tag = busybox_image(&docker, "archives").await;
        let file = std::env::temp_dir().join(unique("save"));
        with_api!(docker.api(), async |c, _api| -> () {
            // Save: the body goes to the file chunk by chunk.
            let body = docker.call(c.image_get().name(tag.clone()).send()).await.unwrap();
            let mut out = tokio::fs::File::create(&file).await.unwrap();
            let mut stream = body.into_inner();
            while let Some(chunk) = stream.try_next().await.unwrap() {
                tokio::io::AsyncWriteExt::write_all(&mut out, &chunk)
                    .await
                    .unwrap();
            }
            docker
                .call(c.image_delete().name(tag.clone()).send())
                .await
                .unwrap();
            // Load: the file goes up as a stream, never read whole.
            let reader = tokio_util::io::ReaderStream::new(tokio::fs::File::open(&file).await.unwrap());
            let progress = docker
                .call(c.image_load().body(reqwest::Body::wrap_stream(reader)).send())
                .await
                .unwrap();
            let items: Vec<serde_json::Value> = docker_engine_api::streams::json_lines(progress)
                .try_collect()
                .await
                .unwrap();
            assert!(
                items.iter().any(|i| i.to_string().contains(&tag)),
                "{daemon}: {items:?}"
            );
            let image = docker
                .call(c.image_inspect().name(tag.clone()).send())
                .await
                .unwrap();
            assert!(image.id.is_some());
        });
        remove_image(&docker, &tag).await;
        assert!(
            std::fs::metadata(&file).unwrap().len() > 1_000_000,
            "the image holds busybox"
        );
        std::fs::remove_file(&file).unwrap();
    }
}
