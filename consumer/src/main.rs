//! Lists the containers of a daemon reached over TCP with the generated v1.41 client:
//! `cargo run -- http://127.0.0.1:2375` (the URL must include the `/v1.41` prefix or not: the
//! client adds nothing; `http://127.0.0.1:2375/v1.41` pins the version).

/// The generated module: only the container and image operations of v1.41 (and the schemas
/// they use; a program uses some of them, hence `dead_code`).
#[allow(clippy::all, unused_imports, dead_code, rustdoc::all)]
mod docker {
    include!(concat!(env!("OUT_DIR"), "/docker.rs"));
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let Some(url) = std::env::args().nth(1) else {
        eprintln!("usage: codegen-consumer http://HOST:PORT/v1.41");
        return Ok(());
    };
    let client = docker::Client::new(&url);
    // The list is `nullable` in the spec: an `Option`.
    let containers = client
        .container_list()
        .all(true)
        .send()
        .await?
        .into_inner()
        .unwrap_or_default();
    for c in containers {
        println!("{} {}", c.id.unwrap_or_default(), c.image.unwrap_or_default());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::docker::types;

    /// The generated types decode what a Docker 20.10 daemon (API v1.41) sent.
    #[test]
    fn decodes_recorded_responses() {
        let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/daemon/20.10");
        let read = |f: &str| std::fs::read_to_string(format!("{fixtures}/{f}")).expect(f);
        let containers: Vec<types::ContainerSummary> =
            serde_json::from_str(&read("containers-json.json")).expect("container list");
        assert!(!containers.is_empty());
        let images: Vec<types::ImageSummary> =
            serde_json::from_str(&read("images-json.json")).expect("image list");
        assert!(
            images
                .iter()
                .any(|i| i.id.as_deref().is_some_and(|id| id.starts_with("sha256:")))
        );
    }

    /// The client has the operations the filter kept; the others are not generated.
    #[test]
    fn client_has_the_kept_operations() {
        let client = super::docker::Client::new("http://127.0.0.1:9/v1.41");
        let _ = client.container_inspect().id("x");
        let _ = client.image_list().all(true);
        let code = include_str!(concat!(env!("OUT_DIR"), "/docker.rs"));
        assert!(code.contains("pub fn container_list("));
        assert!(
            !code.contains("pub fn system_info("),
            "System operations were filtered out"
        );
        assert!(
            !code.contains("pub struct SwarmSpec"),
            "schemas no kept operation uses are left out"
        );
    }
}
