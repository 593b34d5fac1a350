//! A large `with_api!` body over every enabled version module runs on a thread with the default
//! 2 MB stack, in debug builds too. Run with `--all-features` to check the claim (32 modules);
//! `DOCKER_TEST_WITH_API_STACK_KB` sets another stack size, to measure what a body needs.

mod support;

use docker_engine_api::{Docker, Error, Filters, with_api};
use std::collections::HashMap;
use support::*;

/// The default stack of a spawned thread (and of tokio's worker threads).
const DEFAULT_STACK: usize = 2 * 1024 * 1024;

#[test]
fn a_large_body_over_every_module_runs_on_a_2_mb_stack() {
    let stack = std::env::var("DOCKER_TEST_WITH_API_STACK_KB")
        .ok()
        .map_or(DEFAULT_STACK, |kb| {
            kb.parse::<usize>().expect("a number of KiB") * 1024
        });
    let hosts = daemons();
    let ran = std::thread::Builder::new()
        .name("2 MB".into())
        .stack_size(stack)
        .spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                let mut ran = Vec::new();
                for host in hosts {
                    let docker = negotiated(&host).await;
                    let image = busybox_image(&docker, "stack").await;
                    let result = large_body(&docker, &image).await;
                    remove_image(&docker, &image).await;
                    result.unwrap_or_else(|e| panic!("{host}: {e}"));
                    ran.push(format!("{host} v{}", docker.api().version()));
                }
                ran
            })
        })
        .unwrap()
        .join()
        .expect("the body ran to its end");
    println!("ran on a {stack}-byte stack: {ran:?}");
}

/// Several operations with big request bodies, in one `with_api!`.
async fn large_body(docker: &Docker, image: &str) -> Result<(), Error> {
    let name = unique("stack");
    let volume_name = unique("stackvol");
    let network_name = unique("stacknet");
    let labels: HashMap<String, String> = (0..16)
        .map(|i| (format!("stack.label.{i}"), name.clone()))
        .collect();
    with_api!(docker.api(), async |c, api| {
        let version = docker.call(c.system_version().send()).await?;
        assert!(version.api_version.is_some());
        let info = docker.call(c.system_info().send()).await?;
        assert!(info.id.is_some());

        let host_config = api::types::HostConfig {
            network_mode: Some("none".into()),
            memory: Some(64 << 20),
            memory_reservation: Some(32 << 20),
            cpu_shares: Some(512),
            cpu_period: Some(100_000),
            cpu_quota: Some(50_000),
            pids_limit: Some(64),
            readonly_rootfs: Some(true),
            privileged: Some(false),
            cap_drop: Some(vec!["NET_RAW".into(), "MKNOD".into()]),
            dns: Some(vec!["192.0.2.53".into()]),
            dns_search: Some(vec!["example.test".into()]),
            dns_options: Some(vec!["ndots:1".into()]),
            extra_hosts: Some(vec!["stack.test:192.0.2.1".into()]),
            security_opt: Some(vec!["no-new-privileges".into()]),
            ..Default::default()
        };
        let created = docker
            .call(
                c.container_create()
                    .name(name.clone())
                    .body_map(|mut b| {
                        b.image = Some(image.to_string());
                        b.cmd = Some(vec!["sh".into(), "-c".into(), "exit 0".into()]);
                        b.env = Some((0..16).map(|i| format!("STACK_{i}={i}")).collect());
                        b.labels = Some(labels.clone());
                        b.working_dir = Some("/".into());
                        b.host_config = Some(host_config);
                        b
                    })
                    .send(),
            )
            .await?;
        let id = created.id.expect("created container has an Id");
        let inspect = docker.call(c.container_inspect().id(id.clone()).send()).await?;
        assert_eq!(
            inspect.host_config.and_then(|h| h.network_mode).as_deref(),
            Some("none")
        );
        let listed = docker
            .call(
                c.container_list()
                    .all(true)
                    .filters(Filters::new().label(format!("stack.label.0={name}")))
                    .send(),
            )
            .await?;
        assert_eq!(listed.iter().flatten().count(), 1);
        docker.call(c.container_delete().id(id).send()).await?;

        let volume = docker
            .call(
                c.volume_create()
                    .body_map(|mut b| {
                        b.name = Some(volume_name.clone());
                        b.labels = Some(labels.clone());
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
        docker
            .call(c.volume_delete().name(volume_name.clone()).send())
            .await?;

        let network = docker
            .call(
                c.network_create()
                    .body_map(|mut b| {
                        b.name = Some(network_name.clone());
                        b.driver = Some("bridge".into());
                        b.internal = Some(true);
                        b.labels = Some(labels.clone());
                        b
                    })
                    .send(),
            )
            .await?;
        let net_id = network.id.expect("network Id");
        let inspected = docker.call(c.network_inspect().id(net_id.clone()).send()).await?;
        assert_eq!(inspected.name.as_deref(), Some(network_name.as_str()));
        docker.call(c.network_delete().id(net_id).send()).await?;

        let images = docker.call(c.image_list().send()).await?.unwrap_or_default();
        assert!(!images.is_empty());
        Ok(())
    })
}
