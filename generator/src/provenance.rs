//! `specs/provenance.lock`: where each file of `specs/` comes from, with its sha256.
//!
//! One line per file, five tab-separated fields. A vendored file: name, upstream repository,
//! commit (40 hex digits, or `unknown` when vendored from a file of unknown origin), upstream
//! path, sha256. A file we derive (v1.24): name, `derived`, the pinned file it is derived from,
//! the command that derives it, sha256.

use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;

/// File name of the lock inside `specs/`.
pub const LOCK: &str = "provenance.lock";
/// Files of `specs/` that are not pinned: the lock itself, the licence texts of the specs and
/// the type identity table (derived from the specs, checked by `cargo xtask check`).
pub const NOT_PINNED: &[&str] = &[LOCK, "LICENSE", "NOTICE", crate::sharing::TABLE];
/// The repository field of a derived file.
pub const DERIVED: &str = "derived";
/// The commit field of a file vendored without a known upstream commit.
pub const UNKNOWN_COMMIT: &str = "unknown";
/// What to do when the lock and `specs/` disagree.
pub const TO_DO: &str = "specs/ may only change by re-vendoring from upstream (`cargo xtask add-version`, \
     or copy the files and write their line in specs/provenance.lock: file, repository, commit, \
     upstream path, sha256) or by re-deriving (`cargo xtask regen`); never edit a vendored spec, \
     record a fix in generator/src/fixes.rs instead";

/// One line of the lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub file: String,
    /// `owner/name`, or [`DERIVED`].
    pub repo: String,
    /// The upstream commit; for a derived file, the file it is derived from.
    pub commit: String,
    /// The upstream path; for a derived file, the command that derives it.
    pub upstream: String,
    pub sha256: String,
}

impl Entry {
    /// The line of the lock (without the newline).
    pub fn line(&self) -> String {
        format!(
            "{}\t{}\t{}\t{}\t{}",
            self.file, self.repo, self.commit, self.upstream, self.sha256
        )
    }

    pub fn is_derived(&self) -> bool {
        self.repo == DERIVED
    }
}

/// Lowercase hex sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The files of a specs directory, by name.
pub fn spec_files(dir: &Path) -> std::io::Result<BTreeMap<String, Vec<u8>>> {
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            let name = entry.file_name().to_string_lossy().into_owned();
            files.insert(name, std::fs::read(entry.path())?);
        }
    }
    Ok(files)
}

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len
        && s.chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
}

/// The entries of `lock` (comments and blank lines skipped) with their line numbers, and the
/// problems of lines that are malformed.
pub fn parse(lock: &str) -> (Vec<(usize, Entry)>, Vec<String>) {
    let mut entries = Vec::new();
    let mut problems = Vec::new();
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
        let commit_ok = if repo == DERIVED {
            !commit.is_empty()
        } else {
            repo.contains('/') && (is_hex(commit, 40) || commit == UNKNOWN_COMMIT)
        };
        if !commit_ok || upstream.is_empty() || !is_hex(sha, 64) {
            problems.push(format!("line {n}: malformed: {line:?}"));
        }
        let entry = Entry {
            file: file.into(),
            repo: repo.into(),
            commit: commit.into(),
            upstream: upstream.into(),
            sha256: sha.into(),
        };
        entries.push((n, entry));
    }
    (entries, problems)
}

/// What is wrong with `lock` against `files` (the contents of `specs/`) and `specs` (the spec
/// files of the version table).
pub fn problems(lock: &str, files: &BTreeMap<String, Vec<u8>>, specs: &[&str]) -> Vec<String> {
    let (entries, mut problems) = parse(lock);
    let mut pinned = BTreeMap::new();
    for (n, e) in &entries {
        if pinned.insert(e.file.clone(), e).is_some() {
            problems.push(format!("line {n}: {} is pinned twice", e.file));
        }
        match files.get(&e.file) {
            None => problems.push(format!("line {n}: {} is pinned but not in specs/", e.file)),
            Some(bytes) => {
                let actual = sha256_hex(bytes);
                if actual != e.sha256 {
                    problems.push(format!(
                        "{}: sha256 is {actual}, the lock says {} (line {n})",
                        e.file, e.sha256
                    ));
                }
            }
        }
    }
    for (n, e) in entries.iter().filter(|(_, e)| e.is_derived()) {
        if pinned.get(&e.commit).is_none_or(|from| from.is_derived()) {
            problems.push(format!(
                "line {n}: {} is derived from {}, which is not a vendored file of the lock",
                e.file, e.commit
            ));
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

/// `lock` with the line of `entry.file` replaced by `entry`, or `entry` appended.
pub fn upsert(lock: &str, entry: &Entry) -> String {
    let mut out = String::new();
    let mut found = false;
    for line in lock.lines() {
        if line.split('\t').next() == Some(entry.file.as_str()) && !line.starts_with('#') {
            if !found {
                out.push_str(&entry.line());
                out.push('\n');
            }
            found = true;
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    if !found {
        out.push_str(&entry.line());
        out.push('\n');
    }
    out
}
