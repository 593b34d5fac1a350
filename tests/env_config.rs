//! Configuration from the environment, as the docker CLI reads it. One test: the environment is
//! process-wide.

mod support;

use docker_engine_api::{ApiVersion, Docker, DockerBuilder, Error, RegistryAuth, with_api};
use support::*;

fn set(name: &str, value: Option<&str>) {
    // SAFETY: this test binary has a single test, so no other thread reads the environment.
    unsafe {
        match value {
            Some(v) => std::env::set_var(name, v),
            None => std::env::remove_var(name),
        }
    }
}

#[tokio::test(flavor = "current_thread")]
async fn docker_host_and_docker_api_version() {
    let daemon = daemons().remove(0);

    // DOCKER_HOST alone: negotiated.
    set("DOCKER_HOST", Some(&daemon));
    set("DOCKER_API_VERSION", None);
    let docker = Docker::connect().await.unwrap();
    assert!(docker.daemon().is_some());
    assert_eq!(docker.endpoint().to_string(), daemon);

    // DOCKER_API_VERSION pins: that version on the wire (the daemon checked that it speaks it).
    set("DOCKER_API_VERSION", Some("1.30"));
    let docker = Docker::connect().await.unwrap();
    assert!(docker.daemon().is_some_and(|d| d.max > ApiVersion::v1(30)));
    assert_eq!(docker.api_version(), ApiVersion::v1(30));
    let v = with_api!(docker.api(), async |c, _api| -> Option<String> {
        docker.call(c.system_version().send()).await.unwrap().api_version
    });
    assert!(v.is_some());

    // Bad values are configuration errors that quote the value.
    set("DOCKER_API_VERSION", Some("latest"));
    let err = DockerBuilder::from_env().unwrap_err();
    assert!(
        matches!(&err, Error::Config(m) if m.contains("`latest`")),
        "{err:?}"
    );
    set("DOCKER_API_VERSION", None);
    set("DOCKER_HOST", Some("docker.example:2375"));
    let err = DockerBuilder::from_env().unwrap_err();
    assert!(
        matches!(&err, Error::Config(m) if m.contains("docker.example:2375")),
        "{err:?}"
    );
    // Credentials in DOCKER_HOST are refused, and the password is never shown.
    set("DOCKER_HOST", Some("tcp://user:S3CRET@docker.example:2375"));
    let err = DockerBuilder::from_env().unwrap_err();
    assert!(
        matches!(&err, Error::Config(m) if m.contains("`tcp://***@docker.example:2375`: credentials")),
        "{err:?}"
    );
    assert!(!format!("{err} {err:?}").contains("S3CRET"), "{err:?}");
    set("DOCKER_HOST", Some(&daemon));

    // TLS as the CLI reads it: DOCKER_TLS_VERIFY with DOCKER_CERT_PATH; on a unix socket it is
    // not used.
    let tls_host =
        std::env::var("DOCKER_TEST_TLS_HOST").expect("DOCKER_TEST_TLS_HOST (scripts/test-daemons.sh)");
    let certs =
        std::env::var("DOCKER_TEST_TLS_CERTS").expect("DOCKER_TEST_TLS_CERTS (scripts/test-daemons.sh)");
    set("DOCKER_TLS_VERIFY", Some("1"));
    set("DOCKER_CERT_PATH", Some(&format!("{certs}/client")));
    Docker::connect().await.unwrap();
    set("DOCKER_HOST", Some(&tls_host));
    let connected = Docker::connect().await;
    #[cfg(feature = "tls")]
    assert!(connected.unwrap().daemon().is_some());
    #[cfg(not(feature = "tls"))]
    assert!(
        matches!(&connected, Err(Error::Config(m)) if m.contains("`tls` feature")),
        "{connected:?}"
    );
    // Certificates of another authority fail, verified or not (the daemon refuses the client
    // certificate); tests/tls.rs tells the two failures apart.
    set("DOCKER_CERT_PATH", Some(&format!("{certs}/other-ca")));
    assert!(Docker::connect().await.is_err());
    set("DOCKER_TLS_VERIFY", None);
    assert!(Docker::connect().await.is_err());
    set("DOCKER_CERT_PATH", None);
    set("DOCKER_HOST", None);

    // Contexts, in a CLI configuration directory of the CLI's layout: each under the SHA-256
    // of its name. Broken contexts around them, sorting first and last, are never read.
    let config = std::env::temp_dir().join(format!("docker-config-{}", std::process::id()));
    for id in ["00", "ff"] {
        let meta = config.join("contexts/meta").join(id);
        std::fs::create_dir_all(&meta).unwrap();
        std::fs::write(meta.join("meta.json"), r#"{"Name":"last","Endpoints":{"docker":"#).unwrap();
    }
    let last = daemons().pop().unwrap();
    for (name, id, host, tls) in [
        (
            "last",
            "3547cb112ac4489af2310c0626cdba6f3097a2ad5a3b42ddd3b59c76c7a079a3",
            last.as_str(),
            false,
        ),
        (
            "secure",
            "6a934b45144e3758911efa29ed68fb2d420fa7bd568739cdcda9251fa9609b1e",
            &tls_host,
            true,
        ),
    ] {
        let meta = config.join("contexts/meta").join(id);
        std::fs::create_dir_all(&meta).unwrap();
        let json = format!(
            r#"{{"Name":"{name}","Metadata":{{}},"Endpoints":{{"docker":{{"Host":"{host}","SkipTLSVerify":false}}}}}}"#
        );
        std::fs::write(meta.join("meta.json"), json).unwrap();
        if tls {
            let dir = config.join("contexts/tls").join(id).join("docker");
            std::fs::create_dir_all(&dir).unwrap();
            for f in ["ca.pem", "cert.pem", "key.pem"] {
                std::fs::copy(format!("{certs}/client/{f}"), dir.join(f)).unwrap();
            }
        }
    }
    set("DOCKER_CONFIG", Some(config.to_str().unwrap()));
    set("DOCKER_CONTEXT", Some("last"));
    assert_eq!(Docker::connect().await.unwrap().endpoint().to_string(), last);
    // DOCKER_HOST wins over a context.
    set("DOCKER_HOST", Some(&daemon));
    assert_eq!(Docker::connect().await.unwrap().endpoint().to_string(), daemon);
    set("DOCKER_HOST", None);
    // config.json's currentContext when DOCKER_CONTEXT is unset; its TLS material is used.
    set("DOCKER_CONTEXT", None);
    std::fs::write(config.join("config.json"), r#"{"currentContext": "secure"}"#).unwrap();
    let connected = Docker::connect().await;
    #[cfg(feature = "tls")]
    assert_eq!(connected.unwrap().endpoint().to_string(), tls_host);
    #[cfg(not(feature = "tls"))]
    assert!(
        matches!(&connected, Err(Error::Config(m)) if m.contains("`tls` feature")),
        "{connected:?}"
    );
    set("DOCKER_CONTEXT", Some("nowhere"));
    let err = DockerBuilder::from_env().unwrap_err();
    assert!(err.to_string().contains("context `nowhere` not found"), "{err}");
    // `default` is DOCKER_HOST or the local socket, whatever config.json says; a context
    // can also be chosen in code.
    set("DOCKER_CONTEXT", Some("default"));
    let local = format!("unix://{}", docker_engine_api::DEFAULT_SOCKET);
    assert_eq!(Docker::connect().await.unwrap().endpoint().to_string(), local);
    let chosen = DockerBuilder::from_env().unwrap().context("last").unwrap();
    assert_eq!(chosen.connect().await.unwrap().endpoint().to_string(), last);
    set("DOCKER_CONTEXT", None);

    // Registry credentials as `docker login` stores them (`auths`, base64 `user:password`),
    // found by an image's registry and accepted by the test registry through the daemon.
    let registry =
        std::env::var("DOCKER_TEST_REGISTRY").expect("DOCKER_TEST_REGISTRY (scripts/test-daemons.sh)");
    let credentials = std::env::var("DOCKER_TEST_REGISTRY_AUTH").expect("DOCKER_TEST_REGISTRY_AUTH");
    let stored = serde_json::json!({ "auths": { format!("http://{registry}"): {
        "auth": base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &credentials)
    } } });
    std::fs::write(config.join("config.json"), stored.to_string()).unwrap();
    let auth = RegistryAuth::from_docker_config(&format!("{registry}/team/app:1"))
        .unwrap()
        .expect("the stored credentials");
    assert_eq!(auth.server_address.as_deref(), Some(registry.as_str()));
    assert_eq!(
        RegistryAuth::from_docker_config("busybox").unwrap(),
        None,
        "nothing for Docker Hub"
    );
    // What a build sends: every stored credential, under its key as written.
    let all = RegistryAuth::all_from_docker_config().unwrap();
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(
        all[0].server_address.as_deref(),
        Some(format!("http://{registry}").as_str())
    );
    assert_eq!(
        (&all[0].username, &all[0].password),
        (&auth.username, &auth.password)
    );
    let docker = negotiated(&daemon).await;
    let status = with_api!(docker.api(), async |c, _api| -> _ {
        // Set on the default: v1.55's AuthConfig has no `email`, older ones do.
        let request = c.system_auth().body_map(|mut b| {
            b.username = auth.username.clone();
            b.password = auth.password.clone();
            b.serveraddress = auth.server_address.clone();
            b
        });
        docker.call(request.send()).await.unwrap().status
    });
    assert_eq!(status.as_deref(), Some("Login Succeeded"));
    set("DOCKER_CONFIG", None);
    std::fs::remove_dir_all(&config).unwrap();
}
