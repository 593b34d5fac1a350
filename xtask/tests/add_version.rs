//! `cargo xtask add-version`: its errors, and end to end on a copy of the repository with the
//! unreleased v1.56 spec (`tests/fixtures/v1.56.yaml`) as "the new version that shipped".

mod support;

use std::path::{Path, PathBuf};
use xtask::add_version::{Options, add_version};

const FIXTURE: &str = "xtask/tests/fixtures/v1.56.yaml";

/// `add_version` on `root` from a spec with `text`, without regenerating.
fn add(root: &Path, text: &str, minor: Option<u32>) -> Result<xtask::add_version::Added, String> {
    let file = root.join("new-spec.yaml");
    std::fs::write(&file, text).unwrap();
    let mut opts = Options::new(file.display().to_string());
    opts.minor = minor;
    opts.regen = false;
    add_version(root, &opts)
}

/// A scratch root that has nothing to break: every error below comes before any write.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("specs")).unwrap();
    dir
}

#[test]
fn errors_are_clear() {
    let root = scratch("add-version-errors");
    let err = |text: &str, minor| add(&root, text, minor).unwrap_err();
    let e = err("swagger: \"2.0\"\ninfo:\n  version: \"1.55\"\n", None);
    assert!(
        e.contains("wrong version: info.version is 1.55, expected 1.56 (v1.55 is already present)"),
        "{e}"
    );
    let e = err("openapi: 3.0.3\ninfo:\n  version: \"1.56\"\n", None);
    assert!(
        e.contains("not a Swagger 2.0 document (an OpenAPI 3.0.3 document)"),
        "{e}"
    );
    let e = err("swagger: \"2.0\"\ninfo: [unclosed\n", None);
    assert!(e.contains("broken YAML"), "{e}");
    let e = err("swagger: \"2.0\"\n", Some(41));
    assert!(e.contains("v1.41 is already present"), "{e}");
    let e = err("swagger: \"2.0\"\n", Some(20));
    assert!(e.contains("only versions newer than v1.55 can be added"), "{e}");
    let e = add_version(
        &root,
        &Options::new(root.join("nothing.yaml").display().to_string()),
    )
    .unwrap_err();
    assert!(e.contains("nothing.yaml: No such file"), "{e}");
    let e = add_version(&root, &Options::new(root.display().to_string())).unwrap_err();
    assert!(e.contains("no spec of v1.56 in this directory"), "{e}");
    assert_eq!(
        std::fs::read_dir(root.join("specs")).unwrap().count(),
        0,
        "nothing written"
    );
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn a_url_without_network_says_so() {
    let root = scratch("add-version-url");
    // A port of this machine with nothing listening: the download fails at once.
    let e = add_version(&root, &Options::new("http://127.0.0.1:9/v1.56.yaml")).unwrap_err();
    assert!(
        e.contains("could not download") || e.contains("cannot run curl"),
        "{e}"
    );
    std::fs::remove_dir_all(&root).unwrap();
}

/// A moby checkout: the development spec `api/swagger.yaml` counts when it is the version
/// asked for, with the checkout's changelog.
#[test]
fn a_checkout_is_searched() {
    let root = scratch("add-version-checkout");
    let checkout = root.join("moby");
    std::fs::create_dir_all(checkout.join("api")).unwrap();
    std::fs::write(
        checkout.join("api/swagger.yaml"),
        "swagger: \"2.0\"\ninfo:\n  version: \"1.57\"\n",
    )
    .unwrap();
    let mut opts = Options::new(checkout.display().to_string());
    opts.regen = false;
    let e = add_version(&root, &opts).unwrap_err();
    assert!(
        e.contains("looked for api/docs/v1.56.yaml, docs/api/v1.56.yaml, api/swagger.yaml"),
        "{e}"
    );
    std::fs::remove_dir_all(&root).unwrap();
}

/// The whole workflow in a copy: add v1.56, then `cargo xtask check` passes and the crate
/// builds with only `v1_56`. Slow (it builds xtask and the crate in the copy): the copy's
/// target directory is kept between runs, so that only the first one compiles the dependencies.
#[test]
fn add_version_end_to_end() {
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("add-version-e2e");
    let copy = tmp.join("repo");
    let target = tmp.join("target");
    support::copy_repo(&copy);
    let fixture = std::fs::read(copy.join(FIXTURE)).unwrap();

    let out = support::cargo(
        &copy,
        &target,
        &["xtask", "add-version", FIXTURE, "--commit", "unknown"],
    );
    assert!(out.status.success(), "add-version failed");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("added v1.56 (fixes: auth-never-204, push-aux, distribution-auth, build-aux-any, swarm-create-id, plugin-delete-no-body, plugin-pull-progress, plugin-registry-auth)"),
        "{stdout}"
    );

    let read = |rel: &str| std::fs::read_to_string(copy.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    assert_eq!(
        std::fs::read(copy.join("specs/v1.56.yaml")).unwrap(),
        fixture,
        "vendored verbatim"
    );
    let sha = docker_engine_api_codegen::provenance::sha256_hex(&fixture);
    assert!(read("specs/provenance.lock").contains(&format!(
        "v1.56.yaml\tmoby/moby\tunknown\tapi/docs/v1.56.yaml\t{sha}\n"
    )));
    assert!(read("generator/src/versions.rs").contains(
        "    55 => [AUTH_NEVER_204, PUSH_AUX, DISTRIBUTION_AUTH, BUILD_AUX_ANY, SWARM_CREATE_ID, PLUGIN_DELETE_NO_BODY, PLUGIN_PULL_PROGRESS, PLUGIN_REGISTRY_AUTH],\n    56 => [AUTH_NEVER_204, PUSH_AUX, DISTRIBUTION_AUTH, BUILD_AUX_ANY, SWARM_CREATE_ID, PLUGIN_DELETE_NO_BODY, PLUGIN_PULL_PROGRESS, PLUGIN_REGISTRY_AUTH],\n"
    ));
    let cargo_toml = read("Cargo.toml");
    assert!(cargo_toml.contains("latest = [\"v1_56\"]\n") && cargo_toml.contains("v1_55 = []\nv1_56 = []\n"));
    assert!(read("README.md").contains("`v1_24` ... `v1_56`"));
    assert!(read("README.md").contains("v1.25 to v1.56"));
    assert!(
        copy.join("generator/tests/golden/v1_56.rs").exists(),
        "snapshot of the newest"
    );
    assert!(
        !copy.join("generator/tests/golden/v1_55.rs").exists(),
        "v1.55 is no longer the newest"
    );
    assert!(read("docs/api-diffs/v1.55-v1.56.md").contains("# Docker Engine API v1.55 to v1.56"));
    assert!(read("docs/api-diffs/README.md").contains("(v1.55-v1.56.md)"));

    let out = support::cargo(&copy, &target, &["xtask", "check"]);
    assert!(out.status.success(), "check fails after add-version");
    assert!(String::from_utf8_lossy(&out.stdout).contains("check: all good"));

    let out = support::cargo(
        &copy,
        &target,
        &["build", "--no-default-features", "--features", "v1_56"],
    );
    assert!(
        out.status.success(),
        "the copy does not build with --features v1_56"
    );

    let out = support::cargo(&copy, &target, &["xtask", "add-version", FIXTURE]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("v1.56 is already present"));
    std::fs::remove_dir_all(&copy).unwrap();
}
