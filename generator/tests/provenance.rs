//! `specs/provenance.lock` pins every vendored spec: each line's sha256 matches the file, every
//! spec of the version table is pinned, and no spec in `specs/` is unpinned
//! (`docker_engine_api_codegen::provenance`, also run by `cargo xtask check`).

use docker_engine_api_codegen::VERSIONS;
use docker_engine_api_codegen::provenance::{LOCK, TO_DO, problems, spec_files};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn specs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs")
}

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    spec_files(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
}

fn version_specs() -> Vec<&'static str> {
    VERSIONS.iter().map(|v| &*v.spec).collect()
}

#[test]
fn every_vendored_spec_matches_the_lock() {
    let files = files(&specs_dir());
    let lock = String::from_utf8(files[LOCK].clone()).expect("UTF-8 lock");
    let problems = problems(&lock, &files, &version_specs());
    assert!(problems.is_empty(), "{}\n\n{TO_DO}", problems.join("\n"));
}

#[test]
fn the_check_finds_each_kind_of_problem() {
    let good = files(&specs_dir());
    let lock = String::from_utf8(good[LOCK].clone()).unwrap();
    let specs = version_specs();
    assert!(problems(&lock, &good, &specs).is_empty());

    let fails = |what: &str, lock: &str, files: &BTreeMap<String, Vec<u8>>, specs: &[&str], expect: &str| {
        let found = problems(lock, files, specs);
        assert!(
            found.iter().any(|p| p.contains(expect)),
            "{what}: expected `{expect}` in {found:?}"
        );
    };
    // A spec edited in place.
    let mut edited = good.clone();
    edited
        .get_mut("v1.41.yaml")
        .unwrap()
        .extend_from_slice(b"\n# local edit\n");
    fails("edited spec", &lock, &edited, &specs, "v1.41.yaml: sha256 is");
    // A spec added without a lock line.
    let mut added = good.clone();
    added.insert("v1.56.yaml".into(), b"swagger: \"2.0\"\n".to_vec());
    fails(
        "unpinned spec",
        &lock,
        &added,
        &specs,
        "v1.56.yaml is in specs/ but not in",
    );
    // A version whose spec is not pinned.
    let unpinned: String = lock
        .lines()
        .filter(|l| !l.starts_with("v1.55.yaml\t"))
        .map(|l| format!("{l}\n"))
        .collect();
    let mut without = good.clone();
    without.remove("v1.55.yaml");
    fails(
        "version not pinned",
        &unpinned,
        &without,
        &specs,
        "v1.55.yaml is in VERSIONS but not in",
    );
    // A pinned file that is gone.
    fails(
        "missing file",
        &lock,
        &without,
        &specs,
        "v1.55.yaml is pinned but not in specs/",
    );
    // A malformed line.
    fails(
        "malformed",
        &format!("{lock}v1.99.yaml\tmoby/moby\n"),
        &good,
        &specs,
        "expected 5 tab-separated fields",
    );
    // A derived file whose source is not a vendored file of the lock.
    let orphan: String = lock
        .lines()
        .map(|l| {
            if l.starts_with("v1.24.yaml\t") {
                l.replacen("\tv1.25.yaml\t", "\tv1.99.yaml\t", 1)
            } else {
                l.to_string()
            }
        })
        .map(|l| format!("{l}\n"))
        .collect();
    fails(
        "derived from nothing",
        &orphan,
        &good,
        &specs,
        "v1.24.yaml is derived from v1.99.yaml, which is not a vendored file",
    );
}

#[test]
fn unknown_commits_and_derived_files_are_accepted() {
    use docker_engine_api_codegen::provenance::{Entry, parse, sha256_hex, upsert};
    let sha = sha256_hex(b"swagger: \"2.0\"\n");
    let vendored = Entry {
        file: "v1.56.yaml".into(),
        repo: "moby/moby".into(),
        commit: "unknown".into(),
        upstream: "api/docs/v1.56.yaml".into(),
        sha256: sha.clone(),
    };
    let derived = Entry {
        file: "v1.24.yaml".into(),
        repo: "derived".into(),
        commit: "v1.56.yaml".into(),
        upstream: "cargo xtask derive-v1.24".into(),
        sha256: sha.clone(),
    };
    let lock = upsert(&upsert("# header\n", &vendored), &derived);
    let (entries, problems) = parse(&lock);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(
        entries.iter().map(|(_, e)| e.clone()).collect::<Vec<_>>(),
        [vendored.clone(), derived]
    );
    let files: BTreeMap<String, Vec<u8>> = ["v1.56.yaml", "v1.24.yaml"]
        .into_iter()
        .map(|f| (f.to_string(), b"swagger: \"2.0\"\n".to_vec()))
        .collect();
    assert!(docker_engine_api_codegen::provenance::problems(&lock, &files, &["v1.56.yaml"]).is_empty());
    // upsert replaces a line in place.
    let moved = Entry {
        commit: "0".repeat(40),
        ..vendored
    };
    let relocked = upsert(&lock, &moved);
    assert_eq!(relocked.lines().nth(1), Some(moved.line().as_str()));
    assert_eq!(relocked.lines().count(), 3);
    // Any other commit than 40 hex digits or `unknown` is malformed.
    let (_, problems) = parse(&format!(
        "v1.56.yaml\tmoby/moby\tmain\tapi/docs/v1.56.yaml\t{sha}\n"
    ));
    assert!(problems[0].contains("malformed"), "{problems:?}");
}
