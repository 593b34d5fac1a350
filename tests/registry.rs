//! Registry requests against both test daemons and the test registry (`docker-registry` with
//! htpasswd on `DOCKER_TEST_REGISTRY`, started by `scripts/test-daemons.sh`): login, push and
//! pull with `X-Registry-Auth` from [`RegistryAuth`], and what a wrong password gives. Typed
//! progress items of the negotiated module (v1.41 and v1.51 here) carry the pushed digest
//! (the recorded fix `push-aux`); the registry's descriptor needs the credentials too (the fix
//! `distribution-auth`). Pushed images are removed locally afterwards.

mod support;

use docker_engine_api::registry_auth::{RegistryAuth, registry_config_header};
use docker_engine_api::{Docker, Error, streams, with_api};
use futures_util::StreamExt;
use support::*;

/// The test registry's credentials.
fn registry() -> RegistryAuth {
    test_registry().auth
}

fn with_wrong_password(auth: &RegistryAuth) -> RegistryAuth {
    RegistryAuth {
        password: Some("wrong-password".into()),
        ..auth.clone()
    }
}

/// `POST /auth`: the daemon's `Status`.
async fn login(docker: &Docker, auth: &RegistryAuth) -> Result<Option<String>, Error> {
    with_api!(docker.api(), async |c, _api| {
        // Set on the default: v1.55's AuthConfig has no `email`, older ones do.
        let request = c.system_auth().body_map(|mut b| {
            b.username = auth.username.clone();
            b.password = auth.password.clone();
            b.serveraddress = auth.server_address.clone();
            b
        });
        docker.call(request.send()).await.map(|r| r.status)
    })
}

/// Pushes `repo:tag`; for each progress item, the digest it reports (only the last has one).
async fn push(
    docker: &Docker,
    repo: &str,
    tag: &str,
    auth: &RegistryAuth,
) -> Vec<Result<Option<String>, Error>> {
    with_api!(docker.api(), async |c, api| -> _ {
        let body = docker
            .call(
                c.image_push()
                    .name(repo)
                    .tag(tag)
                    .x_registry_auth(auth.header())
                    .send(),
            )
            .await
            .unwrap_or_else(|e| panic!("push {repo}:{tag}: {e}"));
        streams::pull_progress::<api::types::PushImageInfo>(body)
            .map(|item| item.map(|i| i.aux.and_then(|a| a.digest)))
            .collect()
            .await
    })
}

/// Pulls `repo:tag`: the status of each progress item.
async fn pull(
    docker: &Docker,
    repo: &str,
    tag: &str,
    auth: &RegistryAuth,
) -> Result<Vec<Option<String>>, Error> {
    with_api!(docker.api(), async |c, api| {
        let request = c
            .image_create()
            .from_image(repo)
            .tag(tag)
            .x_registry_auth(auth.header());
        let body = docker.call(request.send()).await?;
        let items: Vec<_> = streams::pull_progress::<api::types::CreateImageInfo>(body)
            .collect()
            .await;
        Ok(items.into_iter().map(|i| i.map(|i| i.status)).collect())
    })?
}

async fn tag_image(docker: &Docker, image: &str, repo: &str, tag: &str) {
    with_api!(docker.api(), async |c, _api| -> () {
        docker
            .call(c.image_tag().name(image).repo(repo).tag(tag).send())
            .await
            .unwrap();
    });
}

async fn repo_digests(docker: &Docker, image: &str) -> Vec<String> {
    with_api!(docker.api(), async |c, _api| -> _ {
        let image = docker.call(c.image_inspect().name(image).send()).await.unwrap();
        image.repo_digests.clone().unwrap_or_default()
    })
}

#[tokio::test]
async fn login_checks_the_password() {
    let auth = registry();
    for host in daemons() {
        let docker = negotiated(&host).await;
        let status = login(&docker, &auth)
            .await
            .unwrap_or_else(|e| panic!("{host}: {e}"));
        assert_eq!(status.as_deref(), Some("Login Succeeded"), "{host}");
        // Both daemons answer 500 with the registry's refusal in the message.
        let err = login(&docker, &with_wrong_password(&auth)).await.unwrap_err();
        assert!(
            matches!(&err, Error::Daemon { message, .. } if message.contains("401 Unauthorized")),
            "{host}: {err:?}"
        );
    }
}

#[tokio::test]
async fn push_then_pull_with_credentials() {
    let auth = registry();
    let address = auth.server_address.clone().unwrap();
    for host in daemons() {
        let docker = negotiated(&host).await;
        let image = busybox_image(&docker, "registry").await;
        let repo = format!("{address}/{}", unique("push"));
        tag_image(&docker, &image, &repo, "v1").await;

        // A wrong password: the daemon answers 200, the refusal is the stream's last item.
        let denied = push(&docker, &repo, "v1", &with_wrong_password(&auth)).await;
        assert!(
            matches!(denied.last(), Some(Err(Error::Stream { message, .. })) if message.contains("unauthorized")),
            "{host}: {denied:?}"
        );

        let pushed = push(&docker, &repo, "v1", &auth).await;
        let digests: Vec<String> = pushed
            .iter()
            .flat_map(|i| i.as_ref().unwrap_or_else(|e| panic!("{host}: push: {e}")))
            .cloned()
            .collect();
        assert_eq!(digests.len(), 1, "{host}: one digest in {pushed:?}");
        let digest = &digests[0];
        assert!(digest.starts_with("sha256:") && digest.len() == 71, "{digest}");
        // The registry's descriptor of it, which needs the credentials too (the fix
        // `distribution-auth`; the module of v1.41, which both daemons speak).
        let name = format!("{repo}:v1");
        let v1_41 = docker.v1_41();
        let err = docker
            .call(v1_41.distribution_inspect().name(&name).send())
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::Daemon { status: 401 | 500, message } if message.contains("no basic auth credentials")),
            "{host}: {err:?}"
        );
        let inspected = docker
            .call(
                v1_41
                    .distribution_inspect()
                    .name(&name)
                    .x_registry_auth(auth.header())
                    .send(),
            )
            .await
            .unwrap_or_else(|e| panic!("{host}: distribution inspect: {e}"));
        let descriptor = inspected.descriptor.expect("a descriptor");
        assert_eq!(descriptor.digest.as_ref(), Some(digest), "{host}");
        assert!(
            inspected
                .platforms
                .iter()
                .flatten()
                .any(|p| p.os.as_deref() == Some("linux"))
        );
        // A second tag, for the pull of a bare name below.
        tag_image(&docker, &image, &repo, "v2").await;
        let pushed = push(&docker, &repo, "v2", &auth).await;
        assert!(pushed.iter().all(Result::is_ok), "{host}: {pushed:?}");
        remove_image(&docker, &format!("{repo}:v2")).await;

        // Pull it back into a daemon that no longer has that tag (the layers may stay: other
        // tests' busybox images are the same image).
        remove_image(&docker, &format!("{repo}:v1")).await;
        remove_image(&docker, &image).await;
        let err = pull(&docker, &repo, "v1", &with_wrong_password(&auth))
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::Daemon { status: 401 | 500, message } if message.contains("unauthorized")),
            "{host}: {err:?}"
        );
        let err = pull(&docker, &repo, "no-such-tag", &auth).await.unwrap_err();
        assert!(
            matches!(&err, Error::Daemon { status: 404, message } if message.contains("not found")),
            "{host}: {err:?}"
        );
        let statuses = pull(&docker, &repo, "v1", &auth)
            .await
            .unwrap_or_else(|e| panic!("{host}: pull: {e}"));
        let last = statuses.last().cloned().flatten().unwrap_or_default();
        assert_eq!(
            last,
            format!("Status: Downloaded newer image for {repo}:v1"),
            "{host}"
        );
        let by_digest = format!("{repo}@{digest}");
        let digests = repo_digests(&docker, &format!("{repo}:v1")).await;
        assert!(digests.contains(&by_digest), "{host}: {by_digest} in {digests:?}");
        // Untagging the repository's last tag drops its digest reference too.
        remove_image(&docker, &format!("{repo}:v1")).await;
        let gone = with_api!(docker.api(), async |c, _api| -> _ {
            docker.call(c.image_inspect().name(&by_digest).send()).await.err()
        });
        assert_eq!(
            gone.and_then(|e| e.status()),
            Some(404),
            "{host}: {by_digest} is left"
        );

        // A build `FROM` the private image pulls it with the credentials of X-Registry-Config.
        let from = format!("{repo}:v1");
        let denied = build_from(&docker, &from, &with_wrong_password(&auth)).await;
        assert!(
            matches!(denied.last(), Some(Err(Error::Stream { message, .. })) if message.contains("unauthorized")),
            "{host}: {denied:?}"
        );
        let built = build_from(&docker, &from, &auth).await;
        let ids: Vec<_> = built
            .iter()
            .map(|i| i.as_ref().unwrap_or_else(|e| panic!("{host}: build: {e}")))
            .filter_map(streams::build_image_id)
            .collect();
        assert_eq!(ids.len(), 1, "{host}: {built:?}");
        remove_image(&docker, &ids[0]).await;
        remove_image(&docker, &from).await;

        // A bare name (no tag in `from_image`, an empty `tag`) pulls every tag of the
        // repository, on both daemons; the CLI adds `:latest`, the API does not.
        pull(&docker, &repo, "", &auth)
            .await
            .unwrap_or_else(|e| panic!("{host}: pull {repo}: {e}"));
        for tag in ["v1", "v2"] {
            let digests = repo_digests(&docker, &format!("{repo}:{tag}")).await;
            assert!(
                digests.contains(&by_digest),
                "{host}: {repo}:{tag} pulled: {digests:?}"
            );
            remove_image(&docker, &format!("{repo}:{tag}")).await;
        }
    }
}

/// Builds `FROM image` with `auth` in X-Registry-Config (the classic builder); the progress.
async fn build_from(
    docker: &Docker,
    image: &str,
    auth: &RegistryAuth,
) -> Vec<Result<serde_json::Value, Error>> {
    let dockerfile = format!("FROM {image}\nLABEL built-by=registry-test\n");
    let context = tar_of(&[("Dockerfile", dockerfile.as_bytes(), 0o644)]);
    let header = registry_config_header([auth]);
    with_api!(docker.api(), async |c, _api| -> _ {
        let request = c.image_build().x_registry_config(header).body(context);
        let body = docker
            .call(request.send())
            .await
            .unwrap_or_else(|e| panic!("build FROM {image}: {e}"));
        streams::build_progress(body).collect().await
    })
}
