//! `cargo xtask regen`: rewrites every committed file that follows from the specs, the version
//! table and the generator: `specs/v1.24.yaml` (and its lock line), the version features of
//! the root Cargo.toml, the README's version range, the golden snapshots, the type identity
//! table (`specs/type-identity.txt`), the version diffs in `docs/api-diffs/` and the
//! availability table (`docs/availability.{json,md}`). `cargo xtask check` verifies that it
//! would change nothing.

use crate::diff::{Item, Kind, diff};
use crate::{Result, export, read, v1_24, write_if_changed};
use docker_engine_api_codegen::provenance::{self, DERIVED, Entry, LOCK};
use docker_engine_api_codegen::{VERSIONS, golden, load_spec, sharing, type_identity, versions};
use serde_json::Value;
use std::fmt::Write as _;
use std::ops::Range;
use std::path::Path;

/// The committed version diffs.
pub const DIFFS_DIR: &str = "docs/api-diffs";

/// The path of the type identity table, relative to the root.
pub fn identity_path() -> String {
    format!("specs/{}", sharing::TABLE)
}

/// The text of the type identity table: every version generated from `root/specs` (on two
/// threads, as the golden snapshots), the sharing fixpoint over all of them.
pub fn identity_table(root: &Path) -> Result<String> {
    let identity = type_identity(&root.join("specs"), 2).map_err(|e| e.to_string())?;
    Ok(identity.render())
}

/// The text of `specs/v1.24.yaml` and its lock line, derived from `specs/v1.25.yaml`.
pub fn derived_v1_24(root: &Path) -> Result<(String, Entry)> {
    let from = load_spec(&root.join("specs").join(v1_24::FROM)).map_err(|e| e.to_string())?;
    let text = v1_24::render(&v1_24::derive(&from)?)?;
    let entry = Entry {
        file: v1_24::SPEC.into(),
        repo: DERIVED.into(),
        commit: v1_24::FROM.into(),
        upstream: v1_24::COMMAND.into(),
        sha256: provenance::sha256_hex(text.as_bytes()),
    };
    Ok((text, entry))
}

/// Byte ranges of the two numbers of every `{left}N{mid}M` in `text`.
fn ranges(text: &str, left: &str, mid: &str) -> Vec<(Range<usize>, Range<usize>)> {
    let digits = |from: usize| {
        let end = text[from..]
            .find(|c: char| !c.is_ascii_digit())
            .map_or(text.len(), |n| from + n);
        from..end
    };
    let mut found = Vec::new();
    for (start, _) in text.match_indices(left) {
        let a = digits(start + left.len());
        if a.is_empty() || !text[a.end..].starts_with(mid) {
            continue;
        }
        let b = digits(a.end + mid.len());
        if !b.is_empty() {
            found.push((a, b));
        }
    }
    found
}

/// The README's version ranges: "v1.25 to v1.55" (upstream specs, so only the newest is ours to
/// follow) and "`v1_24` ... `v1_55`" (the features).
const PROSE: (&str, &str) = ("v1.", " to v1.");
const FEATURES: (&str, &str) = ("`v1_", "` ... `v1_");

/// `readme` with its version ranges naming `oldest` and `latest`.
pub fn sync_readme(readme: &str, oldest: u32, latest: u32) -> Result<String> {
    let mut edits: Vec<(Range<usize>, u32)> = Vec::new();
    let prose = ranges(readme, PROSE.0, PROSE.1);
    let features = ranges(readme, FEATURES.0, FEATURES.1);
    if prose.is_empty() || features.is_empty() {
        return Err(format!(
            "README.md: expected a version range like \"v1.25 to v1.{latest}\" and a feature range like \
             \"`v1_{oldest}` ... `v1_{latest}`\""
        ));
    }
    edits.extend(prose.into_iter().map(|(_, b)| (b, latest)));
    for (a, b) in features {
        edits.push((a, oldest));
        edits.push((b, latest));
    }
    edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    let mut out = readme.to_string();
    for (r, n) in edits {
        out.replace_range(r, &n.to_string());
    }
    Ok(out)
}

/// `cargo_toml` with the version features of `minors` (oldest first): `latest` on the last
/// one and one `v1_XX = []` each, where the old ones were.
pub fn sync_features(cargo_toml: &str, minors: &[u32]) -> Result<String> {
    let is_version = |l: &str| {
        l.strip_prefix("v1_")
            .and_then(|r| r.split_once(" = []"))
            .is_some_and(|(n, rest)| {
                rest.is_empty() && !n.is_empty() && n.chars().all(|c| c.is_ascii_digit())
            })
    };
    let mut out = Vec::new();
    let (mut in_features, mut inserted) = (false, false);
    for line in cargo_toml.lines() {
        if line.starts_with('[') {
            in_features = line.trim() == "[features]";
        }
        if in_features && (is_version(line) || line.starts_with("latest = ")) {
            if !inserted {
                let last = minors.last().ok_or("no versions")?;
                out.push(format!("latest = [\"v1_{last}\"]"));
                out.extend(minors.iter().map(|m| format!("v1_{m} = []")));
                inserted = true;
            }
            continue;
        }
        out.push(line.to_string());
    }
    if !inserted {
        return Err("Cargo.toml: no `latest = [...]` or `v1_XX = []` line in [features]".into());
    }
    Ok(out.join("\n") + "\n")
}

/// The normalized document of every version, oldest first.
pub fn all_documents(root: &Path) -> Result<Vec<Value>> {
    VERSIONS.iter().map(|v| export::document(root, v)).collect()
}

/// The availability table's files (`docs/availability.{json,md}`) of every version's document.
pub fn availability_files(docs: &[Value]) -> Result<Vec<(String, String)>> {
    let versions: Vec<&docker_engine_api_codegen::SpecVersion> = VERSIONS.iter().collect();
    Ok(crate::availability::files(&crate::unified::unify(
        &versions, docs,
    )?))
}

/// The committed diff files (path relative to the root, text): one Markdown file per pair of
/// consecutive versions and an index.
pub fn diff_files(docs: &[Value]) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut index = String::from(
        "# Changes between consecutive API versions\n\n\
         Generated by `cargo xtask regen` (checked by `cargo xtask check`): the operations, \
         parameters, request bodies, responses, schemas and properties that each version added, \
         removed or changed, from the OpenAPI 3 documents after our fixes. JSON: \
         `cargo xtask diff A B --json`.\n\n\
         | versions | operations (+/-/~) | parameters (+/-/~) | schemas (+/-/~) | properties (+/-/~) |\n\
         |---|---|---|---|---|\n",
    );
    for (i, pair) in VERSIONS.windows(2).enumerate() {
        let (a, b) = (&pair[0], &pair[1]);
        let d = diff(&a.name(), &docs[i], &b.name(), &docs[i + 1]);
        let name = format!("v{}-v{}.md", a.name(), b.name());
        let counts = |item| {
            format!(
                "{}/{}/{}",
                d.count(item, Kind::Added),
                d.count(item, Kind::Removed),
                d.count(item, Kind::Changed)
            )
        };
        let _ = writeln!(
            index,
            "| [v{} to v{}]({name}) | {} | {} | {} | {} |",
            a.name(),
            b.name(),
            counts(Item::Operation),
            counts(Item::Parameter),
            counts(Item::Schema),
            counts(Item::Property)
        );
        files.push((format!("{DIFFS_DIR}/{name}"), d.to_markdown()));
    }
    files.push((format!("{DIFFS_DIR}/README.md"), index));
    files
}

/// Files of the diffs directory that [`diff_files`] does not write.
pub fn stale_diff_files(root: &Path, files: &[(String, String)]) -> Vec<String> {
    let Ok(dir) = std::fs::read_dir(root.join(DIFFS_DIR)) else {
        return Vec::new();
    };
    let mut stale: Vec<String> = dir
        .filter_map(|e| e.ok())
        .map(|e| format!("{DIFFS_DIR}/{}", e.file_name().to_string_lossy()))
        .filter(|p| !files.iter().any(|(f, _)| f == p))
        .collect();
    stale.sort();
    stale
}

/// Rewrites every derived file; returns the ones that changed.
pub fn regen(root: &Path) -> Result<Vec<String>> {
    let mut changed = Vec::new();
    let wrote = |rel: &str, text: &str, changed: &mut Vec<String>| -> Result<()> {
        if write_if_changed(root, rel, text)? {
            changed.push(rel.to_string());
        }
        Ok(())
    };

    let (v1_24_text, entry) = derived_v1_24(root)?;
    wrote(&format!("specs/{}", v1_24::SPEC), &v1_24_text, &mut changed)?;
    let lock = read(root, &format!("specs/{LOCK}"))?;
    wrote(
        &format!("specs/{LOCK}"),
        &provenance::upsert(&lock, &entry),
        &mut changed,
    )?;

    let minors: Vec<u32> = VERSIONS.iter().map(|v| v.minor).collect();
    let cargo = sync_features(&read(root, "Cargo.toml")?, &minors)?;
    wrote("Cargo.toml", &cargo, &mut changed)?;
    let readme = sync_readme(
        &read(root, "README.md")?,
        VERSIONS[0].minor,
        versions::latest().minor,
    )?;
    wrote("README.md", &readme, &mut changed)?;

    let generated = golden::generate_all(root).map_err(|e| e.to_string())?;
    for p in golden::write(root, &generated).map_err(|e| e.to_string())? {
        changed.push(p.strip_prefix(root).unwrap_or(&p).display().to_string());
    }

    wrote(&identity_path(), &identity_table(root)?, &mut changed)?;

    let docs = all_documents(root)?;
    for (rel, text) in availability_files(&docs)? {
        wrote(&rel, &text, &mut changed)?;
    }
    let files = diff_files(&docs);
    for (rel, text) in &files {
        wrote(rel, text, &mut changed)?;
    }
    for rel in stale_diff_files(root, &files) {
        std::fs::remove_file(root.join(&rel)).map_err(|e| format!("{rel}: {e}"))?;
        changed.push(rel);
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readme_ranges_follow_the_table() {
        let readme = "specs (v1.25 to v1.55), features `v1_25` ... `v1_55`; v1.41 and `v1_41` stay.";
        assert_eq!(
            sync_readme(readme, 24, 56).unwrap(),
            "specs (v1.25 to v1.56), features `v1_24` ... `v1_56`; v1.41 and `v1_41` stay."
        );
        assert!(sync_readme("no ranges", 24, 56).is_err());
    }

    #[test]
    fn features_follow_the_table() {
        let toml = "[dependencies]\nv1_9 = []\n\n[features]\n# comment\ndefault = [\"latest\"]\nlatest = [\"v1_55\"]\nv1_25 = []\nv1_55 = []\n\n[[test]]\nname = \"x\"\n";
        assert_eq!(
            sync_features(toml, &[24, 25, 55, 56]).unwrap(),
            "[dependencies]\nv1_9 = []\n\n[features]\n# comment\ndefault = [\"latest\"]\nlatest = [\"v1_56\"]\nv1_24 = []\nv1_25 = []\nv1_55 = []\nv1_56 = []\n\n[[test]]\nname = \"x\"\n"
        );
        assert!(sync_features("[features]\ndefault = []\n", &[1]).is_err());
    }
}
