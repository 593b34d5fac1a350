//! What changed between two versions' OpenAPI 3 documents: operations, parameters, request
//! bodies, responses, schemas and properties added, removed or changed.
//!
//! Compared are the shapes (types, formats, enums, references, media types), not the prose:
//! descriptions and examples change in almost every release and would drown the API changes.

use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::fmt::Write as _;

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch"];

/// Added, removed or changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Added,
    Removed,
    Changed,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Added => "added",
            Kind::Removed => "removed",
            Kind::Changed => "changed",
        }
    }
}

/// What kind of thing changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Item {
    Operation,
    Parameter,
    RequestBody,
    Response,
    Schema,
    Property,
}

impl Item {
    /// The plural, for tables.
    pub fn plural(self) -> &'static str {
        match self {
            Item::Operation => "operations",
            Item::Parameter => "parameters",
            Item::RequestBody => "request bodies",
            Item::Response => "responses",
            Item::Schema => "schemas",
            Item::Property => "properties",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Item::Operation => "operation",
            Item::Parameter => "parameter",
            Item::RequestBody => "request body",
            Item::Response => "response",
            Item::Schema => "schema",
            Item::Property => "property",
        }
    }
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub kind: Kind,
    pub item: Item,
    /// The operation (`GET /containers/json`) or the schema (`HostConfig`) it is in.
    pub scope: String,
    /// The operationId of an operation; `query all` for a parameter; `200` for a response;
    /// the property path (`HostConfig.Mounts[].Type`), prefixed by `body: ` or `response 200: `
    /// for properties of inline bodies of an operation.
    pub name: String,
    /// The shape before and after (`string`, `array<Mount>`, `integer(int64)`, ...).
    pub before: Option<String>,
    pub after: Option<String>,
}

/// The changes from one version to the next.
#[derive(Debug, Clone)]
pub struct Diff {
    pub from: String,
    pub to: String,
    pub changes: Vec<Change>,
}

impl Diff {
    /// The changes of `item` and `kind`.
    pub fn count(&self, item: Item, kind: Kind) -> usize {
        self.changes
            .iter()
            .filter(|c| c.item == item && c.kind == kind)
            .count()
    }

    /// Whether a change of `item` and `kind` in `scope` has `name` (exactly, or ending in it
    /// after a `.`, `: ` or space) — what the changelog tests ask.
    pub fn has(&self, kind: Kind, item: Item, scope: &str, name: &str) -> bool {
        self.changes.iter().any(|c| {
            c.kind == kind
                && c.item == item
                && c.scope == scope
                && (c.name == name
                    || [".", ": ", " "]
                        .iter()
                        .any(|sep| c.name.ends_with(&format!("{sep}{name}"))))
        })
    }

    /// The machine-readable form.
    pub fn to_json(&self) -> Value {
        let mut summary = Map::new();
        for item in [
            Item::Operation,
            Item::Parameter,
            Item::RequestBody,
            Item::Response,
            Item::Schema,
            Item::Property,
        ] {
            let counts: Map<String, Value> = [Kind::Added, Kind::Removed, Kind::Changed]
                .iter()
                .map(|k| (k.as_str().to_string(), json!(self.count(item, *k))))
                .collect();
            summary.insert(item.as_str().replace(' ', "_"), Value::Object(counts));
        }
        let changes: Vec<Value> = self
            .changes
            .iter()
            .map(|c| {
                let mut o = Map::new();
                o.insert("kind".into(), json!(c.kind.as_str()));
                o.insert("item".into(), json!(c.item.as_str()));
                o.insert("scope".into(), json!(c.scope));
                o.insert("name".into(), json!(c.name));
                if let Some(b) = &c.before {
                    o.insert("before".into(), json!(b));
                }
                if let Some(a) = &c.after {
                    o.insert("after".into(), json!(a));
                }
                Value::Object(o)
            })
            .collect();
        json!({ "from": self.from, "to": self.to, "summary": summary, "changes": changes })
    }

    /// The human-readable form: operations then schemas, grouped by scope.
    pub fn to_markdown(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "# Docker Engine API v{} to v{}\n", self.from, self.to);
        let _ = writeln!(
            s,
            "Generated by `cargo xtask diff {} {}` from the OpenAPI 3 documents after our fixes \
             (`cargo xtask export`). Shapes are compared (types, formats, enums, references, media \
             types); descriptions, examples and defaults are not. See `specs/CHANGELOG.md` for \
             what changed in behaviour.\n",
            self.from, self.to
        );
        if self.changes.is_empty() {
            s.push_str("No changes.\n");
            return s;
        }
        let _ = writeln!(s, "| | added | removed | changed |\n|---|---|---|---|");
        for item in [
            Item::Operation,
            Item::Parameter,
            Item::RequestBody,
            Item::Response,
            Item::Schema,
            Item::Property,
        ] {
            let (a, r, c) = (
                self.count(item, Kind::Added),
                self.count(item, Kind::Removed),
                self.count(item, Kind::Changed),
            );
            if a + r + c > 0 {
                let _ = writeln!(s, "| {} | {a} | {r} | {c} |", item.plural());
            }
        }
        self.markdown_section(&mut s, "Operations", Item::Operation);
        self.markdown_section(&mut s, "Schemas", Item::Schema);
        s.truncate(s.trim_end().len());
        s.push('\n');
        s
    }

    fn markdown_section(&self, s: &mut String, title: &str, whole: Item) {
        let in_section =
            |c: &&Change| (whole == Item::Operation) == (c.item != Item::Schema && !c.scope_is_schema());
        let changes: Vec<&Change> = self.changes.iter().filter(in_section).collect();
        if changes.is_empty() {
            return;
        }
        s.truncate(s.trim_end().len());
        let _ = writeln!(s, "\n\n## {title}\n");
        for kind in [Kind::Added, Kind::Removed] {
            let wholes: Vec<_> = changes
                .iter()
                .filter(|c| c.item == whole && c.kind == kind)
                .collect();
            if !wholes.is_empty() {
                let _ = writeln!(s, "{}:\n", capitalized(kind.as_str()));
                for c in wholes {
                    match whole {
                        Item::Operation => {
                            let _ = writeln!(s, "- `{}` ({})", c.scope, c.name);
                        }
                        _ => {
                            let _ = writeln!(s, "- `{}`", c.scope);
                        }
                    }
                }
                s.push('\n');
            }
        }
        let mut by_scope: BTreeMap<&str, Vec<&Change>> = BTreeMap::new();
        for c in changes
            .iter()
            .filter(|c| !(c.item == whole && c.kind != Kind::Changed))
        {
            by_scope.entry(&c.scope).or_default().push(c);
        }
        if by_scope.is_empty() {
            return;
        }
        let _ = writeln!(s, "Changed:\n");
        for (scope, changes) in by_scope {
            let _ = writeln!(s, "- `{scope}`");
            for c in changes {
                let shape = match (&c.before, &c.after) {
                    (Some(b), Some(a)) => format!(": `{b}` to `{a}`"),
                    (None, Some(a)) => format!(": `{a}`"),
                    (Some(b), None) => format!(" (was `{b}`)"),
                    (None, None) => String::new(),
                };
                if c.item == whole {
                    let _ = writeln!(s, "  - {} itself{shape}", c.kind.as_str());
                } else {
                    let _ = writeln!(
                        s,
                        "  - {} {} `{}`{shape}",
                        c.kind.as_str(),
                        c.item.as_str(),
                        c.name
                    );
                }
            }
        }
    }
}

impl Change {
    /// Properties of component schemas are listed under the schema.
    fn scope_is_schema(&self) -> bool {
        !self.scope.contains(' ')
    }
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

/// The changes from `old` to `new`, two OpenAPI 3 documents of versions `from` and `to`.
pub fn diff(from: &str, old: &Value, to: &str, new: &Value) -> Diff {
    let mut changes = Vec::new();
    let (old_ops, new_ops) = (operations(old), operations(new));
    for (key, op) in &new_ops {
        if !old_ops.contains_key(key) {
            changes.push(change(Kind::Added, Item::Operation, key, op_id(op), None, None));
        }
    }
    for (key, op) in &old_ops {
        match new_ops.get(key) {
            None => changes.push(change(Kind::Removed, Item::Operation, key, op_id(op), None, None)),
            Some(new_op) => compare_operations(key, op, new_op, &mut changes),
        }
    }
    let (old_schemas, new_schemas) = (schemas(old), schemas(new));
    for name in new_schemas.keys().filter(|n| !old_schemas.contains_key(*n)) {
        changes.push(change(Kind::Added, Item::Schema, name, String::new(), None, None));
    }
    for (name, schema) in &old_schemas {
        match new_schemas.get(name) {
            None => changes.push(change(
                Kind::Removed,
                Item::Schema,
                name,
                String::new(),
                None,
                None,
            )),
            Some(new_schema) => {
                let (b, a) = (signature(schema), signature(new_schema));
                if b != a {
                    changes.push(change(
                        Kind::Changed,
                        Item::Schema,
                        name,
                        String::new(),
                        Some(b),
                        Some(a),
                    ));
                }
                compare_properties(name, "", schema, new_schema, &mut changes);
            }
        }
    }
    changes.sort_by(|a, b| {
        (
            a.item == Item::Schema || a.scope_is_schema(),
            &a.scope,
            a.item,
            a.kind,
            &a.name,
        )
            .cmp(&(
                b.item == Item::Schema || b.scope_is_schema(),
                &b.scope,
                b.item,
                b.kind,
                &b.name,
            ))
    });
    Diff {
        from: from.into(),
        to: to.into(),
        changes,
    }
}

fn change(
    kind: Kind,
    item: Item,
    scope: &str,
    name: String,
    before: Option<String>,
    after: Option<String>,
) -> Change {
    Change {
        kind,
        item,
        scope: scope.into(),
        name,
        before,
        after,
    }
}

fn op_id(op: &Value) -> String {
    op["operationId"].as_str().unwrap_or("").to_string()
}

/// `GET /containers/json` to the operation, with the path item's parameters merged in.
fn operations(doc: &Value) -> BTreeMap<String, Value> {
    let mut ops = BTreeMap::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        let shared = item["parameters"].as_array().cloned().unwrap_or_default();
        for method in METHODS {
            if let Some(op) = item.get(*method) {
                let mut op = op.clone();
                if !shared.is_empty() {
                    let mut params = shared.clone();
                    params.extend(op["parameters"].as_array().cloned().unwrap_or_default());
                    op["parameters"] = Value::Array(params);
                }
                ops.insert(format!("{} {path}", method.to_uppercase()), op);
            }
        }
    }
    ops
}

fn schemas(doc: &Value) -> BTreeMap<String, Value> {
    doc.pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default()
}

fn compare_operations(key: &str, old: &Value, new: &Value, changes: &mut Vec<Change>) {
    let params = |op: &Value| -> BTreeMap<String, String> {
        op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| {
                let name = format!(
                    "{} {}",
                    p["in"].as_str().unwrap_or("?"),
                    p["name"].as_str().unwrap_or("?")
                );
                let required = if p["required"] == json!(true) {
                    " (required)"
                } else {
                    ""
                };
                (name, format!("{}{required}", signature(&p["schema"])))
            })
            .collect()
    };
    compare_maps(key, Item::Parameter, &params(old), &params(new), changes);

    // The request body: its media types and schema, then the properties of an inline schema.
    let body = |op: &Value| op.get("requestBody").map(|b| content_signature(&b["content"]));
    match (body(old), body(new)) {
        (None, Some(a)) => changes.push(change(
            Kind::Added,
            Item::RequestBody,
            key,
            "body".into(),
            None,
            Some(a),
        )),
        (Some(b), None) => changes.push(change(
            Kind::Removed,
            Item::RequestBody,
            key,
            "body".into(),
            Some(b),
            None,
        )),
        (Some(b), Some(a)) if a != b => changes.push(change(
            Kind::Changed,
            Item::RequestBody,
            key,
            "body".into(),
            Some(b),
            Some(a),
        )),
        _ => {}
    }
    compare_content(
        key,
        "body: ",
        &old["requestBody"]["content"],
        &new["requestBody"]["content"],
        changes,
    );

    let responses = |op: &Value| -> BTreeMap<String, String> {
        op["responses"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(code, r)| (code.clone(), content_signature(&r["content"])))
            .collect()
    };
    compare_maps(key, Item::Response, &responses(old), &responses(new), changes);
    for (code, r) in old["responses"].as_object().into_iter().flatten() {
        if let Some(n) = new["responses"].get(code) {
            compare_content(
                key,
                &format!("response {code}: "),
                &r["content"],
                &n["content"],
                changes,
            );
        }
    }
}

/// Added, removed and changed entries of two name-to-shape maps.
fn compare_maps(
    scope: &str,
    item: Item,
    old: &BTreeMap<String, String>,
    new: &BTreeMap<String, String>,
    changes: &mut Vec<Change>,
) {
    for (name, a) in new {
        match old.get(name) {
            None => changes.push(change(
                Kind::Added,
                item,
                scope,
                name.clone(),
                None,
                Some(a.clone()),
            )),
            Some(b) if b != a => changes.push(change(
                Kind::Changed,
                item,
                scope,
                name.clone(),
                Some(b.clone()),
                Some(a.clone()),
            )),
            Some(_) => {}
        }
    }
    for (name, b) in old {
        if !new.contains_key(name) {
            changes.push(change(
                Kind::Removed,
                item,
                scope,
                name.clone(),
                Some(b.clone()),
                None,
            ));
        }
    }
}

/// The properties of the inline schemas of one body, for each media type in both.
fn compare_content(scope: &str, prefix: &str, old: &Value, new: &Value, changes: &mut Vec<Change>) {
    for (media, o) in old.as_object().into_iter().flatten() {
        if let Some(n) = new.get(media) {
            compare_properties(scope, prefix, &o["schema"], &n["schema"], changes);
        }
    }
}

fn compare_properties(scope: &str, prefix: &str, old: &Value, new: &Value, changes: &mut Vec<Change>) {
    let (mut o, mut n) = (BTreeMap::new(), BTreeMap::new());
    properties(old, "", &mut o);
    properties(new, "", &mut n);
    let prefixed = |m: BTreeMap<String, String>| -> BTreeMap<String, String> {
        m.into_iter().map(|(k, v)| (format!("{prefix}{k}"), v)).collect()
    };
    compare_maps(scope, Item::Property, &prefixed(o), &prefixed(n), changes);
}

/// `application/json: ContainerSummary`, or `none` for a body-less response.
fn content_signature(content: &Value) -> String {
    let Some(content) = content.as_object().filter(|c| !c.is_empty()) else {
        return "none".into();
    };
    content
        .iter()
        .map(|(media, m)| format!("{media}: {}", signature(&m["schema"])))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every property path of an inline schema (`Config.Healthcheck.Test`, `Mounts[].Type`,
/// `Labels{}`) with its shape. References are not followed: the referenced schema is compared
/// on its own.
fn properties(schema: &Value, path: &str, out: &mut BTreeMap<String, String>) {
    let Some(s) = schema.as_object() else { return };
    if s.contains_key("$ref") {
        return;
    }
    for (name, p) in s
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let path = if path.is_empty() {
            name.clone()
        } else {
            format!("{path}.{name}")
        };
        out.insert(path.clone(), signature(p));
        properties(p, &path, out);
    }
    if let Some(items) = s.get("items") {
        properties(items, &format!("{path}[]"), out);
    }
    if let Some(values) = s.get("additionalProperties") {
        properties(values, &format!("{path}{{}}"), out);
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        for member in s.get(key).and_then(Value::as_array).into_iter().flatten() {
            properties(member, path, out);
        }
    }
}

/// The shape of a schema without its properties: `string`, `integer(int64)`,
/// `string enum [a, b]`, `array<Mount>`, `map<string>`, `object`, `allOf(Resources, object)`.
pub fn signature(schema: &Value) -> String {
    let Some(s) = schema.as_object() else {
        return "any".into();
    };
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        return r.rsplit('/').next().unwrap_or(r).to_string();
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(members) = s.get(key).and_then(Value::as_array) {
            let inner: Vec<_> = members.iter().map(signature).collect();
            return format!("{key}({})", inner.join(", "));
        }
    }
    let ty = s.get("type").and_then(Value::as_str).unwrap_or("");
    let mut sig = match ty {
        "array" => format!("array<{}>", s.get("items").map_or("any".into(), signature)),
        "object" | "" if s.contains_key("properties") => "object".into(),
        "object" | "" => match s.get("additionalProperties") {
            Some(Value::Object(v)) if !v.is_empty() => {
                format!("map<{}>", signature(&Value::Object(v.clone())))
            }
            Some(Value::Bool(false)) => "object".into(),
            Some(_) => "map<any>".into(),
            None if ty.is_empty() => "any".into(),
            None => "object".into(),
        },
        other => other.into(),
    };
    if let Some(f) = s.get("format").and_then(Value::as_str) {
        let _ = write!(sig, "({f})");
    }
    if let Some(e) = s.get("enum").and_then(Value::as_array) {
        let values: Vec<_> = e
            .iter()
            .map(|v| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()))
            .collect();
        let _ = write!(sig, " enum [{}]", values.join(", "));
    }
    sig
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(paths: Value, schemas: Value) -> Value {
        json!({ "openapi": "3.0.3", "paths": paths, "components": { "schemas": schemas } })
    }

    #[test]
    fn finds_each_kind_of_change() {
        let old = doc(
            json!({
                "/a": { "get": { "operationId": "A", "parameters": [
                    { "in": "query", "name": "all", "schema": { "type": "boolean" } },
                    { "in": "query", "name": "gone", "schema": { "type": "string" } },
                ], "responses": { "200": { "description": "", "content": { "application/json": { "schema": {
                    "type": "object", "properties": { "Version": { "type": "string" } } } } } } } } },
                "/b": { "delete": { "operationId": "B", "responses": { "204": { "description": "" } } } },
            }),
            json!({
                "Config": { "type": "object", "properties": {
                    "Cmd": { "type": "string" },
                    "Old": { "type": "integer", "format": "int64" },
                    "Nested": { "type": "object", "properties": { "X": { "type": "string" } } },
                } },
                "Gone": { "type": "string" },
                "Mode": { "type": "string", "enum": ["a"] },
            }),
        );
        let new = doc(
            json!({
                "/a": { "get": { "operationId": "A", "parameters": [
                    { "in": "query", "name": "all", "schema": { "type": "integer" } },
                    { "in": "query", "name": "new", "schema": { "type": "string" } },
                ], "responses": { "200": { "description": "", "content": { "application/json": { "schema": {
                    "type": "object", "properties": { "Version": { "type": "string" }, "MinAPIVersion": { "type": "string" } } } } } } } } },
                "/c": { "post": { "operationId": "C", "responses": { "200": { "description": "" } } } },
            }),
            json!({
                "Config": { "type": "object", "properties": {
                    "Cmd": { "type": "array", "items": { "type": "string" } },
                    "Nested": { "type": "object", "properties": { "X": { "type": "string" }, "Y": { "$ref": "#/components/schemas/Mode" } } },
                } },
                "Mode": { "type": "string", "enum": ["a", "b"] },
                "New": { "type": "object" },
            }),
        );
        let d = diff("1.1", &old, "1.2", &new);
        assert!(d.has(Kind::Added, Item::Operation, "POST /c", "C"));
        assert!(d.has(Kind::Removed, Item::Operation, "DELETE /b", "B"));
        assert!(d.has(Kind::Added, Item::Parameter, "GET /a", "new"));
        assert!(d.has(Kind::Removed, Item::Parameter, "GET /a", "query gone"));
        assert!(d.has(Kind::Changed, Item::Parameter, "GET /a", "all"));
        assert!(d.has(Kind::Added, Item::Property, "GET /a", "MinAPIVersion"));
        assert!(d.has(Kind::Added, Item::Schema, "New", ""));
        assert!(d.has(Kind::Removed, Item::Schema, "Gone", ""));
        assert!(d.has(Kind::Changed, Item::Schema, "Mode", ""));
        assert!(d.has(Kind::Removed, Item::Property, "Config", "Old"));
        assert!(d.has(Kind::Added, Item::Property, "Config", "Nested.Y"));
        let cmd = d.changes.iter().find(|c| c.name == "Cmd").unwrap();
        assert_eq!(
            (cmd.before.as_deref(), cmd.after.as_deref()),
            (Some("string"), Some("array<string>"))
        );
        assert_eq!(d.changes.len(), 12, "{:#?}", d.changes);
        // Both forms name every change.
        let md = d.to_markdown();
        for needle in [
            "`POST /c` (C)",
            "`DELETE /b` (B)",
            "added parameter `query new`",
            "`Gone`",
            "`Nested.Y`: `Mode`",
        ] {
            assert!(md.contains(needle), "{needle} not in\n{md}");
        }
        assert_eq!(d.to_json()["changes"].as_array().unwrap().len(), 12);
        assert_eq!(d.to_json()["summary"]["operation"]["added"], 1);
    }

    #[test]
    fn prose_is_not_compared() {
        let a = doc(
            json!({}),
            json!({ "A": { "type": "string", "description": "one" } }),
        );
        let b = doc(
            json!({}),
            json!({ "A": { "type": "string", "description": "two", "example": "x" } }),
        );
        assert!(diff("1", &a, "2", &b).changes.is_empty());
        assert!(diff("1", &a, "2", &b).to_markdown().contains("No changes."));
    }

    #[test]
    fn signatures() {
        assert_eq!(
            signature(&json!({ "type": "integer", "format": "int64" })),
            "integer(int64)"
        );
        assert_eq!(
            signature(&json!({ "type": "object", "additionalProperties": { "type": "string" } })),
            "map<string>"
        );
        assert_eq!(
            signature(
                &json!({ "allOf": [{ "$ref": "#/components/schemas/R" }, { "type": "object", "properties": {} }] })
            ),
            "allOf(R, object)"
        );
        assert_eq!(
            signature(&json!({ "type": "string", "enum": ["a", ""] })),
            "string enum [a, ]"
        );
    }
}
