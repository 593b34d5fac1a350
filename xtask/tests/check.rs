//! `cargo xtask check` on this repository (so `cargo test --workspace` enforces it), and on a
//! broken copy, where it must find each kind of problem and name its fix.

mod support;

use std::path::PathBuf;
use xtask::check::{Problem, check};

fn run(root: &std::path::Path) -> Vec<Problem> {
    check(root, &mut |step| eprintln!("checking {step}..."))
}

#[test]
fn the_repository_passes_check() {
    let problems = run(&support::root());
    assert!(
        problems.is_empty(),
        "cargo xtask check found {} problem(s):\n\n{}",
        problems.len(),
        problems
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join("\n\n")
    );
}

#[test]
fn check_finds_each_kind_of_problem_and_regen_fixes_the_derived_ones() {
    let copy = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("check-broken-copy");
    support::copy_repo(&copy);
    let edit = |rel: &str, f: &dyn Fn(String) -> String| {
        let path = copy.join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, f(text)).unwrap();
    };
    edit("specs/v1.41.yaml", &|t| t + "\n# a local edit\n");
    edit("specs/v1.24.yaml", &|t| {
        t.replace("version: \"1.24\"", "version: \"1.23\"")
    });
    edit("Cargo.toml", &|t| t.replace("v1_30 = []\n", ""));
    edit("README.md", &|t| t.replace("`v1_24` ...", "`v1_25` ..."));
    edit("generator/tests/golden/v1_41.rs", &|t| t + "// stale\n");
    edit("specs/type-identity.txt", &|t| t.replacen("-55\n", "-54\n", 1));
    edit("docs/api-diffs/v1.40-v1.41.md", &|t| {
        t.replace("added", "removed")
    });
    std::fs::write(copy.join("docs/api-diffs/v1.1-v1.2.md"), "old\n").unwrap();
    edit("docs/availability.md", &|t| t + "| stale | row |\n");

    let problems = run(&copy);
    let expect = [
        ("v1.41.yaml: sha256 is", "re-vendoring"),
        ("specs/v1.24.yaml is not what the edits", "cargo xtask regen"),
        ("missing `v1_30 = []`", "cargo xtask regen"),
        ("README.md names another version range", "cargo xtask regen"),
        ("v1_41.rs is out of date", "cargo xtask regen"),
        ("specs/type-identity.txt is out of date", "cargo xtask regen"),
        (
            "docs/api-diffs/v1.40-v1.41.md is out of date",
            "cargo xtask regen",
        ),
        (
            "docs/api-diffs/v1.1-v1.2.md belongs to no pair",
            "cargo xtask regen",
        ),
        ("docs/availability.md is out of date", "cargo xtask regen"),
    ];
    for (what, fix) in expect {
        assert!(
            problems
                .iter()
                .any(|p| p.what.contains(what) && p.fix.contains(fix)),
            "expected `{what}` (fix: {fix}) among {problems:#?}"
        );
    }
    // The v1.24 spec's sha256 no longer matches either.
    assert!(
        problems.iter().any(|p| p.what.contains("v1.24.yaml: sha256 is")),
        "{problems:#?}"
    );

    // regen repairs everything but the edited vendored spec.
    xtask::regen::regen(&copy).unwrap();
    let left = run(&copy);
    assert_eq!(left.len(), 1, "{left:#?}");
    assert!(left[0].what.contains("v1.41.yaml: sha256 is"), "{left:#?}");
    std::fs::remove_dir_all(&copy).unwrap();
}
