//! TLS to a real daemon: Docker 28 listens on `DOCKER_TEST_TLS_HOST` with client certificates
//! required, and `DOCKER_TEST_TLS_CERTS` holds certificate directories made by
//! `scripts/test-daemons.sh` (client/, ca-only/, other-ca/).

mod support;

use docker_engine_api::{ConnectReason, Docker, Error, TlsConfig, with_api};
use std::path::{Path, PathBuf};
use support::*;

fn tls_host() -> String {
    std::env::var("DOCKER_TEST_TLS_HOST").expect(
        "DOCKER_TEST_TLS_HOST is not set: start the test daemons with `eval \"$(scripts/test-daemons.sh)\"`",
    )
}

fn certs(dir: &str) -> PathBuf {
    let root = std::env::var("DOCKER_TEST_TLS_CERTS").expect("DOCKER_TEST_TLS_CERTS is not set");
    Path::new(&root).join(dir)
}

async fn connect(tls: TlsConfig) -> Result<Docker, Error> {
    Docker::builder().host(&tls_host())?.tls(tls).connect().await
}

/// A directory with `ca` as ca.pem and the accepted client certificate.
fn dir_with_ca(name: &str, ca: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(certs(ca).join("ca.pem"), dir.join("ca.pem")).unwrap();
    for f in ["cert.pem", "key.pem"] {
        std::fs::copy(certs("client").join(f), dir.join(f)).unwrap();
    }
    dir
}

#[tokio::test]
async fn verified_with_a_client_certificate() {
    let docker = connect(TlsConfig::from_dir(certs("client"))).await.unwrap();
    let daemon = docker.daemon().expect("negotiated over TLS");
    assert!(daemon.max.minor >= 45, "{daemon:?}");
    with_api!(docker.api(), async |c, _api| -> () {
        let version = docker.call(c.system_version().send()).await.unwrap();
        assert!(version.api_version.is_some());
        // A list through the same TLS connection pool decodes too.
        docker.call(c.image_list().send()).await.unwrap();
    });
}

#[tokio::test]
async fn an_unknown_authority_fails_the_handshake() {
    let dir = dir_with_ca("other-ca", "other-ca");
    let err = connect(TlsConfig::from_dir(&dir)).await.unwrap_err();
    match &err {
        Error::Connect {
            reason: ConnectReason::Tls(why),
            endpoint,
            ..
        } => {
            assert!(why.contains("UnknownIssuer"), "{why}");
            assert_eq!(endpoint, &tls_host());
        }
        other => panic!("expected a TLS connect error, got {other:?}"),
    }
    assert!(err.to_string().contains("TLS"), "{err}");

    // Verification off (only DOCKER_CERT_PATH, as the Go SDK reads it): the same directory works.
    let docker = connect(TlsConfig::from_dir(&dir).verify(false)).await.unwrap();
    assert!(docker.daemon().is_some());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn the_daemon_refuses_a_client_without_its_certificate() {
    // No client certificate at all, then one signed by another authority.
    let foreign = dir_with_ca("foreign-client", "client");
    for f in ["cert.pem", "key.pem"] {
        std::fs::copy(certs("other-ca").join(f), foreign.join(f)).unwrap();
    }
    for (dir, alert) in [
        (certs("ca-only"), "CertificateRequired"),
        (foreign.clone(), "UnknownCA"),
    ] {
        match connect(TlsConfig::from_dir(&dir)).await.unwrap_err() {
            Error::Connect {
                reason: ConnectReason::Tls(why),
                ..
            } => assert!(why.contains(alert), "{}: {why}", dir.display()),
            other => panic!("{}: expected a TLS connect error, got {other:?}", dir.display()),
        }
    }
    std::fs::remove_dir_all(&foreign).unwrap();
}

#[tokio::test]
async fn plain_http_to_the_tls_port_says_so() {
    let err = Docker::builder()
        .host(&tls_host())
        .unwrap()
        .connect()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("HTTPS"), "{err}");
}

#[tokio::test]
async fn an_interactive_exec_over_tls() {
    // The hijacked connection is upgraded inside the TLS session.
    let docker = connect(TlsConfig::from_dir(certs("client"))).await.unwrap();
    let tag = busybox_image(&docker, "tls").await;
    let id = with_api!(docker.api(), async |c, api| -> _ {
        let created = docker
            .call(
                c.container_create()
                    .body_map(|mut b| {
                        b.image = Some(tag.clone());
                        b.cmd = Some(vec!["sleep".into(), "30".into()]);
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
        let id = created.id.unwrap();
        docker
            .call(c.container_start().id(id.clone()).send())
            .await
            .unwrap();
        id
    });
    assert_eq!(exec_cat(&docker, &id, b"over tls\n").await, b"over tls\n");
    remove_image(&docker, &tag).await;
}
