//! `specs/provenance.lock` pins every vendored spec: each line's sha256 matches the file, every
//! spec of the version table is pinned, and no spec in `specs/` is unpinned.

use docker_engine_api_codegen::VERSIONS;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const LOCK: &str = "provenance.lock";
/// Files of `specs/` that are not vendored specs: the lock itself and the licence texts that
/// come with the specs.
const NOT_PINNED: &[&str] = &[LOCK, "LICENSE", "NOTICE"];
const TO_DO: &str = "specs/ may only change by re-vendoring from upstream: copy the files from the \
                     upstream commit and write their line (file, repository, commit, upstream path, \
                     sha256) in specs/provenance.lock; never edit a vendored spec, record a fix in \
                     generator/src/fixes.rs instead";

fn specs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs")
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The files of a specs directory, by name.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            let name = entry.file_name().into_string().expect("UTF-8 file name");
            files.insert(name, std::fs::read(entry.path()).unwrap());
        }
    }
    files
}

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len
        && s.chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
}

/// What is wrong with `lock` against `files` and the version table's specs.
fn problems(lock: &str, files: &BTreeMap<String, Vec<u8>>, specs: &[&str]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut pinned = BTreeMap::new();
    for (n, line) in lock.lines().enumerate().map(|(n, l)| (n + 1, l)) {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<_> = line.split('\t').collect();
        let [file, repo, commit, upstream, sha] = fields[..] else {
            problems.push(format!(
                "line {n}: expected 5 tab-separated fields (file, repository, commit, upstream path, sha256), found {}",
                fields.len()
            ));
            continue;
        };
        if !repo.contains('/') || !is_hex(commit, 40) || upstream.is_empty() || !is_hex(sha, 64) {
            problems.push(format!("line {n}: malformed: {line:?}"));
        }
        if pinned.insert(file.to_string(), sha.to_string()).is_some() {
            problems.push(format!("line {n}: {file} is pinned twice"));
        }
        match files.get(file) {
            None => problems.push(format!("line {n}: {file} is pinned but not in specs/")),
            Some(bytes) => {
                let actual = sha256_hex(bytes);
                if actual != sha {
                    problems.push(format!(
                        "{file}: sha256 is {actual}, the lock says {sha} (line {n})"
                    ));
                }
            }
        }
    }
    for spec in specs {
        if !pinned.contains_key(*spec) {
            problems.push(format!("{spec} is in VERSIONS but not in {LOCK}"));
        }
    }
    for name in files.keys() {
        if !pinned.contains_key(name) && !NOT_PINNED.contains(&name.as_str()) {
            problems.push(format!("{name} is in specs/ but not in {LOCK}"));
        }
    }
    problems
}

fn version_specs() -> Vec<&'static str> {
    VERSIONS.iter().map(|v| v.spec).collect()
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
}
