//! The detector of members the daemon sends that a typed response drops: compares the raw JSON
//! body of a response with the decoded value written back as JSON.

use serde_json::Value;
use std::collections::BTreeSet;

/// The members present in `raw` (the body as the daemon sent it) but absent from `decoded`
/// (the typed value, serialized again), recursively, by path: `NetworkSettings.Networks`,
/// `Mounts[].Propagation` (the items of an array share one path). A member the daemon sends as
/// `null` is not counted (the typed value's `None` says as much). Below a dropped member
/// nothing more is listed. Sorted, each path once.
pub fn dropped(raw: &Value, decoded: &Value) -> Vec<String> {
    let mut out = BTreeSet::new();
    walk(raw, decoded, "", &mut out);
    out.into_iter().collect()
}

fn walk(raw: &Value, decoded: &Value, path: &str, out: &mut BTreeSet<String>) {
    match (raw, decoded) {
        (Value::Object(r), Value::Object(d)) => {
            for (key, value) in r {
                let path = match path {
                    "" => key.clone(),
                    _ => format!("{path}.{key}"),
                };
                match d.get(key) {
                    Some(kept) => walk(value, kept, &path, out),
                    None if value.is_null() => {}
                    None => {
                        out.insert(path);
                    }
                }
            }
        }
        (Value::Array(r), Value::Array(d)) => {
            for (value, kept) in r.iter().zip(d) {
                walk(value, kept, &format!("{path}[]"), out);
            }
        }
        _ => {}
    }
}
