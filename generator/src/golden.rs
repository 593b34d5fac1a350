//! Golden snapshots of the generated code: `generator/tests/golden/v1_XX.rs` hold the standalone
//! output of [`generate`] (no sharing) for the oldest (v1.24, derived), the oldest upstream
//! spec (v1.25), a middle and the newest version, so that a
//! change of the generator, the fixes or the progenitor version shows up as a reviewable diff.
//!
//! Beside them, `glue_41_55.rs` and `glue_all.rs` hold the facade's glue ([`crate::glue`]) for
//! two versions and for every version.
//!
//! Checked by `generator/tests/golden.rs` and `cargo xtask check`; refreshed by
//! `cargo xtask regen` (which also follows the newest version when one is added).

use crate::error::{Error, Result};
use crate::generate;
use crate::versions::{self, SpecVersion, VERSIONS};
use std::path::{Path, PathBuf};

/// The snapshots' directory, relative to the repository root.
pub const DIR: &str = "generator/tests/golden";
/// The oldest version with an upstream Swagger file (v1.24 is derived from it).
pub const OLDEST_UPSTREAM: u32 = 25;
/// The middle version: the one most users build (see the README's example).
pub const MIDDLE: u32 = 41;
/// The command that refreshes the snapshots.
pub const REFRESH: &str = "cargo xtask regen";

/// The versions with a snapshot: the oldest, [`OLDEST_UPSTREAM`], [`MIDDLE`] and the newest.
pub fn versions() -> Vec<&'static SpecVersion> {
    let mut vs = vec![&VERSIONS[0]];
    vs.extend(SpecVersion::find(OLDEST_UPSTREAM));
    vs.extend(SpecVersion::find(MIDDLE));
    vs.push(versions::latest());
    vs.dedup_by_key(|v| v.minor);
    vs
}

/// The version sets with a glue snapshot: [`MIDDLE`] with the newest, and every version.
pub fn glue_sets() -> Vec<(&'static str, Vec<&'static SpecVersion>)> {
    let pair = VERSIONS
        .iter()
        .filter(|v| v.minor == MIDDLE || v.minor == versions::latest().minor)
        .collect();
    vec![("glue_41_55", pair), ("glue_all", VERSIONS.iter().collect())]
}

/// The glue snapshots under the repository `root`: each file with the glue it should hold.
pub fn glue_snapshots(root: &Path) -> Vec<(PathBuf, String)> {
    glue_sets()
        .into_iter()
        .map(|(name, set)| (root.join(DIR).join(format!("{name}.rs")), crate::glue::glue(&set)))
        .collect()
}

/// The snapshot file of `v` under the repository `root`.
pub fn path(root: &Path, v: &SpecVersion) -> PathBuf {
    root.join(DIR).join(format!("{}.rs", v.feature()))
}

/// The code of every snapshot version, generated from `root/specs` on up to two threads.
pub fn generate_all(root: &Path) -> Result<Vec<(&'static SpecVersion, String)>> {
    let specs = root.join("specs");
    let versions = versions();
    // Two threads: the machines this runs on have two cores, and each generation takes seconds.
    let results: Vec<Result<String>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..2)
            .map(|t| {
                let (specs, versions) = (&specs, &versions);
                s.spawn(move || {
                    let mine = versions.iter().enumerate().skip(t).step_by(2);
                    mine.map(|(i, v)| (i, generate(specs, v))).collect::<Vec<_>>()
                })
            })
            .collect();
        let mut all: Vec<_> = handles
            .into_iter()
            .flat_map(|h| h.join().expect("generator thread"))
            .collect();
        all.sort_by_key(|(i, _)| *i);
        all.into_iter().map(|(_, r)| r).collect()
    });
    versions
        .into_iter()
        .zip(results)
        .map(|(v, r)| {
            r.map(|code| (v, code))
                .map_err(|e| e.context(format!("v{}", v.name())))
        })
        .collect()
}

/// Snapshot files in the directory that belong to no snapshot version or glue set.
fn stale_files(root: &Path) -> Vec<PathBuf> {
    let mut wanted: Vec<_> = versions().iter().map(|v| path(root, v)).collect();
    wanted.extend(glue_snapshots(root).into_iter().map(|(p, _)| p));
    let Ok(dir) = std::fs::read_dir(root.join(DIR)) else {
        return Vec::new();
    };
    let mut stale: Vec<_> = dir
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|e| e == "rs")
                && p.file_name().is_some_and(|n| {
                    ["v1_", "glue_"]
                        .iter()
                        .any(|p| n.to_string_lossy().starts_with(p))
                })
                && !wanted.contains(p)
        })
        .collect();
    stale.sort();
    stale
}

/// What differs between the snapshots and `generated` (from [`generate_all`]).
pub fn problems(root: &Path, generated: &[(&'static SpecVersion, String)]) -> Vec<String> {
    let mut problems = Vec::new();
    let modules = generated.iter().map(|(v, code)| (path(root, v), code.clone()));
    for (path, actual) in modules.chain(glue_snapshots(root)) {
        match std::fs::read_to_string(&path) {
            Ok(expected) if expected == actual => {}
            Ok(expected) => problems.push(format!(
                "{} is out of date: {}",
                path.display(),
                first_difference(&expected, &actual)
            )),
            Err(e) => problems.push(format!("{}: {e}", path.display())),
        }
    }
    for p in stale_files(root) {
        problems.push(format!("{} is the snapshot of no snapshot version", p.display()));
    }
    problems
}

/// Writes the snapshots of `generated` and removes stale ones; returns the files changed.
pub fn write(root: &Path, generated: &[(&'static SpecVersion, String)]) -> Result<Vec<PathBuf>> {
    let io = |p: &Path, e: std::io::Error| Error::new(format!("{}: {e}", p.display()));
    std::fs::create_dir_all(root.join(DIR)).map_err(|e| io(&root.join(DIR), e))?;
    let mut changed = Vec::new();
    let modules = generated.iter().map(|(v, code)| (path(root, v), code.clone()));
    for (path, code) in modules.chain(glue_snapshots(root)) {
        if std::fs::read_to_string(&path).ok().as_deref() != Some(code.as_str()) {
            std::fs::write(&path, &code).map_err(|e| io(&path, e))?;
            changed.push(path);
        }
    }
    for p in stale_files(root) {
        std::fs::remove_file(&p).map_err(|e| io(&p, e))?;
        changed.push(p);
    }
    Ok(changed)
}

/// Where two texts first differ, with a few lines of each.
pub fn first_difference(expected: &str, actual: &str) -> String {
    let (e, a): (Vec<_>, Vec<_>) = (expected.lines().collect(), actual.lines().collect());
    let n = e
        .iter()
        .zip(&a)
        .position(|(x, y)| x != y)
        .unwrap_or(e.len().min(a.len()));
    let show = |lines: &[&str]| {
        lines
            .iter()
            .skip(n.saturating_sub(2))
            .take(6)
            .map(|l| format!("    {l}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    format!(
        "first difference at line {} ({} lines in the snapshot, {} generated)\n  snapshot:\n{}\n  generated:\n{}",
        n + 1,
        e.len(),
        a.len(),
        show(&e),
        show(&a)
    )
}
