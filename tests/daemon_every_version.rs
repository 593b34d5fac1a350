//! Every enabled version module, through its generated client, against every test daemon that
//! speaks it: ping, version, info, image build/list/inspect/tag/remove, a container run to
//! completion, volumes and networks.

mod support;

use docker_engine_api::{ApiVersion, Docker, ENABLED_MINORS, Error, with_api};
use support::*;

#[tokio::test(flavor = "multi_thread")]
async fn every_enabled_version_on_every_daemon() {
    let context = busybox_context();
    let mut ran = Vec::new();
    for host in daemons() {
        let probe = negotiated(&host).await;
        let daemon = probe.daemon().unwrap().clone();
        let min = daemon.min.unwrap_or(ApiVersion::v1(0));
        let minors: Vec<u32> = ENABLED_MINORS
            .iter()
            .copied()
            .filter(|m| ApiVersion::v1(*m) >= min && ApiVersion::v1(*m) <= daemon.max)
            .collect();
        assert!(
            !minors.is_empty(),
            "{host}: no enabled version between v{min} and v{}",
            daemon.max
        );
        for minor in minors {
            let docker = pinned(&host, minor).await;
            assert_eq!(docker.api().version(), ApiVersion::v1(minor));
            scenario(&docker, &context)
                .await
                .unwrap_or_else(|e| panic!("{host} v1.{minor}: {e}"));
            ran.push(format!("{host} v1.{minor}"));
        }
    }
    println!("ran {} version/daemon pairs: {ran:?}", ran.len());
}

async fn scenario(docker: &Docker, context: &[u8]) -> Result<(), Error> {
    let v = docker.api_version();
    let tag = format!("dockerapi-test/v{}-{}", v.minor, std::process::id());
    let container_name = unique("run");
    let volume_name = unique("vol");
    let network_name = unique("net");
    with_api!(docker.api(), async |c, _api| {
        let ping = collect(docker.call(c.system_ping().send()).await?).await;
        assert_eq!(ping, b"OK");
        let version = docker.call(c.system_version().send()).await?;
        assert!(
            version
                .api_version
                .is_some_and(|a| a.parse::<ApiVersion>().unwrap() >= v)
        );
        let info = docker.call(c.system_info().send()).await?;
        assert!(info.id.is_some_and(|id| !id.is_empty()));

        // Image build from scratch, then list/inspect/tag/remove.
        let progress = collect(
            docker
                .call(
                    c.image_build()
                        .t(format!("{tag}:latest"))
                        .body(context.to_vec())
                        .send(),
                )
                .await?,
        )
        .await;
        let progress = String::from_utf8_lossy(&progress);
        assert!(!progress.contains("errorDetail"), "{progress}");
        let images = docker.call(c.image_list().send()).await?.unwrap_or_default();
        assert!(
            images.iter().any(|i| i
                .repo_tags
                .iter()
                .flatten()
                .any(|t| *t == format!("{tag}:latest"))),
            "{tag} not listed"
        );
        let image = docker
            .call(c.image_inspect().name(format!("{tag}:latest")).send())
            .await?;
        assert!(image.id.as_deref().is_some_and(|id| id.starts_with("sha256:")));
        docker
            .call(
                c.image_tag()
                    .name(format!("{tag}:latest"))
                    .repo(tag.clone())
                    .tag("extra")
                    .send(),
            )
            .await?;
        let removed = docker
            .call(c.image_delete().name(format!("{tag}:extra")).send())
            .await?
            .unwrap_or_default();
        assert!(!removed.is_empty());

        // A container run to completion, with network mode none.
        let created = docker
            .call(
                c.container_create()
                    .name(container_name.clone())
                    .body_map(|mut b| {
                        b.image = Some(format!("{tag}:latest"));
                        b.cmd = Some(vec![
                            "sh".into(),
                            "-c".into(),
                            "echo hello; echo oops >&2; exit 3".into(),
                        ]);
                        b.host_config = Some(_api::types::HostConfig {
                            network_mode: Some("none".into()),
                            ..Default::default()
                        });
                        b
                    })
                    .send(),
            )
            .await?;
        let id = created.id.expect("created container has an Id");
        docker.call(c.container_start().id(id.clone()).send()).await?;
        let waited = docker.call(c.container_wait().id(id.clone()).send()).await?;
        assert_eq!(waited.status_code, Some(3));
        let logs = collect(
            docker
                .call(c.container_logs().id(id.clone()).stdout(true).stderr(true).send())
                .await?,
        )
        .await;
        let logs = String::from_utf8_lossy(&logs);
        assert!(logs.contains("hello") && logs.contains("oops"), "{logs:?}");
        let inspect = docker.call(c.container_inspect().id(id.clone()).send()).await?;
        let state = inspect.state.expect("State");
        assert_eq!(state.exit_code, Some(3));
        assert_eq!(state.status.map(|s| s.to_string()).as_deref(), Some("exited"));
        docker.call(c.container_delete().id(id.clone()).send()).await?;

        // Volumes.
        let volume = docker
            .call(
                c.volume_create()
                    .body_map(|mut b| {
                        b.name = Some(volume_name.clone());
                        b
                    })
                    .send(),
            )
            .await?;
        assert_eq!(volume.name.as_deref(), Some(volume_name.as_str()));
        let inspected = docker
            .call(c.volume_inspect().name(volume_name.clone()).send())
            .await?;
        assert_eq!(inspected.driver.as_deref(), Some("local"));
        let volumes = docker.call(c.volume_list().send()).await?;
        assert!(
            volumes
                .volumes
                .iter()
                .flatten()
                .any(|v| v.name.as_deref() == Some(volume_name.as_str()))
        );
        docker
            .call(c.volume_delete().name(volume_name.clone()).send())
            .await?;

        // Networks: an internal bridge, nothing attached, no traffic.
        let net = docker
            .call(
                c.network_create()
                    .body_map(|mut b| {
                        b.name = Some(network_name.clone());
                        b.driver = Some("bridge".into());
                        b.internal = Some(true);
                        b
                    })
                    .send(),
            )
            .await?;
        let net_id = net.id.expect("network Id");
        let inspected = docker.call(c.network_inspect().id(net_id.clone()).send()).await?;
        assert_eq!(inspected.name.as_deref(), Some(network_name.as_str()));
        let networks = docker.call(c.network_list().send()).await?.unwrap_or_default();
        assert!(networks.iter().any(|n| n.id.as_deref() == Some(net_id.as_str())));
        docker.call(c.network_delete().id(net_id).send()).await?;

        docker
            .call(c.image_delete().name(format!("{tag}:latest")).send())
            .await?;
        Ok(())
    })
}
