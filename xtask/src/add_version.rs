//! `cargo xtask add-version`: vendors the spec of a newly released API version and updates
//! everything that lists the versions, so that `cargo build --features v1_XX` works at once.
//!
//! Offline from a file or a moby checkout; a URL is fetched with `curl` where there is a network.

use crate::{Result, read, regen, write_if_changed};
use docker_engine_api_codegen::fixes::{self, Fix};
use docker_engine_api_codegen::provenance::{self, Entry, LOCK, UNKNOWN_COMMIT};
use docker_engine_api_codegen::{SpecVersion, VERSIONS, generate_module, parse_spec, versions};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What to add.
#[derive(Debug, Clone)]
pub struct Options {
    /// A spec file, a moby checkout, or a URL.
    pub source: String,
    /// The minor version expected in the spec; the one after the newest when `None`.
    pub minor: Option<u32>,
    /// The upstream commit, or [`UNKNOWN_COMMIT`].
    pub commit: Option<String>,
    pub repo: String,
    /// The spec's path in the upstream repository; found from the source when `None`.
    pub upstream_path: Option<String>,
    /// Run `cargo xtask regen` afterwards (a fresh build of xtask that knows the new version).
    pub regen: bool,
}

impl Options {
    pub fn new(source: impl Into<String>) -> Self {
        Options {
            source: source.into(),
            minor: None,
            commit: None,
            repo: "moby/moby".into(),
            upstream_path: None,
            regen: true,
        }
    }
}

/// What was added.
#[derive(Debug)]
pub struct Added {
    pub minor: u32,
    /// The names of the recorded fixes the new spec needs.
    pub fixes: Vec<&'static str>,
    /// Files written, relative to the root.
    pub changed: Vec<String>,
}

/// A spec as found: its bytes, where upstream keeps it, and the changelog next to it.
struct Found {
    bytes: Vec<u8>,
    upstream: Option<String>,
    repo: Option<String>,
    commit: Option<String>,
    changelog: Option<Vec<u8>>,
}

/// Adds the version; see the module docs.
pub fn add_version(root: &Path, opts: &Options) -> Result<Added> {
    let latest = versions::latest().minor;
    let minor = opts.minor.unwrap_or(latest + 1);
    let spec_name = format!("v1.{minor}.yaml");
    if SpecVersion::find(minor).is_some() || root.join("specs").join(&spec_name).exists() {
        return Err(format!(
            "v1.{minor} is already present (specs/{spec_name}, generator/src/versions.rs); to re-vendor \
             it, replace the file and its line in specs/{LOCK} by hand"
        ));
    }
    if minor < latest {
        return Err(format!(
            "only versions newer than v1.{latest} can be added: v1.{minor} would not be the newest"
        ));
    }

    let found = find(&opts.source, minor)?;
    let text =
        String::from_utf8(found.bytes.clone()).map_err(|_| format!("{}: not UTF-8 text", opts.source))?;
    let spec = parse_spec(&text).map_err(|e| format!("{}: broken YAML: {e}", opts.source))?;
    verify(&spec, minor).map_err(|e| format!("{}: {e}", opts.source))?;
    let fixes = needed_fixes(&spec);
    let fix_names: Vec<&'static str> = fixes.iter().map(|f| f.name).collect();
    generates(&text, minor, &fixes)?;

    let mut changed = Vec::new();
    let mut write = |rel: &str, text: &str| -> Result<()> {
        if write_if_changed(root, rel, text)? {
            changed.push(rel.to_string());
        }
        Ok(())
    };
    write(&format!("specs/{spec_name}"), &text)?;

    let commit = opts
        .commit
        .clone()
        .or(found.commit)
        .unwrap_or(UNKNOWN_COMMIT.into());
    let repo = found.repo.unwrap_or(opts.repo.clone());
    let mut lock = read(root, &format!("specs/{LOCK}"))?;
    lock = provenance::upsert(
        &lock,
        &Entry {
            file: spec_name.clone(),
            repo: repo.clone(),
            commit: commit.clone(),
            upstream: opts
                .upstream_path
                .clone()
                .or(found.upstream)
                .unwrap_or(format!("api/docs/v1.{minor}.yaml")),
            sha256: provenance::sha256_hex(text.as_bytes()),
        },
    );
    // A checkout's changelog describes the new version: vendor it with the spec.
    if let Some(changelog) = found
        .changelog
        .filter(|c| std::fs::read(root.join("specs/CHANGELOG.md")).ok().as_ref() != Some(c))
    {
        let changelog = String::from_utf8(changelog).map_err(|_| "CHANGELOG.md: not UTF-8".to_string())?;
        write("specs/CHANGELOG.md", &changelog)?;
        lock = provenance::upsert(
            &lock,
            &Entry {
                file: "CHANGELOG.md".into(),
                repo,
                commit,
                upstream: "api/docs/CHANGELOG.md".into(),
                sha256: provenance::sha256_hex(changelog.as_bytes()),
            },
        );
    }
    write(&format!("specs/{LOCK}"), &lock)?;

    let table = read(root, "generator/src/versions.rs")?;
    write(
        "generator/src/versions.rs",
        &add_row(&table, latest, minor, &fix_names)?,
    )?;
    let mut minors: Vec<u32> = VERSIONS.iter().map(|v| v.minor).collect();
    minors.push(minor);
    write(
        "Cargo.toml",
        &regen::sync_features(&read(root, "Cargo.toml")?, &minors)?,
    )?;
    write(
        "README.md",
        &regen::sync_readme(&read(root, "README.md")?, minors[0], minor)?,
    )?;

    if opts.regen {
        // This binary's version table predates the new row: a fresh build regenerates.
        let cargo = std::env::var("CARGO").unwrap_or("cargo".into());
        let out = Command::new(&cargo)
            .args(["run", "--quiet", "--package", "xtask", "--", "regen"])
            .current_dir(root)
            .stderr(std::process::Stdio::inherit())
            .output()
            .map_err(|e| format!("{cargo}: {e}"))?;
        if !out.status.success() {
            return Err("the files are written, but `cargo xtask regen` failed (above)".into());
        }
        changed.extend(
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .filter_map(|l| l.strip_prefix("wrote ").or(l.strip_prefix("removed ")))
                .map(str::to_string),
        );
    }
    Ok(Added {
        minor,
        fixes: fix_names,
        changed,
    })
}

/// The spec of `minor` from a file, a checkout or a URL.
fn find(source: &str, minor: u32) -> Result<Found> {
    if source.starts_with("http://") || source.starts_with("https://") {
        return fetch(source);
    }
    let path = Path::new(source);
    if path.is_dir() {
        let candidates = [
            format!("api/docs/v1.{minor}.yaml"),
            format!("docs/api/v1.{minor}.yaml"),
            "api/swagger.yaml".to_string(),
        ];
        for rel in &candidates {
            let file = path.join(rel);
            let Ok(bytes) = std::fs::read(&file) else { continue };
            // The checkout's development spec only counts if it is this version.
            if rel == "api/swagger.yaml" && !declares(&bytes, minor) {
                continue;
            }
            return Ok(Found {
                bytes,
                upstream: Some(rel.clone()),
                repo: None,
                commit: git_head(path),
                changelog: ["api/docs/CHANGELOG.md", "docs/api/version-history.md"]
                    .iter()
                    .find_map(|c| std::fs::read(path.join(c)).ok()),
            });
        }
        return Err(format!(
            "{source}: no spec of v1.{minor} in this directory (looked for {})",
            candidates.join(", ")
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("{source}: {e}"))?;
    Ok(Found {
        bytes,
        upstream: None,
        repo: None,
        commit: None,
        changelog: None,
    })
}

/// Whether a spec text declares `info.version: 1.<minor>`.
fn declares(bytes: &[u8], minor: u32) -> bool {
    let text = String::from_utf8_lossy(bytes);
    parse_spec(&text).is_ok_and(|s| s["info"]["version"] == format!("1.{minor}"))
}

/// The commit checked out in `dir`, if it is a git work tree.
fn git_head(dir: &Path) -> Option<String> {
    let out = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(dir)
        .output()
        .ok()?;
    let head = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && head.len() == 40).then_some(head)
}

/// Downloads `url` with curl; a raw.githubusercontent.com URL also names the repository, the
/// commit (when the ref is one) and the path.
fn fetch(url: &str) -> Result<Found> {
    let out = Command::new("curl")
        .args(["-fsSL", "--max-time", "60", url])
        .output()
        .map_err(|e| format!("cannot run curl to download {url}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "could not download {url} ({}): is there no network here? Download the file elsewhere and \
             pass its path (with --commit)",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let mut found = Found {
        bytes: out.stdout,
        upstream: None,
        repo: None,
        commit: None,
        changelog: None,
    };
    if let Some(rest) = url.strip_prefix("https://raw.githubusercontent.com/") {
        let parts: Vec<&str> = rest.splitn(4, '/').collect();
        if let [owner, name, reference, path] = parts[..] {
            found.repo = Some(format!("{owner}/{name}"));
            found.upstream = Some(path.to_string());
            if reference.len() == 40 && reference.chars().all(|c| c.is_ascii_hexdigit()) {
                found.commit = Some(reference.to_lowercase());
            }
        }
    }
    Ok(found)
}

/// The spec is Swagger 2.0 of version `1.<minor>`.
fn verify(spec: &Value, minor: u32) -> Result<()> {
    if !spec.is_object() {
        return Err("not a Swagger document (the YAML is not a mapping)".into());
    }
    if spec["swagger"] != "2.0" {
        let what = match (&spec["swagger"], &spec["openapi"]) {
            (Value::Null, Value::String(v)) => format!("an OpenAPI {v} document"),
            (Value::Null, _) => "no `swagger` field".into(),
            (v, _) => format!("`swagger: {v}`"),
        };
        return Err(format!(
            "not a Swagger 2.0 document ({what}); Docker publishes Swagger 2.0 specs"
        ));
    }
    let version = match &spec["info"]["version"] {
        Value::String(s) => s.clone(),
        Value::Null => return Err("no info.version".into()),
        other => other.to_string(),
    };
    if version != format!("1.{minor}") {
        let present = crate::parse_minor(&version)
            .ok()
            .and_then(SpecVersion::find)
            .is_some();
        return Err(format!(
            "wrong version: info.version is {version}, expected 1.{minor}{}",
            if present {
                format!(" (v{version} is already present)")
            } else {
                format!("; pass --version {version} to add it as such")
            }
        ));
    }
    Ok(())
}

/// The recorded fixes whose error the spec has, in the order of [`fixes::ALL`].
fn needed_fixes(spec: &Value) -> Vec<Fix> {
    fixes::ALL
        .iter()
        .filter(|f| (f.apply)(&mut spec.clone()))
        .copied()
        .collect()
}

/// Generates the module of the new spec once, so that a spec the generator cannot handle is
/// refused before anything is written.
fn generates(text: &str, minor: u32, fixes: &[Fix]) -> Result<()> {
    let dir: PathBuf = std::env::temp_dir().join(format!("xtask-add-version-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let version = SpecVersion::new(minor, format!("v1.{minor}.yaml"), fixes.to_vec());
    std::fs::write(dir.join(&*version.spec), text).map_err(|e| format!("{}: {e}", dir.display()))?;
    let result = generate_module(&dir, &version);
    let _ = std::fs::remove_dir_all(&dir);
    result.map(drop).map_err(|e| {
        format!(
            "v1.{minor} does not generate: {e}\nRecord a fix in generator/src/fixes.rs (see the fixes there), \
             then add the version again"
        )
    })
}

/// The constant of fixes.rs that holds the fix `name` (`push-aux`: `PUSH_AUX`), by the convention
/// of fixes.rs.
fn constant_name(name: &str) -> String {
    name.to_uppercase().replace('-', "_")
}

/// `table` (generator/src/versions.rs) with the row of `minor` after the one of `after`.
fn add_row(table: &str, after: u32, minor: u32, fixes: &[&str]) -> Result<String> {
    let fix_consts: Vec<String> = fixes.iter().map(|n| constant_name(n)).collect();
    let row = format!("    {minor} => [{}],", fix_consts.join(", "));
    let prefix = format!("    {after} => [");
    let mut out = Vec::new();
    let mut done = false;
    for line in table.lines() {
        out.push(line.to_string());
        if !done && line.starts_with(&prefix) {
            out.push(row.clone());
            done = true;
        }
    }
    if !done {
        return Err(format!(
            "generator/src/versions.rs: no row `{prefix}...` to add v1.{minor} after"
        ));
    }
    Ok(out.join("\n") + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn verify_names_the_problem() {
        assert!(verify(&json!({ "swagger": "2.0", "info": { "version": "1.56" } }), 56).is_ok());
        let err = |spec: Value| verify(&spec, 56).unwrap_err();
        assert!(
            err(json!({ "openapi": "3.0.3", "info": { "version": "1.56" } }))
                .contains("not a Swagger 2.0 document (an OpenAPI 3.0.3 document)")
        );
        assert!(err(json!({ "swagger": "1.2" })).contains("not a Swagger 2.0"));
        assert!(err(json!("text")).contains("not a mapping"));
        assert!(
            err(json!({ "swagger": "2.0", "info": { "version": "1.55" } }))
                .contains("info.version is 1.55, expected 1.56 (v1.55 is already present)")
        );
        assert!(
            err(json!({ "swagger": "2.0", "info": { "version": "1.57" } })).contains("pass --version 1.57")
        );
        assert!(err(json!({ "swagger": "2.0", "info": {} })).contains("no info.version"));
    }

    #[test]
    fn the_row_goes_after_the_newest() {
        let table = "versions! {\n    54 => [AUTH_NEVER_204],\n    55 => [AUTH_NEVER_204],\n}\n";
        assert_eq!(
            add_row(table, 55, 56, &["auth-never-204", "cmd-type-list"]).unwrap(),
            "versions! {\n    54 => [AUTH_NEVER_204],\n    55 => [AUTH_NEVER_204],\n    56 => [AUTH_NEVER_204, CMD_TYPE_LIST],\n}\n"
        );
        assert!(add_row(table, 60, 61, &[]).is_err());
    }

    /// add_row writes a fix as [`constant_name`] of its name: each row of the version table does.
    #[test]
    fn fix_names_are_their_constants() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let table = read(&root, "generator/src/versions.rs").unwrap();
        for v in VERSIONS {
            let row = format!(
                "    {} => [{}],",
                v.minor,
                v.fixes
                    .iter()
                    .map(|f| constant_name(f.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            assert!(table.lines().any(|l| l == row), "no row `{row}` in versions.rs");
        }
    }
}
