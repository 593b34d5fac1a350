//! Version negotiation against the real daemons, and what goes on the wire.

mod support;

use docker_engine_api::{ApiVersion, Docker, ENABLED_MINORS, Error, with_api};
use support::*;

/// The module negotiation picks: the newest enabled one not newer than the daemon, or the
/// oldest enabled one for a daemon older than all of them.
fn module_for(v: ApiVersion) -> ApiVersion {
    let newest = ENABLED_MINORS.iter().rev().find(|m| **m <= v.minor);
    ApiVersion::v1(*newest.unwrap_or(&ENABLED_MINORS[0]))
}

#[tokio::test(flavor = "multi_thread")]
async fn negotiates_the_newest_module_the_daemon_speaks_and_sends_its_prefix() {
    for daemon in daemons() {
        let proxy = RecordingProxy::start(&daemon).await;
        let docker = Docker::builder()
            .host(&proxy.host)
            .unwrap()
            .connect()
            .await
            .unwrap();
        let versions = docker.daemon().expect("negotiated").clone();
        let module = module_for(versions.max);
        let expected = module.min(versions.max);
        assert_eq!(docker.api().version(), module, "{daemon}");
        assert_eq!(docker.api_version(), expected, "{daemon}");
        assert_eq!(docker.api().wire_version(), expected, "{daemon}");
        assert!(
            versions.min.is_some_and(|m| m <= expected),
            "{daemon}: {versions:?}"
        );
        assert_eq!(versions.os_type.as_deref(), Some("linux"));

        let info = with_api!(docker.api(), async |c, _api| -> _ {
            docker.call(c.system_info().send()).await.unwrap().id
        });
        assert!(info.is_some());
        let prefix = expected.path_prefix();
        assert_eq!(
            proxy.lines(),
            vec![
                "HEAD /_ping HTTP/1.1".to_string(),
                format!("GET {prefix}/version HTTP/1.1"),
                format!("GET {prefix}/info HTTP/1.1"),
            ],
            "{daemon}"
        );
    }
}

/// A pin is not negotiated, but checked: the daemon's `/version` must accept it.
#[tokio::test(flavor = "multi_thread")]
async fn a_pinned_version_is_sent_as_is_and_checked() {
    for daemon in daemons() {
        let proxy = RecordingProxy::start(&daemon).await;
        let pin = ApiVersion::v1(30);
        let docker = Docker::builder()
            .host(&proxy.host)
            .unwrap()
            .version(pin)
            .connect()
            .await
            .unwrap();
        assert!(docker.daemon().is_some_and(|d| d.max > pin));
        assert_eq!(docker.api_version(), pin);
        let version = with_api!(docker.api(), async |c, _api| -> _ {
            docker.call(c.system_version().send()).await.unwrap().api_version
        });
        assert!(version.is_some());
        assert_eq!(
            proxy.lines(),
            vec![
                "HEAD /_ping HTTP/1.1".to_string(),
                "GET /v1.30/version HTTP/1.1".to_string(),
                "GET /v1.30/version HTTP/1.1".to_string(),
            ],
            "{daemon}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_newer_module_talks_the_older_negotiated_version() {
    // v1.55 is newer than both test daemons (1.41, 1.51): its client sends their version.
    for daemon in daemons() {
        let proxy = RecordingProxy::start(&daemon).await;
        let docker = Docker::builder()
            .host(&proxy.host)
            .unwrap()
            .connect()
            .await
            .unwrap();
        let wire = docker.api_version();
        assert!(wire < ApiVersion::v1(55));
        let before = proxy.lines().len();
        let ping = docker.call(docker.v1_55().system_ping().send()).await.unwrap();
        assert_eq!(collect(ping).await, b"OK");
        assert_eq!(
            proxy.lines()[before..],
            [format!("GET {}/_ping HTTP/1.1", wire.path_prefix())]
        );
    }
}

/// A pin the daemon does not speak fails `connect`, with the daemon's reason.
#[tokio::test(flavor = "multi_thread")]
async fn a_pin_the_daemon_does_not_speak_fails_connect() {
    for daemon in daemons() {
        for (minor, why) in [(99, "too new"), (11, "too old")] {
            let b = Docker::builder()
                .host(&daemon)
                .unwrap()
                .version(ApiVersion::v1(minor));
            match b.connect().await {
                Err(Error::Version(m)) => {
                    assert!(m.contains(why) && m.contains(&format!("1.{minor}")), "{m}")
                }
                other => panic!("{daemon}: pin 1.{minor}: {other:?}"),
            }
        }
    }
}
