//! Tracing: one `docker_request` span per request, generated or hand-written, with the
//! operation, status and time, and no credential in anything recorded.

mod support;

use docker_engine_api::{Docker, RegistryAuth};
use std::sync::{Arc, Mutex};
use support::fake::{Fake, Reply};

const SENTINEL: &str = "S3NT1NEL-trace-secret";

/// A `Write` into a shared buffer, for the subscriber's output.
#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn every_request_has_a_span_and_no_secret_is_recorded() {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    // This test's thread only (a current-thread runtime): other tests' requests stay out.
    let _guard = tracing::subscriber::set_default(subscriber);

    let fake = Fake::tcp(|req| {
        Reply::negotiation(req).unwrap_or_else(|| match req.path() {
            "/v1.41/info" => Reply::json("200 OK", r#"{"ID":"x"}"#),
            _ => Reply::json("401 Unauthorized", r#"{"message":"denied"}"#),
        })
    })
    .await;
    let docker = Docker::builder()
        .host(&fake.host)
        .unwrap()
        .connect()
        .await
        .unwrap();
    let client = docker.v1_41();
    docker.call(client.system_info().send()).await.unwrap();
    let auth = docker_engine_api::v1_41::types::AuthConfig {
        username: Some("me".into()),
        password: Some(SENTINEL.into()),
        ..Default::default()
    };
    assert!(docker.call(client.system_auth().body(auth).send()).await.is_err());
    let header = RegistryAuth::new("127.0.0.1:5000", "me", SENTINEL).header();
    let push = client
        .image_push()
        .name("127.0.0.1:5000/x")
        .x_registry_auth(header.clone());
    assert!(docker.call(push.send()).await.is_err());
    assert!(docker.path_stat("some-id", "/etc").await.is_err());

    let text = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    let spans: Vec<&str> = text.lines().filter(|l| l.contains("docker_request")).collect();
    for expected in [
        r#"operation="HEAD /_ping""#,
        r#"operation="GET /version""#,
        r#"operation="system_info""#,
        r#"operation="system_auth""#,
        r#"operation="image_push""#,
        r#"operation="HEAD /containers/{id}/archive""#,
    ] {
        assert!(
            spans
                .iter()
                .any(|l| l.contains(expected) && l.contains("status=")),
            "no closed span with {expected} and a status:\n{text}"
        );
    }
    assert!(spans.iter().any(|l| l.contains("status=200")), "{text}");
    assert!(spans.iter().any(|l| l.contains("status=401")), "{text}");
    assert!(
        !text.contains(SENTINEL) && !text.contains(&header),
        "a secret was recorded:\n{text}"
    );
    assert!(!text.contains("docker.sock"), "{text}");
}
