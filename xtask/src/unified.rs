//! The unified document: one OpenAPI 3.0 document holding every version's export, each element
//! marked with the versions that have it (the scheme is documented in docs/unified-spec.md).
//!
//! [`unify`] merges the per-version documents; [`project`] takes version N back out of the
//! merged one, and gives exactly N's export (a test checks every version).

use docker_engine_api_codegen::{SpecVersion, VERSIONS};
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;

/// Every key this scheme adds starts with this prefix; no export has such a key.
pub const PREFIX: &str = "x-docker-api-";
/// The first version that has the element (only where later than its parent's first).
pub const SINCE: &str = "x-docker-api-since";
/// The last version that has the element (only where earlier than its parent's last).
pub const UNTIL: &str = "x-docker-api-until";
/// The runs of versions that have the element, when they are more than one (`["1.24-1.30",
/// "1.40-1.55"]`); on the document's root, the versions it holds.
pub const VERSIONS_KEY: &str = "x-docker-api-versions";
/// Fields whose value differs between versions (or that some versions lack): field name to
/// a list of `{"since", "until", "value"}`; versions that no entry covers lack the field.
pub const CHANGES: &str = "x-docker-api-changes";
/// Enum values that not every version of the schema has: `[{"value", "since"?, "until"?,
/// "versions"?}]`; `enum` itself holds the union.
pub const ENUM: &str = "x-docker-api-enum";
/// Marks a schema whose type changed between versions: its `oneOf` holds one alternative per
/// type, each with the versions that have it.
pub const VARIANTS: &str = "x-docker-api-variants";

/// A set of versions: bit `m` is version `1.m`.
pub type Mask = u64;

fn bit(minor: u32) -> Mask {
    1 << minor
}

fn mask_of(entries: &[(u32, &Value)]) -> Mask {
    entries.iter().fold(0, |m, (v, _)| m | bit(*v))
}

/// The runs of consecutive versions (of the version table) in `mask`, as (first, last).
pub fn runs(mask: Mask) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = Vec::new();
    let mut previous_in = false;
    for v in VERSIONS {
        let inside = mask & bit(v.minor) != 0;
        match (inside, previous_in, out.last_mut()) {
            (true, true, Some(run)) => run.1 = v.minor,
            (true, _, _) => out.push((v.minor, v.minor)),
            _ => {}
        }
        previous_in = inside;
    }
    out
}

fn name(minor: u32) -> String {
    format!("1.{minor}")
}

fn run_text((a, b): (u32, u32)) -> String {
    if a == b {
        name(a)
    } else {
        format!("{}-{}", name(a), name(b))
    }
}

/// `"1.24-1.30"` style texts of the runs of `mask`.
pub fn run_texts(mask: Mask) -> Vec<String> {
    runs(mask).into_iter().map(run_text).collect()
}

fn parse_version(v: &Value) -> Option<u32> {
    v.as_str()?.strip_prefix("1.")?.parse().ok()
}

/// Whether version `minor` is in the range that `SINCE`, `UNTIL` and `VERSIONS_KEY` of `obj`
/// (an element, an enum entry or a change entry) describe; no key means no restriction.
pub fn contains(obj: &Map<String, Value>, minor: u32) -> bool {
    let since = obj
        .get(SINCE)
        .or_else(|| obj.get("since"))
        .and_then(parse_version);
    let until = obj
        .get(UNTIL)
        .or_else(|| obj.get("until"))
        .and_then(parse_version);
    if since.is_some_and(|s| minor < s) || until.is_some_and(|u| minor > u) {
        return false;
    }
    let list = obj.get(VERSIONS_KEY).or_else(|| obj.get("versions"));
    match list.and_then(Value::as_array) {
        None => true,
        Some(texts) => texts.iter().filter_map(Value::as_str).any(|t| {
            let (a, b) = t.split_once('-').unwrap_or((t, t));
            let p = |s: &str| s.strip_prefix("1.").and_then(|n| n.parse::<u32>().ok());
            matches!((p(a), p(b)), (Some(a), Some(b)) if a <= minor && minor <= b)
        }),
    }
}

/// The range keys of an element present in `mask`, inside a parent present in `parent`.
fn range_keys(mask: Mask, parent: Mask, keys: (&str, &str, &str)) -> Map<String, Value> {
    let mut out = Map::new();
    let (mine, theirs) = (runs(mask), runs(parent));
    let (first, last) = (mine[0].0, mine[mine.len() - 1].1);
    if first > theirs[0].0 {
        out.insert(keys.0.into(), json!(name(first)));
    }
    if last < theirs[theirs.len() - 1].1 {
        out.insert(keys.1.into(), json!(name(last)));
    }
    if mine.len() > 1 {
        out.insert(keys.2.into(), json!(run_texts(mask)));
    }
    out
}

const ELEMENT_KEYS: (&str, &str, &str) = (SINCE, UNTIL, VERSIONS_KEY);

/// Adds the range of an element present in `mask` (inside `parent`) to the object `v`.
fn annotate(v: &mut Value, mask: Mask, parent: Mask) {
    if mask == parent {
        return;
    }
    if let Value::Object(obj) = v {
        obj.extend(range_keys(mask, parent, ELEMENT_KEYS));
    }
}

/// The OpenAPI objects the merge knows the structure of; any other value is a leaf.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Document,
    Components,
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    MediaType,
    Response,
    Header,
    Schema,
    /// An extensible object whose fields are all leaves (info, tags).
    Plain,
}

/// How a field of an object is merged.
#[derive(Debug, Clone, Copy)]
enum Shape {
    /// An OpenAPI object: merged field by field, can carry a range.
    Object(Ctx),
    /// A map from names to objects (`paths`, `properties`, `components.schemas`, `content`):
    /// merged key by key, each value carrying its range.
    Map(Ctx),
    /// An array of objects named by `$ref`, `in` + `name` or `name` (parameters, tags).
    Keyed(Ctx),
    /// An array of schemas merged position by position (`allOf`), when the lengths agree.
    Indexed(Ctx),
}

fn field(ctx: Ctx, key: &str) -> Option<Shape> {
    use Ctx::*;
    use Shape::*;
    Some(match (ctx, key) {
        (Document, "paths") => Map(PathItem),
        (Document, "components") => Object(Components),
        (Document, "info") => Object(Plain),
        (Document, "tags") => Keyed(Plain),
        (Components, "schemas") => Map(Schema),
        (Components, "parameters") => Map(Parameter),
        (Components, "responses") => Map(Response),
        (Components, "requestBodies") => Map(RequestBody),
        (Components, "headers") => Map(Header),
        (PathItem, "get" | "put" | "post" | "delete" | "head" | "patch" | "options" | "trace") => {
            Object(Operation)
        }
        (PathItem | Operation, "parameters") => Keyed(Parameter),
        (Operation, "requestBody") => Object(RequestBody),
        (Operation, "responses") => Map(Response),
        (Parameter | Header, "schema") => Object(Schema),
        (Parameter | RequestBody | Response, "content") => Map(MediaType),
        (MediaType, "schema") => Object(Schema),
        (Response, "headers") => Map(Header),
        (Schema, "properties") => Map(Schema),
        (Schema, "items" | "additionalProperties" | "not") => Object(Schema),
        (Schema, "allOf" | "oneOf" | "anyOf") => Indexed(Schema),
        _ => return None,
    })
}

fn all_equal(entries: &[(u32, &Value)]) -> bool {
    entries.windows(2).all(|w| w[0].1 == w[1].1)
}

/// What a schema is, for telling a change of type from a change inside one type.
fn kind(schema: &Value) -> String {
    if let Some(r) = schema.get("$ref") {
        return format!("$ref {r}");
    }
    if let Some(t) = schema.get("type") {
        return format!("type {t}");
    }
    for k in ["allOf", "oneOf", "anyOf"] {
        if schema.get(k).is_some() {
            return k.to_string();
        }
    }
    "any".into()
}

/// Merges the values of one element in the versions that have it (oldest first), or `None`
/// when they do not all have the object structure `ctx` expects.
fn merge_object(ctx: Ctx, entries: &[(u32, &Value)]) -> Option<Value> {
    if !entries.iter().all(|(_, v)| v.is_object()) {
        return None;
    }
    if all_equal(entries) {
        return Some(entries[0].1.clone());
    }
    if ctx == Ctx::Schema {
        let kinds: Vec<String> = entries.iter().map(|(_, v)| kind(v)).collect();
        if kinds.iter().any(|k| *k != kinds[0]) {
            return Some(variants(entries, &kinds));
        }
    }
    let all = mask_of(entries);
    let keys: BTreeSet<&String> = entries
        .iter()
        .flat_map(|(_, v)| v.as_object().into_iter().flat_map(|o| o.keys()))
        .collect();
    let mut out = Map::new();
    let mut changes = Map::new();
    for key in keys {
        let present: Vec<(u32, &Value)> = entries
            .iter()
            .filter_map(|(m, v)| v.get(key).map(|x| (*m, x)))
            .collect();
        let mask = mask_of(&present);
        if ctx == Ctx::Schema
            && key == "enum"
            && mask == all
            && let Some((union, ranges)) = merge_enum(&present)
        {
            out.insert(key.clone(), union);
            if !ranges.is_empty() {
                out.insert(ENUM.into(), Value::Array(ranges));
            }
            continue;
        }
        let merged = match field(ctx, key) {
            Some(Shape::Object(c)) => merge_object(c, &present).map(|mut v| {
                annotate(&mut v, mask, all);
                v
            }),
            Some(shape) if mask == all => merge_collection(shape, &present),
            _ => None,
        };
        let merged = match merged {
            None if mask == all && all_equal(&present) => Some(present[0].1.clone()),
            other => other,
        };
        match merged {
            Some(v) => {
                out.insert(key.clone(), v);
            }
            None => {
                // A leaf that changed: the newest version's value in place, every value in
                // CHANGES.
                let newest = entries[entries.len() - 1].0;
                if let Some((_, v)) = present.iter().find(|(m, _)| *m == newest) {
                    out.insert(key.clone(), (*v).clone());
                }
                changes.insert(key.clone(), Value::Array(change_runs(entries, key)));
            }
        }
    }
    if !changes.is_empty() {
        out.insert(CHANGES.into(), Value::Object(changes));
    }
    Some(Value::Object(out))
}

/// `{"since", "until", "value"}` for each run of versions of `entries` with one value of `key`.
fn change_runs(entries: &[(u32, &Value)], key: &str) -> Vec<Value> {
    let mut out: Vec<(u32, u32, &Value)> = Vec::new();
    let mut previous_had = false;
    for (m, v) in entries {
        match (v.get(key), out.last_mut()) {
            (Some(x), Some(last)) if previous_had && last.2 == x => last.1 = *m,
            (Some(x), _) => out.push((*m, *m, x)),
            (None, _) => {}
        }
        previous_had = v.get(key).is_some();
    }
    out.into_iter()
        .map(|(a, b, v)| json!({"since": name(a), "until": name(b), "value": v}))
        .collect()
}

/// A schema whose type changed: `oneOf` one merged alternative per type, each with its range.
fn variants(entries: &[(u32, &Value)], kinds: &[String]) -> Value {
    let mut order: Vec<&String> = Vec::new();
    for k in kinds {
        if !order.contains(&k) {
            order.push(k);
        }
    }
    let alternatives: Vec<Value> = order
        .into_iter()
        .map(|k| {
            let group: Vec<(u32, &Value)> = entries
                .iter()
                .zip(kinds)
                .filter(|(_, kk)| *kk == k)
                .map(|(e, _)| *e)
                .collect();
            let mut v = merge_object(Ctx::Schema, &group).expect("schemas are objects");
            if let Value::Object(obj) = &mut v {
                // Always explicit: each alternative has only some of its parent's versions.
                let r = runs(mask_of(&group));
                obj.insert(SINCE.into(), json!(name(r[0].0)));
                obj.insert(UNTIL.into(), json!(name(r[r.len() - 1].1)));
                if r.len() > 1 {
                    obj.insert(VERSIONS_KEY.into(), json!(run_texts(mask_of(&group))));
                }
            }
            v
        })
        .collect();
    let mut out = Map::new();
    out.insert("oneOf".into(), Value::Array(alternatives));
    out.insert(VARIANTS.into(), Value::Bool(true));
    Value::Object(out)
}

/// A map, keyed array or indexed array present in every version of its parent.
fn merge_collection(shape: Shape, entries: &[(u32, &Value)]) -> Option<Value> {
    match shape {
        Shape::Object(c) => merge_object(c, entries),
        Shape::Map(c) => {
            if !entries.iter().all(|(_, v)| v.is_object()) {
                return None;
            }
            let all = mask_of(entries);
            let keys: BTreeSet<&String> = entries
                .iter()
                .flat_map(|(_, v)| v.as_object().into_iter().flat_map(|o| o.keys()))
                .collect();
            let mut out = Map::new();
            for key in keys {
                let present: Vec<(u32, &Value)> = entries
                    .iter()
                    .filter_map(|(m, v)| v.get(key).map(|x| (*m, x)))
                    .collect();
                let mut v = merge_object(c, &present)?;
                annotate(&mut v, mask_of(&present), all);
                out.insert(key.clone(), v);
            }
            Some(Value::Object(out))
        }
        Shape::Keyed(c) => merge_keyed(c, entries),
        Shape::Indexed(c) => {
            let arrays: Vec<&Vec<Value>> = entries.iter().filter_map(|(_, v)| v.as_array()).collect();
            let n = arrays.first()?.len();
            if arrays.len() != entries.len() || arrays.iter().any(|a| a.len() != n) {
                return None;
            }
            let items = (0..n)
                .map(|i| {
                    let column: Vec<(u32, &Value)> = entries
                        .iter()
                        .zip(&arrays)
                        .map(|((m, _), a)| (*m, &a[i]))
                        .collect();
                    merge_object(c, &column)
                })
                .collect::<Option<Vec<_>>>()?;
            Some(Value::Array(items))
        }
    }
}

/// The name of an element of a keyed array.
fn element_key(v: &Value) -> Option<String> {
    if let Some(r) = v.get("$ref").and_then(Value::as_str) {
        return Some(format!("$ref {r}"));
    }
    let name = v.get("name")?.as_str()?;
    Some(match v.get("in").and_then(Value::as_str) {
        Some(place) => format!("{place} {name}"),
        None => name.to_string(),
    })
}

/// The union of the elements, in the newest version's order and then older ones'; `None`
/// when an element has no name, or the union's order cannot give back each version's.
fn merge_keyed(c: Ctx, entries: &[(u32, &Value)]) -> Option<Value> {
    let mut lists: Vec<(u32, Vec<(String, &Value)>)> = Vec::new();
    for (m, v) in entries {
        let items = v.as_array()?;
        let keyed = items
            .iter()
            .map(|i| Some((element_key(i)?, i)))
            .collect::<Option<Vec<_>>>()?;
        let distinct: BTreeSet<&String> = keyed.iter().map(|(k, _)| k).collect();
        if distinct.len() != keyed.len() {
            return None;
        }
        lists.push((*m, keyed));
    }
    let order = union_order(
        lists
            .iter()
            .map(|(_, l)| l.iter().map(|(k, _)| k.clone()).collect()),
    );
    let all = mask_of(entries);
    let mut masks = Vec::new();
    let mut out = Vec::new();
    for key in &order {
        let present: Vec<(u32, &Value)> = lists
            .iter()
            .filter_map(|(m, l)| l.iter().find(|(k, _)| k == key).map(|(_, v)| (*m, *v)))
            .collect();
        let mask = mask_of(&present);
        let mut v = merge_object(c, &present)?;
        annotate(&mut v, mask, all);
        masks.push(mask);
        out.push(v);
    }
    // Filtering the union by version must give back each version's order.
    for (m, l) in &lists {
        let projected: Vec<&String> = order
            .iter()
            .zip(&masks)
            .filter(|(_, mask)| *mask & bit(*m) != 0)
            .map(|(k, _)| k)
            .collect();
        if projected.len() != l.len() || projected.iter().zip(l).any(|(a, (b, _))| *a != b) {
            return None;
        }
    }
    Some(Value::Array(out))
}

/// The newest list (the last), then what older lists add, newest first.
fn union_order<T: PartialEq + Clone>(lists: impl DoubleEndedIterator<Item = Vec<T>>) -> Vec<T> {
    let mut order: Vec<T> = Vec::new();
    for list in lists.rev() {
        for x in list {
            if !order.contains(&x) {
                order.push(x);
            }
        }
    }
    order
}

/// The union of an enum's values and the ranges of those that some versions lack; `None`
/// when the union's order cannot give back each version's list.
fn merge_enum(entries: &[(u32, &Value)]) -> Option<(Value, Vec<Value>)> {
    let lists: Vec<&Vec<Value>> = entries.iter().map(|(_, v)| v.as_array()).collect::<Option<_>>()?;
    let order = union_order(lists.iter().map(|l| l.to_vec()));
    let all = mask_of(entries);
    let masks: Vec<Mask> = order
        .iter()
        .map(|x| {
            entries
                .iter()
                .zip(&lists)
                .filter(|(_, l)| l.contains(x))
                .fold(0, |m, ((v, _), _)| m | bit(*v))
        })
        .collect();
    for ((m, _), l) in entries.iter().zip(&lists) {
        let projected: Vec<&Value> = order
            .iter()
            .zip(&masks)
            .filter(|(_, mask)| *mask & bit(*m) != 0)
            .map(|(x, _)| x)
            .collect();
        if projected.len() != l.len() || projected.iter().zip(l.iter()).any(|(a, b)| *a != b) {
            return None;
        }
    }
    let ranges = order
        .iter()
        .zip(&masks)
        .filter(|(_, mask)| **mask != all)
        .map(|(x, mask)| {
            let mut r = Map::new();
            r.insert("value".into(), x.clone());
            r.extend(range_keys(*mask, all, ("since", "until", "versions")));
            Value::Object(r)
        })
        .collect();
    Some((Value::Array(order), ranges))
}

/// Whether `v` (anywhere inside) has a key of this scheme.
pub fn has_scheme_keys(v: &Value) -> bool {
    match v {
        Value::Object(o) => o.iter().any(|(k, x)| k.starts_with(PREFIX) || has_scheme_keys(x)),
        Value::Array(a) => a.iter().any(has_scheme_keys),
        _ => false,
    }
}

/// The unified document of `docs` (the exports of `versions`, oldest first).
pub fn unify(versions: &[&SpecVersion], docs: &[Value]) -> crate::Result<Value> {
    assert_eq!(versions.len(), docs.len());
    if let Some((v, _)) = versions.iter().zip(docs).find(|(_, d)| has_scheme_keys(d)) {
        return Err(format!(
            "the export of v{} has a `{PREFIX}*` key: the unified scheme needs another prefix",
            v.name()
        ));
    }
    let entries: Vec<(u32, &Value)> = versions.iter().map(|v| v.minor).zip(docs).collect();
    let mut doc = merge_object(Ctx::Document, &entries).ok_or("the exports are not objects")?;
    if let Value::Object(root) = &mut doc {
        root.insert(VERSIONS_KEY.into(), json!(run_texts(mask_of(&entries))));
    }
    crate::export::sort_keys(&mut doc);
    Ok(doc)
}

/// Version `minor` of a unified document: every element whose range has it, without the keys
/// of this scheme.
pub fn project(v: &Value, minor: u32) -> Value {
    match v {
        Value::Object(obj) => {
            if obj.contains_key(VARIANTS) {
                let alternatives = obj.get("oneOf").and_then(Value::as_array);
                let chosen = alternatives
                    .into_iter()
                    .flatten()
                    .find(|a| a.as_object().is_some_and(|o| contains(o, minor)));
                return chosen.map_or(Value::Null, |a| project(a, minor));
            }
            let mut out = Map::new();
            for (k, child) in obj {
                if k.starts_with(PREFIX) {
                    continue;
                }
                if let Value::Object(c) = child
                    && !contains(c, minor)
                {
                    continue;
                }
                out.insert(k.clone(), project(child, minor));
            }
            if let Some(changes) = obj.get(CHANGES).and_then(Value::as_object) {
                for (k, list) in changes {
                    out.remove(k);
                    let entry = list
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_object)
                        .find(|e| contains(e, minor));
                    if let Some(value) = entry.and_then(|e| e.get("value")) {
                        out.insert(k.clone(), value.clone());
                    }
                }
            }
            if let Some(ranges) = obj.get(ENUM).and_then(Value::as_array) {
                let absent: Vec<&Value> = ranges
                    .iter()
                    .filter_map(Value::as_object)
                    .filter(|r| !contains(r, minor))
                    .filter_map(|r| r.get("value"))
                    .collect();
                if let Some(Value::Array(values)) = out.get_mut("enum") {
                    values.retain(|x| !absent.contains(&x));
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .filter(|i| i.as_object().is_none_or(|o| contains(o, minor)))
                .map(|i| project(i, minor))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The unified document of every version.
pub fn document(root: &std::path::Path) -> crate::Result<Value> {
    let docs = crate::regen::all_documents(root)?;
    let versions: Vec<&SpecVersion> = VERSIONS.iter().collect();
    unify(&versions, &docs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn versions(minors: &[u32]) -> Vec<&'static SpecVersion> {
        minors.iter().map(|m| SpecVersion::find(*m).unwrap()).collect()
    }

    fn round_trip(minors: &[u32], docs: &[Value]) -> Value {
        let unified = unify(&versions(minors), docs).unwrap();
        for (m, d) in minors.iter().zip(docs) {
            let mut expected = d.clone();
            crate::export::sort_keys(&mut expected);
            assert_eq!(project(&unified, *m), expected, "v1.{m}");
        }
        unified
    }

    #[test]
    fn added_operation_property_and_enum_value() {
        let old = json!({"openapi": "3.0.3", "paths": {"/a": {"get": {"operationId": "A", "responses": {}}}},
            "components": {"schemas": {"S": {"type": "object", "properties": {"x": {"type": "string", "enum": ["p", "q"]}}}}}});
        let new = json!({"openapi": "3.0.3", "paths": {"/a": {"get": {"operationId": "A", "responses": {}}},
            "/b": {"post": {"operationId": "B", "responses": {}}}},
            "components": {"schemas": {"S": {"type": "object", "properties": {"x": {"type": "string", "enum": ["p", "q", "r"]},
            "y": {"type": "integer", "description": "new"}}}}}});
        let u = round_trip(&[40, 41], &[old, new]);
        assert_eq!(u["paths"]["/b"][SINCE], "1.41");
        let s = &u["components"]["schemas"]["S"]["properties"];
        assert_eq!(s["y"][SINCE], "1.41");
        assert_eq!(s["x"]["enum"], json!(["p", "q", "r"]));
        assert_eq!(s["x"][ENUM], json!([{"value": "r", "since": "1.41"}]));
    }

    #[test]
    fn type_change_is_one_of_per_version_alternatives() {
        let doc =
            |t: Value| json!({"components": {"schemas": {"S": {"type": "object", "properties": {"x": t}}}}});
        let docs = [
            doc(json!({"type": "string"})),
            doc(json!({"type": "integer"})),
            doc(json!({"type": "integer", "format": "int64"})),
            doc(json!({"type": "string"})),
        ];
        let u = round_trip(&[30, 31, 32, 33], &docs);
        let x = &u["components"]["schemas"]["S"]["properties"]["x"];
        assert_eq!(x[VARIANTS], true);
        assert_eq!(x["oneOf"][0][VERSIONS_KEY], json!(["1.30", "1.33"]));
        assert_eq!(x["oneOf"][1][SINCE], "1.31");
        assert_eq!(x["oneOf"][1][UNTIL], "1.32");
        assert_eq!(
            x["oneOf"][1][CHANGES]["format"],
            json!([{"since": "1.32", "until": "1.32", "value": "int64"}])
        );
    }

    #[test]
    fn parameters_descriptions_and_gaps() {
        let op = |params: Value, d: &str| json!({"paths": {"/a": {"get": {"description": d, "parameters": params}}}});
        let p = |n: &str| json!({"in": "query", "name": n, "schema": {"type": "string"}});
        let docs = [
            op(json!([p("a")]), "one"),
            op(json!([p("a"), p("b")]), "one"),
            op(json!([p("a")]), "two"),
            op(json!([p("a"), p("b")]), "two"),
        ];
        let u = round_trip(&[24, 25, 26, 27], &docs);
        let get = &u["paths"]["/a"]["get"];
        assert_eq!(get["description"], "two");
        assert_eq!(get["parameters"][1][VERSIONS_KEY], json!(["1.25", "1.27"]));
    }

    /// The data this test needs: every version's export (about a minute in a debug build).
    #[test]
    fn every_version_round_trips() {
        let root = crate::repo_root();
        let docs = crate::regen::all_documents(&root).unwrap();
        let all: Vec<&SpecVersion> = VERSIONS.iter().collect();
        let unified = unify(&all, &docs).unwrap();
        let mut failed = Vec::new();
        for (v, d) in VERSIONS.iter().zip(&docs) {
            if project(&unified, v.minor) != *d {
                failed.push(v.name());
            }
        }
        assert!(failed.is_empty(), "versions that do not round-trip: {failed:?}");
        let every = VERSIONS.iter().fold(0, |m, v| m | bit(v.minor));
        assert_eq!(unified[VERSIONS_KEY], json!(run_texts(every)));
    }
}
