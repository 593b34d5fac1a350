//! The container operations the other tests do not use, with their typed responses: top,
//! pause and unpause, rename, update, kill, restart, changes, commit, image history, the prunes
//! (filtered by a label of this test, so nothing else is touched) and disk usage. On both
//! daemons, through the negotiated module and through every enabled module from v1.25 pinned;
//! the prunes and disk usage, which v1.24 lacks, through `with_api!(.., since = 1.25, ..)`.
//! Containers have network mode `none`.

mod support;

use docker_engine_api::{ApiVersion, Docker, ENABLED_MINORS, Error, with_api};
use std::collections::HashMap;
use support::*;

/// `{"label": ["<label>"]}`, as the prune filters are written.
fn label_filter(label: &str) -> String {
    serde_json::json!({ "label": [label] }).to_string()
}

async fn state(docker: &Docker, id: &str) -> (Option<String>, Option<String>) {
    with_api!(docker.api(), async |c, _api| -> _ {
        let inspect = docker.call(c.container_inspect().id(id).send()).await.unwrap();
        let status = inspect
            .state
            .as_ref()
            .and_then(|s| s.status.as_ref())
            .map(|s| s.to_string());
        (status, inspect.name.clone())
    })
}

#[tokio::test]
async fn lifecycle_and_maintenance_operations() {
    for host in daemons() {
        let docker = negotiated(&host).await;
        run(&docker).await.unwrap_or_else(|e| panic!("{host}: {e}"));
        // And every enabled module from v1.25 (the oldest upstream spec) to the daemon's newest,
        // pinned: the recorded fixes over their whole ranges (`df-container-list` 1.25-1.39,
        // `network-prune-key` 1.25, `prune-filters` 1.27).
        let newest = docker.daemon().expect("negotiated").max;
        let pins = ENABLED_MINORS
            .iter()
            .copied()
            .filter(|m| *m >= 25 && ApiVersion::v1(*m) <= newest);
        for minor in pins {
            let docker = pinned(&host, minor).await;
            run(&docker)
                .await
                .unwrap_or_else(|e| panic!("{host} v1.{minor}: {e}"));
        }
    }
}

async fn run(docker: &Docker) -> Result<(), Error> {
    let image = busybox_image(docker, "ops").await;
    let label = unique("ops-label");
    let labels: HashMap<String, String> = [(label.clone(), "1".to_string())].into();
    let name = unique("ops");
    let renamed = format!("{name}-renamed");
    let committed = format!(
        "dockerapi-test/{}:c",
        unique("ops-commit").trim_start_matches("dockerapi-test-")
    );

    let id = with_api!(docker.api(), async |c, api| {
        let created = docker
            .call(
                c.container_create()
                    .name(&name)
                    .body_map(|mut b| {
                        b.image = Some(image.clone());
                        b.cmd = Some(vec![
                            "sh".into(),
                            "-c".into(),
                            "echo made > /made.txt; exec sleep 60".into(),
                        ]);
                        b.labels = Some(labels.clone());
                        b.host_config = Some(api::types::HostConfig {
                            network_mode: Some("none".into()),
                            ..Default::default()
                        });
                        b
                    })
                    .send(),
            )
            .await?;
        Ok(created.id.clone().expect("an ID"))
    })?;
    with_api!(docker.api(), async |c, _api| {
        docker.call(c.container_start().id(&id).send()).await?;
        // top: the sleep is a process of the container.
        let top = docker.call(c.container_top().id(&id).send()).await?;
        let titles = top.titles.clone().unwrap_or_default();
        let cmd = titles
            .iter()
            .position(|t| t == "CMD" || t == "COMMAND")
            .unwrap_or_else(|| panic!("{titles:?}"));
        assert!(
            top.processes
                .iter()
                .flatten()
                .flatten()
                .any(|p| p.get(cmd).is_some_and(|c| c.contains("sleep"))),
            "{top:?}"
        );

        docker.call(c.container_pause().id(&id).send()).await?;
        Ok(())
    })?;
    assert_eq!(state(docker, &id).await.0.as_deref(), Some("paused"));
    with_api!(docker.api(), async |c, _api| {
        docker.call(c.container_unpause().id(&id).send()).await?;
        docker
            .call(c.container_rename().id(&id).name(&renamed).send())
            .await?;
        Ok(())
    })?;
    assert_eq!(
        state(docker, &id).await,
        (Some("running".into()), Some(format!("/{renamed}")))
    );

    with_api!(docker.api(), async |c, _api| {
        // update: a restart policy (no resource limits: the test machine may not allow them).
        let updated = docker
            .call(
                c.container_update()
                    .id(&id)
                    .body_map(|mut b| {
                        b.restart_policy = Some(Default::default());
                        b
                    })
                    .send(),
            )
            .await?;
        assert!(updated.warnings.iter().flatten().all(|w| !w.is_empty()));

        // kill with a signal, then restart, then changes: the file the command wrote.
        docker
            .call(c.container_kill().id(&id).signal("SIGKILL").send())
            .await?;
        Ok(())
    })?;
    assert_eq!(state(docker, &id).await.0.as_deref(), Some("exited"));
    with_api!(docker.api(), async |c, _api| {
        docker.call(c.container_restart().id(&id).t(1).send()).await?;
        Ok(())
    })?;
    assert_eq!(state(docker, &id).await.0.as_deref(), Some("running"));
    let mut paths = Vec::new();
    for _ in 0..50 {
        paths = with_api!(docker.api(), async |c, _api| {
            let changes = docker.call(c.container_changes().id(&id).send()).await?;
            Ok(changes
                .iter()
                .flatten()
                .filter_map(|ch| ch.path.clone())
                .collect::<Vec<String>>())
        })?;
        if paths.iter().any(|p| p == "/made.txt") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(paths.iter().any(|p| p == "/made.txt"), "{paths:?}");

    // commit, and the new image's history: one layer more than the base, from the container.
    let (repo, tag) = committed.split_once(':').unwrap();
    with_api!(docker.api(), async |c, api| {
        let commit = docker
            .call(
                c.image_commit()
                    .container(&id)
                    .repo(repo)
                    .tag(tag)
                    .comment("by the operations test")
                    .send(),
            )
            .await?;
        assert!(
            commit.id.as_deref().is_some_and(|i| i.starts_with("sha256:")),
            "{commit:?}"
        );
        let history = docker
            .call(c.image_history().name(&committed).send())
            .await?
            .unwrap_or_default();
        let base = docker
            .call(c.image_history().name(&image).send())
            .await?
            .unwrap_or_default();
        assert_eq!(history.len(), base.len() + 1);
        assert_eq!(history[0].comment.as_deref(), Some("by the operations test"));

        docker.call(c.container_stop().id(&id).t(1).send()).await?;
        Ok(())
    })?;

    // The prunes, limited to this test's label (the stopped container goes, nothing else), and
    // disk usage: API v1.25+, which v1.24 lacks (`since`).
    with_api!(docker.api(), since = 1.25, async |c, _api| {
        let pruned = docker
            .call(c.container_prune().filters(label_filter(&label)).send())
            .await?;
        assert_eq!(
            pruned.containers_deleted.as_deref(),
            Some(std::slice::from_ref(&id))
        );
        let pruned = docker
            .call(c.volume_prune().filters(label_filter(&label)).send())
            .await?;
        assert!(pruned.volumes_deleted.iter().flatten().next().is_none());
        // A network of this test's own, unused: pruned and named (v1.25: the fix
        // `network-prune-key`).
        let network = unique("ops-net");
        let create = c.network_create().body_map(|mut b| {
            b.name = Some(network.clone());
            b.internal = Some(true);
            b.labels = Some(labels.clone());
            b
        });
        docker.call(create.send()).await?;
        let pruned = docker
            .call(c.network_prune().filters(label_filter(&label)).send())
            .await?;
        assert_eq!(pruned.networks_deleted.unwrap_or_default(), [network]);
        let pruned = docker
            .call(c.image_prune().filters(label_filter(&label)).send())
            .await?;
        assert!(pruned.images_deleted.iter().flatten().next().is_none());
        let gone = docker.call(c.container_inspect().id(&id).send()).await.err();
        assert_eq!(gone.and_then(|e| e.status()), Some(404));

        // Disk usage (v1.25 to v1.39: the fix `df-container-list`), read as JSON after the
        // typed decode (v1.55 regroups it): the committed image counts.
        let df = serde_json::to_value(docker.call(c.system_data_usage().send()).await?).unwrap();
        assert!(df["Containers"].is_array(), "{df}");
        assert!(
            df.to_string().contains(&format!("\"{committed}\"")),
            "{committed} in {df}"
        );
        Ok::<_, Error>(())
    })?;

    // Code for a newer API than the wire version is `NotAvailable`, and runs from that version.
    let since_45 = with_api!(docker.api(), since = 1.45, async |c, _api| docker
        .call(c.system_ping().send())
        .await
        .map(drop));
    match docker.api_version().minor {
        ..45 => assert!(
            matches!(&since_45, Err(Error::NotAvailable { since, version }) if *since == ApiVersion::v1(45) && *version == docker.api_version()),
            "{since_45:?}"
        ),
        _ => assert!(since_45.is_ok(), "{since_45:?}"),
    }
    remove_image(docker, &committed).await;
    remove_image(docker, &image).await;
    Ok(())
}
