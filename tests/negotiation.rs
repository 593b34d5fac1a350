//! Version negotiation against the real daemons, and what goes on the wire.

mod support;

use docker_engine_api::{ApiVersion, Docker, ENABLED_MINORS, Error, with_api};
use support::*;

fn newest_enabled_not_newer_than(v: ApiVersion) -> ApiVersion {
    ApiVersion::v1(
        *ENABLED_MINORS
            .iter()
            .rev()
            .find(|m| **m <= v.minor)
            .expect("an enabled module"),
    )
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
        let expected = newest_enabled_not_newer_than(versions.max);
        assert_eq!(docker.api().version(), expected, "{daemon}");
        assert_eq!(docker.api_version(), expected, "{daemon}");
        assert!(
            versions.min.is_some_and(|m| m <= expected),
            "{daemon}: {versions:?}"
        );
        assert_eq!(versions.os_type.as_deref(), Some("linux"));

        let info = with_api!(docker.api(), c, _api => docker.call(c.system_info().send()).await.unwrap().id);
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

#[tokio::test(flavor = "multi_thread")]
async fn a_pinned_version_is_sent_as_is_without_negotiation() {
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
        assert!(docker.daemon().is_none());
        assert_eq!(docker.api_version(), pin);
        let version = with_api!(docker.api(), c, _api => docker.call(c.system_version().send()).await.unwrap().api_version);
        assert!(version.is_some());
        assert_eq!(
            proxy.lines(),
            vec!["GET /v1.30/version HTTP/1.1".to_string()],
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

#[tokio::test(flavor = "multi_thread")]
async fn the_daemon_rejects_versions_it_does_not_speak() {
    for daemon in daemons() {
        // Too new: 400 with a JSON message.
        let docker = pinned(&daemon, 99).await;
        let err =
            with_api!(docker.api(), c, _api => docker.call(c.system_version().send()).await.unwrap_err());
        match err {
            Error::Daemon { status: 400, message } => assert!(message.contains("too new"), "{message}"),
            other => panic!("{daemon}: {other:?}"),
        }
        // Too old: 400 with a plain-text body.
        let docker = pinned(&daemon, 11).await;
        let err =
            with_api!(docker.api(), c, _api => docker.call(c.system_version().send()).await.unwrap_err());
        match err {
            Error::Daemon { status: 400, message } => assert!(message.contains("too old"), "{message}"),
            other => panic!("{daemon}: {other:?}"),
        }
    }
}
