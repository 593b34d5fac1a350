//! Swagger 2.0 to OpenAPI 3.0.3, on JSON values.
//!
//! Besides the mechanical translation (definitions to components, body parameters to request
//! bodies, `produces` to response content), the conversion applies rules that hold for every
//! Docker spec, each documented with its reason where it is applied: the constants below are
//! what the rules read (operations, media types, formats, bounds), [`convert_schema`] lists
//! the rules of every schema and [`rustdoc_safe`] the one of every description. Errors in
//! single specs are not handled here but in [`crate::fixes`].

use crate::error::{Error, Result};
use serde_json::{Map, Value, json};

/// Operations whose success body is a stream of JSON documents, one per line (or a single
/// document only when asked for, as `ContainerStats` with `stream=false`). Typing them as one
/// JSON object would wait for EOF (events never end) and drop all but one progress item, so
/// they are generated as byte streams that the facade decodes item by item.
pub const JSON_LINES_OPERATIONS: &[&str] = &[
    "SystemEvents",
    "ContainerStats",
    "ImageBuild",
    "ImageCreate",
    "ImagePush",
    "ImageLoad",
    "PluginPull",
    "PluginUpgrade",
    "PluginPush",
];

/// Media types of bodies that are byte streams: multiplexed or raw container output, tar
/// archives. Such bodies become `application/octet-stream` binaries (a `ByteStream` in the
/// generated client); the daemon accepts `Content-Type: application/octet-stream` for every
/// tar upload (build, archive PUT, image load, plugin create).
pub const STREAM_MEDIA_TYPES: &[&str] = &[
    "application/octet-stream",
    "application/x-tar",
    "application/vnd.docker.raw-stream",
    "application/vnd.docker.multiplexed-stream",
];

/// Rule: `101 Switching Protocols` responses are dropped. Hijacked connections (attach, exec,
/// session) are written by hand in the facade; progenitor can neither mix 101 with 200 nor
/// speak Docker's `Upgrade: tcp`.
pub const DROP_UPGRADE_RESPONSES: u16 = 101;

/// Rule: header parameters named `Content-Type` are dropped: the content type follows from the
/// request body's media type (ImageBuild documents `Content-type: application/x-tar`, which
/// would collide with the octet-stream body).
pub const DROPPED_HEADER: &str = "content-type";

/// Rule: `format: dateTime`/`date-time` is dropped, timestamps stay strings. Docker's
/// timestamps are Go `time.Time` texts with nanoseconds, the Go zero time
/// (`0001-01-01T00:00:00Z`) or empty strings, none of which should fail a whole response.
pub const TIMESTAMP_FORMATS: &[&str] = &["dateTime", "date-time"];

/// Rule: string length limits (`minLength`, `maxLength`) are dropped, so that such strings
/// are plain `String`s. typify turns a length-limited string into a newtype whose parsing checks
/// the length: `ContainerSummary.id` was a `String` in v1.41 and a `ContainerSummaryId` in
/// v1.51, whose spec added `minLength: 64, maxLength: 64`, so that code written for one version
/// did not compile for the next, and a daemon's short ID failed the whole response. Integer
/// bounds make no newtypes (typify picks a plain integer type; see [`NONZERO_MINIMUM`] for the
/// one exception); `minItems`/`maxItems` stay too: equal ones make a fixed-size array
/// (`ConsoleSize: [u64; 2]`, in every version), typify ignores others.
pub const DROP_LENGTH_LIMITS: &[&str] = &["minLength", "maxLength"];

/// Rule: the string `format`s that typify turns into other types than `String` are dropped
/// (besides [`TIMESTAMP_FORMATS`]): `date` (chrono's `NaiveDate`), `uuid` (`uuid::Uuid`), `ip`,
/// `ipv4` and `ipv6` (`std::net`'s addresses), for the same reasons as timestamps: a value the
/// type cannot parse would fail a whole response, and a format added by a later spec would
/// change the field's type. None is in the vendored specs today; the formats they have
/// (`binary`, which progenitor relies on for streamed bodies, `cidr`, `ip-address`, `json`,
/// `uri`) stay, as typify keeps those strings plain.
pub const DROP_TYPED_STRING_FORMATS: &[&str] = &["date", "uuid", "ip", "ipv4", "ipv6"];

/// Rule: `minimum: 1` is dropped from integers: typify makes them `NonZeroU64` & co, which a
/// daemon's `0` (often "not set") would fail to parse, and a later spec adding the bound would
/// change the type. Other integer bounds only pick a plain integer type (or none) and stay.
pub const NONZERO_MINIMUM: f64 = 1.0;

/// Converts a Swagger 2.0 document into an OpenAPI 3.0.3 document.
pub fn to_openapi3(swagger: &Value) -> Result<Value> {
    let mut doc = convert_document(swagger)?;
    sanitize_descriptions(&mut doc);
    Ok(doc)
}

/// Applies [`rustdoc_safe`] to every `description` and `summary` text of `v`.
fn sanitize_descriptions(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                match value {
                    Value::String(text) if key == "description" || key == "summary" => {
                        *text = rustdoc_safe(text);
                    }
                    _ => sanitize_descriptions(value),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(sanitize_descriptions),
        _ => {}
    }
}

/// Markdown with every code block labelled `text`: unlabelled fences get the label, indented
/// blocks (four spaces after a blank line) are fenced.
///
/// Rule (every `description` and `summary`): the descriptions become doc comments, where
/// rustdoc would compile an unlabelled fenced block or an indented block as a Rust doctest
/// (they hold JSON, shell and Go).
pub fn rustdoc_safe(markdown: &str) -> String {
    let mut out = Vec::new();
    let mut fence: Option<String> = None;
    let mut indented = false;
    let mut previous_blank = true;
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        if let Some(open) = &fence {
            if trimmed.starts_with(open.as_str()) && trimmed.trim_end() == open {
                fence = None;
            }
            out.push(line.to_string());
            previous_blank = false;
            continue;
        }
        let is_indented = line.starts_with("    ") || line.starts_with('\t');
        if indented && !is_indented && !line.trim().is_empty() {
            close_indented(&mut out);
            indented = false;
        }
        if !indented && is_indented && previous_blank && !line.trim().is_empty() {
            out.push("```text".to_string());
            indented = true;
        }
        if !indented && (trimmed.starts_with("```") || trimmed.starts_with("~~~")) {
            let marker: String = trimmed.chars().take_while(|c| *c == '`' || *c == '~').collect();
            let info = trimmed[marker.len()..].trim();
            let indent = &line[..line.len() - trimmed.len()];
            out.push(if info.is_empty() {
                format!("{indent}{marker}text")
            } else {
                line.to_string()
            });
            fence = Some(marker);
        } else if indented {
            out.push(
                line.strip_prefix("    ")
                    .or_else(|| line.strip_prefix('\t'))
                    .unwrap_or(line)
                    .to_string(),
            );
        } else {
            out.push(line.to_string());
        }
        previous_blank = line.trim().is_empty();
    }
    if indented {
        close_indented(&mut out);
    }
    if fence.is_some() {
        out.push("```".to_string());
    }
    let mut text = out.join("\n");
    if markdown.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// Ends an indented block turned fenced, keeping its trailing blank lines outside the fence.
fn close_indented(out: &mut Vec<String>) {
    let mut blanks = 0;
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
        blanks += 1;
    }
    out.push("```".to_string());
    out.extend(std::iter::repeat_n(String::new(), blanks));
}

fn convert_document(swagger: &Value) -> Result<Value> {
    let sw = as_object(swagger, "document")?;
    if sw.get("swagger").and_then(Value::as_str) != Some("2.0") {
        return Err(Error::new(
            "not a Swagger 2.0 document (`swagger: \"2.0\"` is missing)",
        ));
    }
    let consumes = strings(sw.get("consumes"));
    let produces = strings(sw.get("produces"));

    let mut out = Map::new();
    out.insert("openapi".into(), json!("3.0.3"));
    out.insert("info".into(), convert_info(sw.get("info"))?);
    if let Some(base) = sw.get("basePath").and_then(Value::as_str) {
        out.insert("servers".into(), json!([{ "url": base }]));
    }
    if let Some(tags) = sw.get("tags") {
        out.insert("tags".into(), tags.clone());
    }

    let mut paths = Map::new();
    for (path, item) in as_object(sw.get("paths").unwrap_or(&Value::Null), "paths")? {
        let item = convert_path_item(item, &consumes, &produces).map_err(|e| e.context(path))?;
        paths.insert(path.clone(), item);
    }
    out.insert("paths".into(), Value::Object(paths));

    let mut schemas = Map::new();
    if let Some(defs) = sw.get("definitions") {
        for (name, schema) in as_object(defs, "definitions")? {
            let mut schema = convert_schema(schema).map_err(|e| e.context(format!("definitions/{name}")))?;
            // Nullability belongs to the places that use a struct, and every property is
            // optional anyway (`convert_schema` drops `required`); a nullable definition
            // would become a newtype around an `Option`.
            if let Some(s) = schema.as_object_mut().filter(|s| s.contains_key("properties")) {
                s.remove("nullable");
            }
            schemas.insert(name.clone(), schema);
        }
    }
    out.insert("components".into(), json!({ "schemas": schemas }));
    Ok(Value::Object(out))
}

fn convert_info(info: Option<&Value>) -> Result<Value> {
    let info = as_object(info.unwrap_or(&Value::Null), "info")?;
    let mut out = Map::new();
    for key in ["title", "version", "description"] {
        if let Some(v) = info.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    for key in ["title", "version"] {
        if !out.contains_key(key) {
            return Err(Error::new(format!("info.{key} is missing")));
        }
    }
    Ok(Value::Object(out))
}

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch"];

fn convert_path_item(item: &Value, consumes: &[String], produces: &[String]) -> Result<Value> {
    let item = as_object(item, "path item")?;
    let mut out = Map::new();
    if let Some(params) = item.get("parameters") {
        let params = as_array(params, "parameters")?;
        let converted = params.iter().map(convert_parameter).collect::<Result<Vec<_>>>()?;
        out.insert(
            "parameters".into(),
            Value::Array(converted.into_iter().flatten().collect()),
        );
    }
    for (method, op) in item {
        if method == "parameters" {
            continue;
        }
        if !METHODS.contains(&method.as_str()) {
            return Err(Error::new(format!("unknown path item key `{method}`")));
        }
        let op = convert_operation(op, consumes, produces).map_err(|e| e.context(method))?;
        out.insert(method.clone(), op);
    }
    Ok(Value::Object(out))
}

fn convert_operation(op: &Value, consumes: &[String], produces: &[String]) -> Result<Value> {
    let op = as_object(op, "operation")?;
    let id = op
        .get("operationId")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::new("operationId is missing"))?;
    let consumes = op
        .get("consumes")
        .map(|c| strings(Some(c)))
        .unwrap_or_else(|| consumes.to_vec());
    let produces = op
        .get("produces")
        .map(|p| strings(Some(p)))
        .unwrap_or_else(|| produces.to_vec());

    let mut out = Map::new();
    for key in ["tags", "summary", "description", "operationId", "deprecated"] {
        if let Some(v) = op.get(key) {
            out.insert(key.into(), v.clone());
        }
    }

    let mut parameters = Vec::new();
    let mut body = None;
    for p in as_array(op.get("parameters").unwrap_or(&json!([])), "parameters")? {
        let name = p.get("name").and_then(Value::as_str).unwrap_or("?");
        if p.get("in").and_then(Value::as_str) == Some("body") {
            body = Some(request_body(p, &consumes).map_err(|e| e.context(format!("{id}: body `{name}`")))?);
        } else if let Some(param) =
            convert_parameter(p).map_err(|e| e.context(format!("{id}: parameter `{name}`")))?
        {
            parameters.push(param);
        }
    }
    if !parameters.is_empty() {
        out.insert("parameters".into(), Value::Array(parameters));
    }
    if let Some(body) = body {
        out.insert("requestBody".into(), body);
    }

    let mut responses = Map::new();
    let streams = JSON_LINES_OPERATIONS.contains(&id) || produces.iter().any(|p| is_stream(p));
    let json = produces.is_empty() || produces.iter().any(|p| p == "application/json");
    for (code, response) in as_object(op.get("responses").unwrap_or(&Value::Null), "responses")? {
        if code == &DROP_UPGRADE_RESPONSES.to_string() {
            continue;
        }
        let success = code.starts_with('2');
        let response = convert_response(response, success && streams, success && !json)
            .map_err(|e| e.context(format!("{id}: response {code}")))?;
        responses.insert(code.clone(), response);
    }
    out.insert("responses".into(), Value::Object(responses));
    Ok(Value::Object(out))
}

fn is_stream(media_type: &str) -> bool {
    STREAM_MEDIA_TYPES.contains(&media_type)
}

/// A query, path or header parameter; `None` for parameters dropped by a rule.
fn convert_parameter(p: &Value) -> Result<Option<Value>> {
    let p = as_object(p, "parameter")?;
    let name = p
        .get("name")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::new("name is missing"))?;
    let location = p
        .get("in")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::new("`in` is missing"))?;
    match location {
        "query" | "path" => {}
        "header" if name.eq_ignore_ascii_case(DROPPED_HEADER) => return Ok(None),
        "header" => {}
        other => return Err(Error::new(format!("parameters in `{other}` are not supported"))),
    }
    // In Swagger 2 the schema keywords sit on the parameter itself.
    let mut schema = Map::new();
    for (k, v) in p {
        if !matches!(
            k.as_str(),
            "name" | "in" | "description" | "required" | "collectionFormat"
        ) {
            schema.insert(k.clone(), v.clone());
        }
    }
    let mut out = Map::new();
    out.insert("name".into(), json!(name));
    out.insert("in".into(), json!(location));
    let mut description = p
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if let Some(default) = schema.get("default") {
        note_default(&mut description, default);
    }
    if !description.is_empty() {
        out.insert("description".into(), json!(description));
    }
    let required = location == "path" || p.get("required").and_then(Value::as_bool).unwrap_or(false);
    out.insert("required".into(), json!(required));
    let mut schema = convert_schema(&Value::Object(schema))?;
    // A parameter's own description is enough; typify would repeat it on the type.
    if let Some(s) = schema.as_object_mut() {
        s.remove("description");
        // Query arrays are sent as repeated keys; `null` makes no sense for a parameter.
        s.remove("nullable");
    }
    out.insert("schema".into(), schema);
    Ok(Some(Value::Object(out)))
}

fn request_body(p: &Value, consumes: &[String]) -> Result<Value> {
    let schema = p
        .get("schema")
        .ok_or_else(|| Error::new("body parameter without schema"))?;
    let binary = schema.get("format").and_then(Value::as_str) == Some("binary");
    let json = consumes.is_empty() || consumes.iter().any(|c| c == "application/json");
    let content = if binary || !json {
        json!({ "application/octet-stream": { "schema": { "type": "string", "format": "binary" } } })
    } else {
        let mut schema = convert_schema(schema)?;
        // The body is sent as given: `null` is never a useful top-level body.
        if let Some(s) = schema.as_object_mut() {
            s.remove("nullable");
        }
        json!({ "application/json": { "schema": schema } })
    };
    let mut out = Map::new();
    if let Some(d) = p.get("description") {
        out.insert("description".into(), d.clone());
    }
    out.insert("content".into(), content);
    out.insert(
        "required".into(),
        json!(p.get("required").and_then(Value::as_bool).unwrap_or(false)),
    );
    Ok(Value::Object(out))
}

fn convert_response(r: &Value, stream: bool, text: bool) -> Result<Value> {
    let r = as_object(r, "response")?;
    let mut out = Map::new();
    let description = r.get("description").and_then(Value::as_str).unwrap_or("");
    out.insert("description".into(), json!(description));
    if let Some(headers) = r.get("headers") {
        let mut converted = Map::new();
        for (name, h) in as_object(headers, "headers")? {
            let mut h = as_object(h, "header")?.clone();
            let description = h.remove("description");
            let mut header = Map::new();
            if let Some(d) = description {
                header.insert("description".into(), d);
            }
            header.insert("schema".into(), convert_schema(&Value::Object(h))?);
            converted.insert(name.clone(), Value::Object(header));
        }
        out.insert("headers".into(), Value::Object(converted));
    }
    let schema = r.get("schema");
    let binary = schema.and_then(|s| s.get("format")).and_then(Value::as_str) == Some("binary");
    if stream || binary {
        out.insert(
            "content".into(),
            json!({ "application/octet-stream": { "schema": { "type": "string", "format": "binary" } } }),
        );
    } else if let Some(schema) = schema {
        let media = if text { "text/plain" } else { "application/json" };
        let schema = if text {
            json!({ "type": "string" })
        } else {
            convert_schema(schema)?
        };
        out.insert("content".into(), json!({ media: { "schema": schema } }));
    }
    Ok(Value::Object(out))
}

/// Converts one schema and everything nested in it, with these rules:
///
/// - `required` is dropped: every property is an `Option`. Daemons of other versions omit
///   properties that a spec marks required (older ones lack newer fields, newer ones stop
///   sending deprecated ones), and one missing field must not fail a whole response.
/// - `pattern` is dropped. The regexes document the usual shape of IDs and names; a client that
///   rejects what the daemon returns (short IDs, digests, names without the leading slash) is
///   worse than one that passes them on.
/// - `default` is dropped and noted in the description (`note_default`; parameters too).
/// - Every array and map (free-form objects included) is `nullable` (`is_collection`): the
///   daemon encodes empty Go slices and maps as `null` almost everywhere (image `RepoDigests`,
///   `/info` `Warnings`, `HostConfig` arrays, `/containers/{id}/changes`, ...).
/// - [`TIMESTAMP_FORMATS`], [`DROP_TYPED_STRING_FORMATS`], [`DROP_LENGTH_LIMITS`] and
///   [`NONZERO_MINIMUM`] are dropped.
pub fn convert_schema(schema: &Value) -> Result<Value> {
    let s = as_object(schema, "schema")?;
    let mut out = Map::new();
    let mut description = s
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    for (key, value) in s {
        match key.as_str() {
            "$ref" => {
                let r = value.as_str().ok_or_else(|| Error::new("$ref is not a string"))?;
                let name = r
                    .strip_prefix("#/definitions/")
                    .ok_or_else(|| Error::new(format!("unsupported $ref `{r}`")))?;
                out.insert(key.clone(), json!(format!("#/components/schemas/{name}")));
            }
            "type" if !value.is_string() => {
                return Err(Error::new(format!("`type` must be a string, found {value}")));
            }
            "x-nullable" => {
                out.insert("nullable".into(), value.clone());
            }
            "format"
                if value.as_str().is_some_and(|f| {
                    TIMESTAMP_FORMATS.contains(&f) || DROP_TYPED_STRING_FORMATS.contains(&f)
                }) => {}
            "pattern" | "required" => {}
            k if DROP_LENGTH_LIMITS.contains(&k) => {}
            "minimum" if value.as_f64() == Some(NONZERO_MINIMUM) => {}
            "default" => note_default(&mut description, value),
            "description" => {}
            "properties" => {
                let mut props = Map::new();
                for (name, p) in as_object(value, "properties")? {
                    props.insert(name.clone(), convert_schema(p).map_err(|e| e.context(name))?);
                }
                out.insert(key.clone(), Value::Object(props));
            }
            "items" => {
                out.insert(
                    key.clone(),
                    convert_schema(value).map_err(|e| e.context("items"))?,
                );
            }
            "additionalProperties" if value.is_object() => {
                out.insert(key.clone(), convert_schema(value).map_err(|e| e.context(key))?);
            }
            "allOf" | "anyOf" | "oneOf" => {
                let all = as_array(value, key)?
                    .iter()
                    .map(convert_schema)
                    .collect::<Result<Vec<_>>>()?;
                out.insert(key.clone(), Value::Array(all));
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    if !description.is_empty() {
        out.insert("description".into(), json!(description));
    }
    if is_collection(&out) {
        out.insert("nullable".into(), json!(true));
    }
    Ok(Value::Object(out))
}

/// Arrays, maps and free-form objects: what Go encodes as `null` when empty, so they are
/// `nullable` (see [`convert_schema`]).
fn is_collection(s: &Map<String, Value>) -> bool {
    match s.get("type").and_then(Value::as_str) {
        Some("array") => true,
        Some("object") => !s.contains_key("properties") && !s.contains_key("allOf"),
        _ => false,
    }
}

/// Notes a dropped `default` in the description: the daemon applies its own defaults, and a
/// client must not send values the user did not set.
fn note_default(description: &mut String, default: &Value) {
    if !description.is_empty() {
        description.push_str("\n\n");
    }
    description.push_str(&format!("Server default: `{default}`."));
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
        .unwrap_or_default()
}

fn as_object<'a>(v: &'a Value, what: &str) -> Result<&'a Map<String, Value>> {
    v.as_object()
        .ok_or_else(|| Error::new(format!("{what} is not an object")))
}

fn as_array<'a>(v: &'a Value, what: &str) -> Result<&'a Vec<Value>> {
    v.as_array()
        .ok_or_else(|| Error::new(format!("{what} is not an array")))
}

#[cfg(test)]
mod tests {
    //! One test per rule. Each builds a small Swagger 2.0 document around the construct the
    //! rule is about and checks the converted result.

    use super::*;

    /// A Swagger 2.0 document with `paths` and `definitions`.
    fn swagger(paths: Value, definitions: Value) -> Value {
        json!({
            "swagger": "2.0",
            "basePath": "/v1.41",
            "info": { "title": "Docker Engine API", "version": "1.41" },
            "consumes": ["application/json", "text/plain"],
            "produces": ["application/json", "text/plain"],
            "paths": paths,
            "definitions": definitions,
        })
    }

    fn convert(paths: Value, definitions: Value) -> Value {
        to_openapi3(&swagger(paths, definitions)).expect("converts")
    }

    /// One operation on `/x` (method `post` unless `op` already names one).
    fn operation(op: Value) -> Value {
        let converted = convert(json!({ "/x": { "post": op } }), json!({}));
        converted["paths"]["/x"]["post"].clone()
    }

    fn definition(schema: Value) -> Value {
        let converted = convert(json!({}), json!({ "Thing": schema }));
        converted["components"]["schemas"]["Thing"].clone()
    }

    const OCTET_STREAM: &str = "application/octet-stream";

    fn binary() -> Value {
        json!({ "type": "string", "format": "binary" })
    }

    #[test]
    fn json_lines_operations_become_octet_stream_bodies() {
        for id in JSON_LINES_OPERATIONS {
            let op = operation(json!({
                "operationId": id,
                "produces": ["application/json"],
                "responses": {
                    "200": { "description": "ok", "schema": { "$ref": "#/definitions/Progress" } },
                    "500": { "description": "error", "schema": { "$ref": "#/definitions/ErrorResponse" } },
                },
            }));
            let ok = &op["responses"]["200"]["content"];
            assert_eq!(ok, &json!({ OCTET_STREAM: { "schema": binary() } }), "{id}");
            // Errors stay JSON.
            assert_eq!(
                op["responses"]["500"]["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/ErrorResponse",
                "{id}"
            );
        }
        // The same operation under another id is plain JSON.
        let op = operation(json!({
            "operationId": "ContainerInspect",
            "produces": ["application/json"],
            "responses": { "200": { "description": "ok", "schema": { "type": "object" } } },
        }));
        assert!(op["responses"]["200"]["content"]["application/json"].is_object());
    }

    #[test]
    fn stream_media_type_bodies_become_octet_stream_binaries() {
        // A tar request body (ImageBuild, PutContainerArchive).
        let op = operation(json!({
            "operationId": "PutContainerArchive",
            "consumes": ["application/x-tar", "application/octet-stream"],
            "parameters": [{
                "name": "inputStream", "in": "body", "required": true, "description": "tar",
                "schema": { "type": "string" },
            }],
            "responses": { "200": { "description": "ok" } },
        }));
        assert_eq!(
            op["requestBody"]["content"],
            json!({ OCTET_STREAM: { "schema": binary() } })
        );
        assert_eq!(op["requestBody"]["required"], json!(true));

        // A tar body declared only as x-tar.
        let op = operation(json!({
            "operationId": "ImageLoadTar",
            "consumes": ["application/x-tar"],
            "parameters": [{ "name": "tar", "in": "body", "schema": { "type": "string" } }],
            "responses": { "200": { "description": "ok" } },
        }));
        assert_eq!(
            op["requestBody"]["content"],
            json!({ OCTET_STREAM: { "schema": binary() } })
        );

        // Responses of every stream media type.
        for media in STREAM_MEDIA_TYPES {
            let op = operation(json!({
                "operationId": "ContainerLogs",
                "produces": [media],
                "responses": {
                    "200": { "description": "logs", "schema": { "type": "string" } },
                    "404": { "description": "no such container", "schema": { "$ref": "#/definitions/ErrorResponse" } },
                },
            }));
            assert_eq!(
                op["responses"]["200"]["content"],
                json!({ OCTET_STREAM: { "schema": binary() } }),
                "{media}"
            );
            assert!(
                op["responses"]["404"]["content"][OCTET_STREAM].is_null(),
                "{media}"
            );
        }
    }

    #[test]
    fn upgrade_responses_are_dropped() {
        let op = operation(json!({
            "operationId": "ContainerAttach",
            "produces": ["application/vnd.docker.raw-stream"],
            "responses": {
                "101": { "description": "switching protocols" },
                "200": { "description": "no upgrade" },
                "404": { "description": "no such container" },
            },
        }));
        let codes: Vec<_> = op["responses"].as_object().unwrap().keys().cloned().collect();
        assert_eq!(codes, ["200", "404"]);
    }

    #[test]
    fn content_type_header_parameters_are_dropped() {
        let op = operation(json!({
            "operationId": "ImageBuild",
            "consumes": ["application/octet-stream"],
            "parameters": [
                { "name": "Content-type", "in": "header", "type": "string", "enum": ["application/x-tar"] },
                { "name": "X-Registry-Config", "in": "header", "type": "string" },
                { "name": "t", "in": "query", "type": "string" },
            ],
            "responses": { "200": { "description": "ok" } },
        }));
        let names: Vec<_> = op["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["X-Registry-Config", "t"]);
        // At path level too.
        let converted = convert(
            json!({ "/x": {
                "parameters": [{ "name": "CONTENT-TYPE", "in": "header", "type": "string" }],
                "get": { "operationId": "X", "responses": { "200": { "description": "ok" } } },
            } }),
            json!({}),
        );
        assert_eq!(converted["paths"]["/x"]["parameters"], json!([]));
    }

    #[test]
    fn collections_are_nullable() {
        let d = definition(json!({
            "type": "object",
            "properties": {
                "List": { "type": "array", "items": { "type": "string" } },
                "Map": { "type": "object", "additionalProperties": { "type": "string" } },
                "Free": { "type": "object" },
                "Nested": { "type": "array", "items": { "type": "array", "items": { "type": "string" } } },
                "Struct": { "type": "object", "properties": { "A": { "type": "string" } } },
                "Composed": { "type": "object", "allOf": [{ "$ref": "#/definitions/Other" }] },
                "Text": { "type": "string" },
                "Number": { "type": "integer" },
            },
        }));
        let p = &d["properties"];
        for name in ["List", "Map", "Free", "Nested"] {
            assert_eq!(p[name]["nullable"], json!(true), "{name}");
        }
        assert_eq!(p["Nested"]["items"]["nullable"], json!(true), "items of items");
        for name in ["Struct", "Composed", "Text", "Number"] {
            assert!(p[name].get("nullable").is_none(), "{name}: {}", p[name]);
        }
        // Top-level collection definitions too (e.g. `ContainerSummary` lists, `Labels` maps).
        assert_eq!(
            definition(json!({ "type": "array", "items": { "type": "string" } }))["nullable"],
            json!(true)
        );
        assert_eq!(
            definition(json!({ "type": "object", "additionalProperties": { "type": "string" } }))["nullable"],
            json!(true)
        );
        // Collections in response bodies.
        let op = operation(json!({
            "operationId": "ContainerList",
            "responses": { "200": { "description": "ok", "schema": { "type": "array", "items": { "type": "string" } } } },
        }));
        assert_eq!(
            op["responses"]["200"]["content"]["application/json"]["schema"]["nullable"],
            json!(true)
        );
        // ...but not in parameters or request bodies, where `null` makes no sense.
        let op = operation(json!({
            "operationId": "ContainerCreate",
            "parameters": [
                { "name": "filters", "in": "query", "type": "array", "items": { "type": "string" } },
                { "name": "body", "in": "body", "schema": { "type": "object", "additionalProperties": { "type": "string" } } },
            ],
            "responses": { "200": { "description": "ok" } },
        }));
        assert!(op["parameters"][0]["schema"].get("nullable").is_none());
        assert!(
            op["requestBody"]["content"]["application/json"]["schema"]
                .get("nullable")
                .is_none()
        );
    }

    #[test]
    fn timestamp_formats_are_dropped() {
        let d = definition(json!({
            "type": "object",
            "properties": {
                "Created": { "type": "string", "format": "dateTime" },
                "FinishedAt": { "type": "string", "format": "date-time" },
                "Size": { "type": "integer", "format": "int64" },
            },
        }));
        let p = &d["properties"];
        assert_eq!(p["Created"], json!({ "type": "string" }));
        assert_eq!(p["FinishedAt"], json!({ "type": "string" }));
        assert_eq!(p["Size"]["format"], "int64", "other formats stay");
    }

    #[test]
    fn length_limits_typed_formats_and_nonzero_minimums_are_dropped() {
        let d = definition(json!({
            "type": "object",
            "properties": {
                "Id": { "type": "string", "minLength": 64, "maxLength": 64 },
                "Day": { "type": "string", "format": "date" },
                "Uuid": { "type": "string", "format": "uuid" },
                "Addr": { "type": "string", "format": "ipv4" },
                "Subnet": { "type": "string", "format": "cidr" },
                "Replicas": { "type": "integer", "format": "uint64", "minimum": 1 },
                "Swappiness": { "type": "integer", "minimum": 0, "maximum": 100 },
                "ConsoleSize": { "type": "array", "items": { "type": "integer" }, "minItems": 2, "maxItems": 2 },
            },
        }));
        let p = &d["properties"];
        for plain in ["Id", "Day", "Uuid", "Addr"] {
            assert_eq!(p[plain], json!({ "type": "string" }), "{plain}");
        }
        assert_eq!(
            p["Subnet"]["format"], "cidr",
            "formats typify keeps as strings stay"
        );
        assert_eq!(p["Replicas"], json!({ "type": "integer", "format": "uint64" }));
        assert_eq!(p["Swappiness"]["minimum"], 0, "other bounds stay");
        assert_eq!(p["ConsoleSize"]["maxItems"], 2, "array sizes stay");
        let op = operation(json!({
            "operationId": "X",
            "parameters": [{ "name": "id", "in": "path", "type": "string", "minLength": 1 }],
            "responses": { "200": { "description": "ok" } },
        }));
        assert_eq!(op["parameters"][0]["schema"], json!({ "type": "string" }));
    }

    #[test]
    fn patterns_are_dropped() {
        let d = definition(json!({
            "type": "object",
            "properties": { "Id": { "type": "string", "pattern": "^[a-f0-9]{64}$" } },
        }));
        assert_eq!(d["properties"]["Id"], json!({ "type": "string" }));
        let op = operation(json!({
            "operationId": "X",
            "parameters": [{ "name": "name", "in": "query", "type": "string", "pattern": "^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$" }],
            "responses": { "200": { "description": "ok" } },
        }));
        assert_eq!(op["parameters"][0]["schema"], json!({ "type": "string" }));
    }

    #[test]
    fn defaults_are_dropped_and_noted() {
        let d = definition(json!({
            "type": "object",
            "properties": {
                "Tty": { "type": "boolean", "default": false, "description": "Attach a TTY." },
                "Driver": { "type": "string", "default": "local" },
            },
        }));
        let p = &d["properties"];
        assert!(p["Tty"].get("default").is_none());
        assert_eq!(
            p["Tty"]["description"],
            "Attach a TTY.\n\nServer default: `false`."
        );
        assert!(p["Driver"].get("default").is_none());
        assert_eq!(p["Driver"]["description"], "Server default: `\"local\"`.");
        // Parameters: on the parameter's description, not on its schema.
        let op = operation(json!({
            "operationId": "ContainerList",
            "parameters": [{ "name": "all", "in": "query", "type": "boolean", "default": false, "description": "Show all." }],
            "responses": { "200": { "description": "ok" } },
        }));
        let param = &op["parameters"][0];
        assert_eq!(param["description"], "Show all.\n\nServer default: `false`.");
        assert_eq!(param["schema"], json!({ "type": "boolean" }));
    }

    #[test]
    fn all_properties_are_optional() {
        let d = definition(json!({
            "type": "object",
            "required": ["Id", "Name"],
            "properties": {
                "Id": { "type": "string" },
                "Name": { "type": "string" },
                "Inner": { "type": "object", "required": ["A"], "properties": { "A": { "type": "string" } } },
            },
        }));
        assert!(d.get("required").is_none(), "{d}");
        assert!(d["properties"]["Inner"].get("required").is_none(), "nested: {d}");
        // Required parameters stay required: that is the client's input.
        let op = operation(json!({
            "operationId": "X",
            "parameters": [{ "name": "t", "in": "query", "type": "string", "required": true }],
            "responses": { "200": { "description": "ok" } },
        }));
        assert_eq!(op["parameters"][0]["required"], json!(true));
    }

    #[test]
    fn definitions_with_properties_are_not_nullable() {
        let d = definition(json!({
            "type": "object",
            "x-nullable": true,
            "properties": { "A": { "type": "string" } },
        }));
        assert!(d.get("nullable").is_none(), "{d}");
        // A nullable property keeps `nullable` (typify makes it an Option anyway).
        let d = definition(json!({
            "type": "object",
            "properties": { "A": { "type": "string", "x-nullable": true } },
        }));
        assert_eq!(d["properties"]["A"]["nullable"], json!(true));
    }

    #[test]
    fn refs_point_at_components() {
        let d = definition(json!({
            "type": "object",
            "properties": {
                "Config": { "$ref": "#/definitions/ContainerConfig" },
                "Mounts": { "type": "array", "items": { "$ref": "#/definitions/MountPoint" } },
                "Networks": { "type": "object", "additionalProperties": { "$ref": "#/definitions/EndpointSettings" } },
                "All": { "allOf": [{ "$ref": "#/definitions/A" }, { "type": "object" }] },
            },
        }));
        let p = &d["properties"];
        assert_eq!(p["Config"]["$ref"], "#/components/schemas/ContainerConfig");
        assert_eq!(p["Mounts"]["items"]["$ref"], "#/components/schemas/MountPoint");
        assert_eq!(
            p["Networks"]["additionalProperties"]["$ref"],
            "#/components/schemas/EndpointSettings"
        );
        assert_eq!(p["All"]["allOf"][0]["$ref"], "#/components/schemas/A");
        let op = operation(json!({
            "operationId": "X",
            "responses": { "200": { "description": "ok", "schema": { "$ref": "#/definitions/IdResponse" } } },
        }));
        assert_eq!(
            op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/IdResponse"
        );
        // Refs elsewhere are not supported.
        let err = to_openapi3(&swagger(json!({}), json!({ "T": { "$ref": "other.yaml#/T" } }))).unwrap_err();
        assert!(err.0.contains("unsupported $ref `other.yaml#/T`"), "{err}");
    }

    #[test]
    fn body_parameters_become_request_bodies() {
        let op = operation(json!({
            "operationId": "ContainerCreate",
            "consumes": ["application/json", "application/octet-stream"],
            "parameters": [
                { "name": "name", "in": "query", "type": "string" },
                {
                    "name": "body", "in": "body", "required": true, "description": "Container to create",
                    "schema": { "$ref": "#/definitions/ContainerConfig" },
                },
            ],
            "responses": { "201": { "description": "created" } },
        }));
        assert_eq!(
            op["requestBody"],
            json!({
                "description": "Container to create",
                "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ContainerConfig" } } },
                "required": true,
            })
        );
        let params = op["parameters"].as_array().unwrap();
        assert_eq!(params.len(), 1, "the body is no parameter: {params:?}");
        assert_eq!(params[0]["name"], "name");
        assert_eq!(params[0]["required"], json!(false));
        // The document's `consumes` applies when the operation has none.
        let op = operation(json!({
            "operationId": "X",
            "parameters": [{ "name": "body", "in": "body", "schema": { "type": "object", "properties": {} } }],
            "responses": { "204": { "description": "ok" } },
        }));
        assert!(
            op["requestBody"]["content"]["application/json"].is_object(),
            "{op}"
        );
        assert_eq!(op["requestBody"]["required"], json!(false));
    }

    #[test]
    fn non_swagger_2_documents_are_rejected() {
        let mut openapi3 = swagger(json!({}), json!({}));
        openapi3.as_object_mut().unwrap().remove("swagger");
        openapi3["openapi"] = json!("3.0.3");
        let err = to_openapi3(&openapi3).unwrap_err();
        assert!(err.0.contains("not a Swagger 2.0 document"), "{err}");
        let mut swagger_1 = swagger(json!({}), json!({}));
        swagger_1["swagger"] = json!("1.2");
        assert!(
            to_openapi3(&swagger_1)
                .unwrap_err()
                .0
                .contains("not a Swagger 2.0 document")
        );
        assert!(to_openapi3(&json!([])).is_err());
    }

    #[test]
    fn type_lists_are_rejected_with_their_path() {
        let err = to_openapi3(&swagger(
            json!({}),
            json!({ "ContainerConfig": {
                "type": "object",
                "properties": { "Cmd": { "type": ["array", "string"], "items": { "type": "string" } } },
            } }),
        ))
        .unwrap_err();
        assert!(
            err.0
                .starts_with("definitions/ContainerConfig: Cmd: `type` must be a string"),
            "{err}"
        );
        // In an operation: the path, method and operation are named.
        let err = to_openapi3(&swagger(
            json!({ "/x": { "post": {
                "operationId": "X",
                "responses": { "200": { "description": "ok", "schema": { "type": ["string", "null"] } } },
            } } }),
            json!({}),
        ))
        .unwrap_err();
        assert!(
            err.0
                .starts_with("/x: post: X: response 200: `type` must be a string"),
            "{err}"
        );
    }

    #[test]
    fn document_level_translation() {
        let doc = convert(json!({}), json!({}));
        assert_eq!(doc["openapi"], "3.0.3");
        assert_eq!(doc["servers"], json!([{ "url": "/v1.41" }]));
        assert_eq!(doc["info"]["version"], "1.41");
        let mut no_title = swagger(json!({}), json!({}));
        no_title["info"].as_object_mut().unwrap().remove("title");
        assert!(
            to_openapi3(&no_title)
                .unwrap_err()
                .0
                .contains("info.title is missing")
        );
    }
}
