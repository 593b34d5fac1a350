//! Maintainer commands of the repository (the cargo-xtask pattern: `cargo xtask <command>`).
//!
//! Every command takes the repository root, so the tests can run them on a copy.

pub mod add_version;
pub mod availability;
pub mod check;
pub mod diff;
pub mod export;
pub mod regen;
pub mod unified;
pub mod v1_24;

use std::path::{Path, PathBuf};

/// The result of a command: an error is a message for the maintainer.
pub type Result<T, E = String> = std::result::Result<T, E>;

/// The repository this xtask was built from.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask/ is inside the repository")
        .to_path_buf()
}

/// Reads a file of the repository as text.
pub fn read(root: &Path, rel: &str) -> Result<String> {
    std::fs::read_to_string(root.join(rel)).map_err(|e| format!("{rel}: {e}"))
}

/// Writes `text` to a file of the repository if it differs; returns whether it did.
pub fn write_if_changed(root: &Path, rel: &str, text: &str) -> Result<bool> {
    let path = root.join(rel);
    if std::fs::read_to_string(&path).ok().as_deref() == Some(text) {
        return Ok(false);
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(&path, text).map_err(|e| format!("{rel}: {e}"))?;
    Ok(true)
}

/// `1.41`, `v1.41`, `v1_41` or `41` to the minor number 41.
pub fn parse_minor(s: &str) -> Result<u32> {
    let t = s.trim_start_matches('v').replace('_', ".");
    let minor = t.strip_prefix("1.").unwrap_or(&t);
    minor
        .parse()
        .map_err(|_| format!("`{s}` is not an API version (expected e.g. 1.41)"))
}
