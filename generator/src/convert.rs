//! Swagger 2.0 to OpenAPI 3.0.3, on JSON values.
//!
//! Besides the mechanical translation (definitions to components, body parameters to request
//! bodies, `produces` to response content), the conversion applies the rules below, which hold
//! for every Docker spec. Each rule is a named constant with the reason, so tests and docs can
//! point at it. Errors in single specs are not handled here but in [`crate::fixes`].

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

/// Rule: every array and map (free-form objects included) is `nullable`: the daemon encodes
/// empty Go slices and maps as `null` almost everywhere (image `RepoDigests`, `/info`
/// `Warnings`, `HostConfig` arrays, `/containers/{id}/changes`, ...).
pub const NULLABLE_COLLECTIONS: &str = "arrays and maps accept null";

/// Rule: `format: dateTime`/`date-time` is dropped, timestamps stay strings. Docker's
/// timestamps are Go `time.Time` texts with nanoseconds, the Go zero time
/// (`0001-01-01T00:00:00Z`) or empty strings, none of which should fail a whole response.
pub const TIMESTAMP_FORMATS: &[&str] = &["dateTime", "date-time"];

/// Rule: `pattern` is dropped. The regexes document the usual shape of IDs and names; a
/// client that rejects what the daemon returns (short IDs, digests, names without the
/// leading slash) is worse than one that passes them on.
pub const DROP_PATTERNS: &str = "pattern";

/// Rule: `default` is dropped from schemas and parameters, and noted in the description: the
/// daemon applies its own defaults, and a client must not send values the user did not set.
pub const DROP_DEFAULTS: &str = "default";

/// Rule: `required` is dropped from schemas: every property is an `Option`. Daemons of other
/// versions omit properties that a spec marks required (older ones lack newer fields, newer ones
/// stop sending deprecated ones), and one missing field must not fail a whole response.
pub const ALL_PROPERTIES_OPTIONAL: &str = "required";

/// Converts a Swagger 2.0 document into an OpenAPI 3.0.3 document.
pub fn to_openapi3(swagger: &Value) -> Result<Value> {
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
            // optional anyway (see `ALL_PROPERTIES_OPTIONAL`); a nullable definition would
            // become a newtype around an `Option`.
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
    if let Some(default) = schema.get(DROP_DEFAULTS) {
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

/// Converts one schema and everything nested in it.
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
            "format" if value.as_str().is_some_and(|f| TIMESTAMP_FORMATS.contains(&f)) => {}
            "pattern" | "required" => {}
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

/// Arrays, maps and free-form objects: what Go encodes as `null` when empty.
fn is_collection(s: &Map<String, Value>) -> bool {
    match s.get("type").and_then(Value::as_str) {
        Some("array") => true,
        Some("object") => !s.contains_key("properties") && !s.contains_key("allOf"),
        _ => false,
    }
}

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
