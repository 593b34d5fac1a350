//! Tracing: one `docker_request` span per request, generated or hand-written, at `DEBUG`, with
//! the operation, method, path (ids included, query left out), status and time to the response
//! head. Header values and bodies are never recorded: credentials travel there. Without a
//! subscriber interested in it, a request pays one disabled-span check.

use std::time::Instant;
use tracing::field::Empty;

/// Sends `request`, inside a span that names `operation` (the operationId of a generated
/// request, the path template of a hand-written one).
pub(crate) async fn execute(
    http: &reqwest::Client,
    request: reqwest::Request,
    operation: &str,
) -> reqwest::Result<reqwest::Response> {
    let span = tracing::debug_span!(
        "docker_request",
        operation,
        method = %request.method(),
        path = request.url().path(),
        status = Empty,
        elapsed_ms = Empty,
    );
    if span.is_disabled() {
        return http.execute(request).await;
    }
    let start = Instant::now();
    let result = tracing::Instrument::instrument(http.execute(request), span.clone()).await;
    span.record("elapsed_ms", start.elapsed().as_secs_f64() * 1000.0);
    match &result {
        Ok(response) => {
            span.record("status", response.status().as_u16());
        }
        Err(e) => {
            // The kind only: reqwest's message holds the URL, internal on unix sockets.
            let kind = if e.is_timeout() {
                "timeout"
            } else if e.is_connect() {
                "connect"
            } else {
                "transport"
            };
            let _enter = span.enter();
            tracing::debug!(error = kind, "request failed");
        }
    }
    result
}

/// The path template of a hand-written request: `GET /containers/{id}/archive` (ids are the
/// second segment after the version; `_ping` has no version).
pub(crate) fn template(method: &reqwest::Method, path: &str) -> String {
    let mut segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if segments
        .first()
        .is_some_and(|s| s.starts_with('v') && s.contains('.'))
    {
        segments.remove(0);
    }
    if segments.len() >= 3 {
        segments[1] = "{id}";
    }
    format!("{method} /{}", segments.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_hide_ids() {
        let t = |m: reqwest::Method, p: &str| template(&m, p);
        assert_eq!(t(reqwest::Method::HEAD, "/_ping"), "HEAD /_ping");
        assert_eq!(t(reqwest::Method::GET, "/v1.41/version"), "GET /version");
        assert_eq!(
            t(reqwest::Method::PUT, "/v1.41/containers/ab%2Fc/archive"),
            "PUT /containers/{id}/archive"
        );
        assert_eq!(
            t(reqwest::Method::POST, "/v1.51/exec/123/start"),
            "POST /exec/{id}/start"
        );
    }
}
