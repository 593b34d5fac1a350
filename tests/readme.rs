//! A new user's first contact: a scratch crate that depends on this one with default features
//! runs the README example as written, against both daemons.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use support::*;

/// The README's example, as a program: its first `rust` block, without the doctest's hidden
/// lines, inside an async `main`.
fn readme_program() -> String {
    let readme = include_str!("../README.md");
    let start = readme.find("```rust").expect("a rust block") + "```rust".len();
    let start = start + readme[start..].find('\n').unwrap() + 1;
    let end = start + readme[start..].find("```").unwrap();
    let body: Vec<&str> = readme[start..end]
        .lines()
        .filter(|l| !l.trim_start().starts_with("# ") && l.trim() != "#")
        .collect();
    let (uses, rest): (Vec<&str>, Vec<&str>) = body.iter().partition(|l| l.starts_with("use "));
    format!(
        "{}\n\n#[tokio::main]\nasync fn main() -> Result<(), docker_engine_api::Error> {{\n{}\n    Ok(())\n}}\n",
        uses.join("\n"),
        rest.iter()
            .map(|l| format!("    {l}"))
            .collect::<Vec<_>>()
            .join("\n")
    )
}

/// Writes the scratch crate (the repository's lock file pins the same dependency versions).
fn scratch_crate(dir: &Path) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let manifest = format!(
        "[package]\nname = \"first-contact\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\ndocker-engine-api = {{ path = {:?} }}\n\
         tokio = {{ version = \"1\", features = [\"rt-multi-thread\", \"macros\"] }}\n\n[workspace]\n",
        repo.display().to_string()
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::copy(repo.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    std::fs::write(dir.join("src/main.rs"), readme_program()).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn the_readme_example_runs_with_default_features() {
    let hosts = daemons();
    let dir = std::env::temp_dir().join(unique("first-contact"));
    scratch_crate(&dir);
    // Built once, in a target directory of its own that later runs reuse.
    let target = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/first-contact");
    let cargo = env!("CARGO");
    let build = Command::new(cargo)
        .args(["build", "--quiet"])
        .env("CARGO_TARGET_DIR", &target)
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    for host in hosts {
        // The example runs `busybox:latest`: the test image under that name, unless there.
        let docker = negotiated(&host).await;
        let image = busybox_image(&docker, "readme").await;
        let tagged = docker_engine_api::with_api!(docker.api(), async |c, _api| -> bool {
            let present = docker
                .call(c.image_inspect().name("busybox:latest").send())
                .await
                .is_ok();
            if !present {
                docker
                    .call(
                        c.image_tag()
                            .name(image.as_str())
                            .repo("busybox")
                            .tag("latest")
                            .send(),
                    )
                    .await
                    .unwrap();
            }
            !present
        });
        let run = Command::new(target.join("debug/first-contact"))
            .env("DOCKER_HOST", &host)
            .env_remove("DOCKER_API_VERSION")
            .output()
            .unwrap();
        let out = String::from_utf8_lossy(&run.stdout);
        if tagged {
            remove_image(&docker, "busybox:latest").await;
        }
        remove_image(&docker, &image).await;
        assert!(
            run.status.success(),
            "{host}: {out}\n{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let wire = docker.daemon().unwrap().max;
        assert!(out.contains(&format!("talking API v{wire}")), "{host}: {out}");
        assert!(out.contains("the container exited with Some(0)"), "{host}: {out}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
