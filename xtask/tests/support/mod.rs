//! Helpers shared by the xtask tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository under test.
pub fn root() -> PathBuf {
    xtask::repo_root()
}

/// Copies the repository's files to `dest` (emptied first), without build outputs (`target`
/// directories) and `.git`.
pub fn copy_repo(dest: &Path) {
    if dest.exists() {
        std::fs::remove_dir_all(dest).unwrap_or_else(|e| panic!("{}: {e}", dest.display()));
    }
    copy_dir(&root(), dest);
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("{}: {e}", to.display()));
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
        let entry = entry.unwrap();
        let name = entry.file_name();
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            if name != "target" && name != ".git" {
                copy_dir(&entry.path(), &to.join(&name));
            }
        } else if kind.is_file() {
            std::fs::copy(entry.path(), to.join(&name))
                .unwrap_or_else(|e| panic!("{}: {e}", entry.path().display()));
        }
    }
}

/// `cargo` (the one running the tests) with `args` in `dir`, offline, building into `target`.
pub fn cargo(dir: &Path, target: &Path, args: &[&str]) -> std::process::Output {
    let cargo = std::env::var("CARGO").unwrap_or("cargo".into());
    let out = Command::new(&cargo)
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        // Every dependency is in the local registry cache already (the same Cargo.lock).
        .env("CARGO_NET_OFFLINE", "true")
        .output()
        .unwrap_or_else(|e| panic!("{cargo}: {e}"));
    eprintln!(
        "$ cargo {}: {}\n{}{}",
        args.join(" "),
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}
