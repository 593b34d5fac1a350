//! `cargo xtask check`: offline verification of the repository. The specs match the provenance
//! lock, v1.24 is what its recorded edits derive, the features and the README follow the
//! version table, the golden snapshots, the type identity table and the version diffs are
//! current, and generation is deterministic. Each problem comes with the command that fixes it.

use crate::{Result, read, regen, v1_24};
use docker_engine_api_codegen::provenance::{self, LOCK};
use docker_engine_api_codegen::{
    SpecVersion, VERSIONS, features, generate, generate_shared, golden, versions,
};
use std::path::Path;

const REGEN: &str = "cargo xtask regen";

/// One thing that is wrong, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub what: String,
    pub fix: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}\n    fix: {}", self.what, self.fix)
    }
}

fn problems(list: Vec<String>, fix: &str) -> impl Iterator<Item = Problem> + '_ {
    list.into_iter().map(move |what| Problem {
        what,
        fix: fix.to_string(),
    })
}

/// Every check; `progress` is told each step's name as it starts.
pub fn check(root: &Path, progress: &mut dyn FnMut(&str)) -> Vec<Problem> {
    let mut found = Vec::new();
    let mut step = |name: &str, result: Result<Vec<Problem>>| match result {
        Ok(p) => found.extend(p),
        Err(e) => found.push(Problem {
            what: format!("{name}: {e}"),
            fix: "see the message".into(),
        }),
    };

    progress("provenance lock");
    step("provenance", check_provenance(root));
    progress("v1.24 derivation");
    step("v1.24", check_v1_24(root));
    progress("features and README");
    step("features", check_manifests(root));
    progress("golden snapshots and determinism");
    step("golden", check_generation(root));
    progress("type identity table");
    step("identity", check_identity(root));
    progress("version diffs and availability table");
    step("diffs", check_diffs(root));
    found
}

fn check_provenance(root: &Path) -> Result<Vec<Problem>> {
    let specs = root.join("specs");
    let files = provenance::spec_files(&specs).map_err(|e| format!("{}: {e}", specs.display()))?;
    let lock = read(root, &format!("specs/{LOCK}"))?;
    let names: Vec<&str> = VERSIONS.iter().map(|v| &*v.spec).collect();
    let found = provenance::problems(&lock, &files, &names);
    Ok(problems(found, provenance::TO_DO).collect())
}

fn check_v1_24(root: &Path) -> Result<Vec<Problem>> {
    let changelog = read(root, "specs/CHANGELOG.md")?;
    let md = read(root, "specs/v1.24.md")?;
    let mut found: Vec<Problem> = problems(
        v1_24::citation_problems(&changelog, &md),
        "correct the citation in xtask/src/v1_24.rs",
    )
    .collect();
    let (text, _) = regen::derived_v1_24(root)?;
    let rel = format!("specs/{}", v1_24::SPEC);
    if read(root, &rel).ok().as_deref() != Some(text.as_str()) {
        found.push(Problem {
            what: format!(
                "{rel} is not what the edits of xtask/src/v1_24.rs derive from specs/{}",
                v1_24::FROM
            ),
            fix: format!("{REGEN} (or `cargo xtask derive-v1.24`); never edit {rel} by hand"),
        });
    }
    Ok(found)
}

fn check_manifests(root: &Path) -> Result<Vec<Problem>> {
    let cargo = read(root, "Cargo.toml")?;
    let parsed = features::parse(&cargo).map_err(|e| format!("Cargo.toml: {e}"))?;
    let mut found: Vec<Problem> = problems(
        features::problems(&parsed)
            .into_iter()
            .map(|p| format!("Cargo.toml [features]: {p}"))
            .collect(),
        REGEN,
    )
    .collect();
    let readme = read(root, "README.md")?;
    match regen::sync_readme(&readme, VERSIONS[0].minor, versions::latest().minor) {
        Ok(synced) if synced == readme => {}
        Ok(_) => found.push(Problem {
            what: format!(
                "README.md names another version range than v1.{} to v1.{}",
                VERSIONS[0].minor,
                versions::latest().minor
            ),
            fix: REGEN.into(),
        }),
        Err(e) => found.push(Problem {
            what: e,
            fix: "restore the version ranges of README.md".into(),
        }),
    }
    Ok(found)
}

fn check_generation(root: &Path) -> Result<Vec<Problem>> {
    let generated = golden::generate_all(root).map_err(|e| e.to_string())?;
    let mut found: Vec<Problem> = problems(golden::problems(root, &generated), REGEN).collect();

    // Determinism: the newest again, and two versions shared on one thread and on two.
    let nondeterministic = "find the unordered iteration (HashMap, HashSet, thread order) in generator/src";
    let newest = versions::latest();
    let again = generate(&root.join("specs"), newest).map_err(|e| e.to_string())?;
    if generated
        .iter()
        .any(|(v, code)| v.minor == newest.minor && *code != again)
    {
        found.push(Problem {
            what: format!("two runs of generate(v{}) differ", newest.name()),
            fix: nondeterministic.into(),
        });
    }
    let pair: Vec<&'static SpecVersion> = VERSIONS.iter().rev().take(2).rev().collect();
    let shared = |threads| generate_shared(&root.join("specs"), &pair, threads).map_err(|e| e.to_string());
    // A stale type identity table fails shared generation: `check_identity` reports it; the
    // snapshot problems found above are kept.
    let (Ok(one), Ok(two)) = (shared(1), shared(2)) else {
        return Ok(found);
    };
    for ((v, a), (_, b)) in one.iter().zip(&two) {
        if a != b {
            found.push(Problem {
                what: format!(
                    "shared generation of v{} differs between one and two threads",
                    v.name()
                ),
                fix: nondeterministic.into(),
            });
        }
    }
    Ok(found)
}

fn check_identity(root: &Path) -> Result<Vec<Problem>> {
    let rel = regen::identity_path();
    let expected = regen::identity_table(root)?;
    Ok(match read(root, &rel) {
        Ok(actual) if actual == expected => Vec::new(),
        Ok(actual) => vec![Problem {
            what: format!(
                "{rel} is out of date (type identity would change): {}",
                golden::first_difference(&actual, &expected)
            ),
            fix: format!("{REGEN}, and review which types change identity"),
        }],
        Err(e) => vec![Problem {
            what: e,
            fix: REGEN.into(),
        }],
    })
}

fn check_diffs(root: &Path) -> Result<Vec<Problem>> {
    let docs = regen::all_documents(root)?;
    let files = regen::diff_files(&docs);
    let mut stale: Vec<String> = files
        .iter()
        .chain(&regen::availability_files(&docs)?)
        .filter(|(rel, text)| read(root, rel).ok().as_deref() != Some(text.as_str()))
        .map(|(rel, _)| format!("{rel} is out of date"))
        .collect();
    stale.extend(
        regen::stale_diff_files(root, &files)
            .into_iter()
            .map(|rel| format!("{rel} belongs to no pair of consecutive versions")),
    );
    Ok(problems(stale, REGEN).collect())
}
