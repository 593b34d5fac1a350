//! `Filters` against both test daemons, through whichever version module was negotiated: the
//! container list (label, label key, name, status; several labels must all match), the events
//! of a window, a container prune and the volume list by label. The daemons read the JSON form
//! `{"key":["value"]}` exactly as the older map form `{"key":{"value":true}}`.
//!
//! Containers have network mode `none` and are only created, never started; every name and
//! label is unique to the run, so a prune can touch nothing of other tests. Everything created
//! is removed, even when an assertion fails.

mod support;

use docker_engine_api::{Docker, Filters, with_api};
use futures_util::FutureExt;
use std::collections::{BTreeSet, HashMap};
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::time::{SystemTime, UNIX_EPOCH};
use support::*;

/// Runs `body`, then `cleanup` whether or not `body` panicked.
async fn finally<T>(body: impl Future<Output = T>, cleanup: impl Future<Output = ()>) -> T {
    let outcome = AssertUnwindSafe(body).catch_unwind().await;
    cleanup.await;
    outcome.unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64
}

/// Creates a container (not started, network none) with these labels; its ID.
async fn create(docker: &Docker, image: &str, name: &str, labels: &[(&str, &str)]) -> String {
    let labels: HashMap<String, String> = labels
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    with_api!(docker.api(), async |c, api| -> String {
        let created = docker
            .call(
                c.container_create()
                    .name(name)
                    .body_map(|mut b| {
                        b.image = Some(image.to_string());
                        b.cmd = Some(vec!["true".into()]);
                        b.labels = Some(labels);
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
        created.id.expect("the created container's Id")
    })
}

/// The names (without the leading `/`) of the containers, running or not, that `filters`
/// selects.
async fn names(docker: &Docker, filters: impl Into<String>) -> BTreeSet<String> {
    let filters: String = filters.into();
    let names: Vec<String> = with_api!(docker.api(), async |c, _api| -> _ {
        let list = docker
            .call(c.container_list().all(true).filters(filters).send())
            .await
            .unwrap();
        // `iter().flatten()` reads both shapes of a list (`Option<Vec<_>>`, or a newtype of one).
        list.iter()
            .flatten()
            .flat_map(|c| c.names.clone().unwrap_or_default())
            .collect()
    });
    names
        .iter()
        .map(|n| n.trim_start_matches('/').to_string())
        .collect()
}

fn set<const N: usize>(names: [&str; N]) -> BTreeSet<String> {
    names.into_iter().map(str::to_string).collect()
}

async fn remove_container(docker: &Docker, id: &str) {
    let removed = with_api!(docker.api(), async |c, _api| docker
        .call(c.container_delete().id(id).force(true).send())
        .await);
    if let Err(e) = removed {
        // Pruned already, when the test got that far.
        if !matches!(e, docker_engine_api::Error::Daemon { status: 404, .. }) {
            eprintln!("removing container {id}: {e}");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn containers_listed_and_pruned_by_label() {
    for host in daemons() {
        let docker = negotiated(&host).await;
        let image = busybox_image(&docker, "filters").await;
        // A label key of this run only; the two containers differ in its value.
        let key = unique("filters-key");
        let (name_a, name_b) = (unique("filters-a"), unique("filters-b"));
        let since = now() - 1;
        let a = create(
            &docker,
            &image,
            &name_a,
            &[(&key, "a"), ("dockerapi.test.extra", "x")],
        )
        .await;
        let b = create(&docker, &image, &name_b, &[(&key, "b")]).await;
        let check = async {
            let (a_, b_) = (name_a.as_str(), name_b.as_str());
            let label = |v: &str| format!("{key}={v}");
            assert_eq!(
                names(&docker, Filters::new().label(label("a"))).await,
                set([a_]),
                "{host}"
            );
            assert_eq!(
                names(&docker, Filters::new().label_pair(&key, "b")).await,
                set([b_]),
                "{host}"
            );
            assert_eq!(
                names(&docker, Filters::new().label_key(&key)).await,
                set([a_, b_]),
                "{host}"
            );
            // Several labels: all of them.
            let both = Filters::new().label_key(&key).label("dockerapi.test.extra=x");
            assert_eq!(names(&docker, both).await, set([a_]), "{host}");
            let none = Filters::new().label(label("a")).label(label("b"));
            assert_eq!(names(&docker, none).await, set([]), "{host}");
            // Several names or statuses: any of them.
            let by_name = Filters::new().label_key(&key).name(a_).name(b_);
            assert_eq!(names(&docker, by_name).await, set([a_, b_]), "{host}");
            let created = Filters::new().label_key(&key).status("created");
            assert_eq!(names(&docker, &created).await, set([a_, b_]), "{host}");
            let running = Filters::new().label_key(&key).status("running");
            assert_eq!(names(&docker, running).await, set([]), "{host}");
            let by_id = Filters::new().label_key(&key).id(&b[..12]);
            assert_eq!(names(&docker, by_id).await, set([b_]), "{host}");
            let by_image = Filters::new().label_key(&key).ancestor(&image);
            assert_eq!(names(&docker, by_image).await, set([a_, b_]), "{host}");
            // The older map form reads the same.
            let map_form = format!(r#"{{"label":{{"{key}=a":true}}}}"#);
            assert_eq!(names(&docker, map_form).await, set([a_]), "{host}");

            // Events of the window, bounded so that the stream ends.
            let until = now() + 1;
            let filters = Filters::new()
                .type_("container")
                .event("create")
                .label(label("b"));
            let body = with_api!(docker.api(), async |c, _api| -> _ {
                let request = c
                    .system_events()
                    .since(since.to_string())
                    .until(until.to_string())
                    .filters(filters);
                docker.call(request.send()).await.unwrap()
            });
            let events: Vec<serde_json::Value> = serde_json::Deserializer::from_slice(&collect(body).await)
                .into_iter()
                .collect::<Result<_, _>>()
                .unwrap();
            assert_eq!(events.len(), 1, "{host}: {events:?}");
            assert_eq!(events[0]["Action"], "create", "{host}");
            assert_eq!(events[0]["Actor"]["ID"], b.as_str(), "{host}");

            // Prune what has `key=b` (checked above to be `b` alone): `a` stays.
            // The container prune is there from API 1.25 on.
            let pruned = with_api!(docker.api(), since = 1.25, async |c, _api| {
                let request = c.container_prune().filters(Filters::new().label(label("b")));
                Ok::<_, docker_engine_api::Error>(
                    docker
                        .call(request.send())
                        .await
                        .unwrap()
                        .containers_deleted
                        .unwrap_or_default(),
                )
            })
            .unwrap();
            assert_eq!(pruned, std::slice::from_ref(&b), "{host}");
            assert_eq!(
                names(&docker, Filters::new().label_key(&key)).await,
                set([a_]),
                "{host}"
            );
            // `label!`: nothing of this run lacks the extra label but `b`, which is gone.
            let pruned = with_api!(docker.api(), since = 1.25, async |c, _api| {
                let request = c
                    .container_prune()
                    .filters(Filters::new().label(label("a")).not_label("dockerapi.test.extra"));
                Ok::<_, docker_engine_api::Error>(
                    docker
                        .call(request.send())
                        .await
                        .unwrap()
                        .containers_deleted
                        .unwrap_or_default(),
                )
            })
            .unwrap();
            assert!(pruned.is_empty(), "{host}: {pruned:?}");
            assert_eq!(
                names(&docker, Filters::new().label_key(&key)).await,
                set([a_]),
                "{host}"
            );
        };
        finally(check, async {
            remove_container(&docker, &a).await;
            remove_container(&docker, &b).await;
            remove_image(&docker, &image).await;
        })
        .await;
    }
}

/// The names of the volumes that `filters` selects.
async fn volume_names(docker: &Docker, filters: Filters) -> BTreeSet<String> {
    with_api!(docker.api(), async |c, _api| -> _ {
        let list = docker
            .call(c.volume_list().filters(filters).send())
            .await
            .unwrap();
        list.volumes
            .unwrap_or_default()
            .into_iter()
            .filter_map(|v| v.name)
            .collect()
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn volumes_listed_by_label() {
    for host in daemons() {
        let docker = negotiated(&host).await;
        let key = unique("filters-volume-key");
        let (name_a, name_b) = (unique("filters-volume-a"), unique("filters-volume-b"));
        for (name, value) in [(&name_a, "a"), (&name_b, "b")] {
            let labels = HashMap::from([(key.clone(), value.to_string())]);
            with_api!(docker.api(), async |c, _api| -> () {
                docker
                    .call(
                        c.volume_create()
                            .body_map(|mut b| {
                                b.name = Some(name.clone());
                                b.labels = Some(labels);
                                b
                            })
                            .send(),
                    )
                    .await
                    .unwrap();
            });
        }
        let check = async {
            let (a_, b_) = (name_a.as_str(), name_b.as_str());
            let a_only = Filters::new().label_pair(&key, "a");
            assert_eq!(volume_names(&docker, a_only).await, set([a_]), "{host}");
            let both = Filters::new().label_key(&key);
            assert_eq!(volume_names(&docker, both).await, set([a_, b_]), "{host}");
            // Unused, local, named `…-b`.
            let b_only = Filters::new()
                .label_key(&key)
                .dangling(true)
                .driver("local")
                .name(b_);
            assert_eq!(volume_names(&docker, b_only).await, set([b_]), "{host}");
            let in_use = Filters::new().label_key(&key).dangling(false);
            assert_eq!(volume_names(&docker, in_use).await, set([]), "{host}");
        };
        finally(check, async {
            for name in [&name_a, &name_b] {
                let removed = with_api!(docker.api(), async |c, _api| docker
                    .call(c.volume_delete().name(name.as_str()).send())
                    .await);
                if let Err(e) = removed {
                    eprintln!("removing volume {name}: {e}");
                }
            }
        })
        .await;
    }
}
