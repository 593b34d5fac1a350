//! The normalized OpenAPI 3.0 documents: each version's spec after our fixes, converted, with
//! the keys of every object sorted, so that documents of two versions (or two runs) compare
//! line by line.

use crate::Result;
use docker_engine_api_codegen::{SpecVersion, VERSIONS, openapi3};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Where `cargo xtask export` writes by default: a build output, not committed (the documents
/// follow from `specs/` and the generator in one command, and weigh ~15 MB).
pub const DEFAULT_DIR: &str = "target/openapi";

/// The normalized OpenAPI 3 document of `v`.
pub fn document(root: &Path, v: &SpecVersion) -> Result<Value> {
    let mut doc = openapi3(&root.join("specs"), v).map_err(|e| e.to_string())?;
    sort_keys(&mut doc);
    Ok(doc)
}

/// Sorts the keys of every object of `v`, recursively.
pub fn sort_keys(v: &mut Value) {
    match v {
        Value::Object(map) => {
            map.sort_keys();
            map.values_mut().for_each(sort_keys);
        }
        Value::Array(items) => items.iter_mut().for_each(sort_keys),
        _ => {}
    }
}

/// The file name of `v`'s document.
pub fn file_name(v: &SpecVersion) -> String {
    format!("v{}.json", v.name())
}

/// Writes the documents of `versions` (all when empty) to `out`; returns the files written.
pub fn export(root: &Path, out: &Path, versions: &[u32]) -> Result<Vec<PathBuf>> {
    let selected: Vec<&SpecVersion> = if versions.is_empty() {
        VERSIONS.iter().collect()
    } else {
        versions
            .iter()
            .map(|m| SpecVersion::find(*m).ok_or(format!("v1.{m} is not in the version table")))
            .collect::<Result<_>>()?
    };
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let mut written = Vec::new();
    for v in selected {
        let doc = document(root, v)?;
        let path = out.join(file_name(v));
        let text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())? + "\n";
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// The file name of the unified document.
pub const UNIFIED: &str = "unified.json";

/// Writes the unified document of every version (docs/unified-spec.md) to `out`.
pub fn export_unified(root: &Path, out: &Path) -> Result<PathBuf> {
    let doc = crate::unified::document(root)?;
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let path = out.join(UNIFIED);
    let text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())? + "\n";
    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}
