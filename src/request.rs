//! The one request path of the facade. Every hand-written request (ping, version, archive,
//! attach, exec, resize, inspects) is built and sent here, and the generated operations' errors
//! are mapped here:
//!
//! - URLs are built from segments, each percent-encoded, so an id names one object and nothing
//!   else (`.`, `..` and empty segments are refused: URL parsers drop or resolve them);
//! - redirects are never followed (the client's policy) and a `3xx` is [`Error::Redirect`];
//! - transport errors keep their reason ([`Link::error`]: timeout, refused, TLS, ssh, lost);
//! - error bodies are read up to [`MAX_ERROR_BODY`], JSON bodies up to [`MAX_JSON_BODY`].

use crate::ApiVersion;
use crate::connection::Link;
use crate::error::{Error, Result, floor_char};
use futures_util::StreamExt;
use progenitor_client::Error as GenError;
use reqwest::{Method, RequestBuilder, Response, Url};

/// The most of an error response body kept in [`Error::Daemon`] (the Go SDK's cap too); the
/// rest is not read, and the message ends with [`TRUNCATED`].
pub const MAX_ERROR_BODY: usize = 1 << 20;

/// The most of a JSON response body the facade's own requests (inspects, version) read.
pub const MAX_JSON_BODY: usize = 16 << 20;

/// What ends a daemon message cut at [`MAX_ERROR_BODY`].
pub const TRUNCATED: &str = " [truncated: the daemon's error body exceeds 1 MiB]";

impl Link {
    /// The URL of the path made of `segments`, under `/v{version}` when given (`/_ping` has
    /// none). Each segment is percent-encoded (`/`, `?`, `#`, `%` included).
    pub fn url(&self, version: Option<ApiVersion>, segments: &[&str]) -> Result<Url> {
        let mut url = Url::parse(&self.base)
            .map_err(|e| Error::Config(format!("invalid daemon URL {}: {e}", self.base)))?;
        {
            let mut path = url
                .path_segments_mut()
                .map_err(|()| Error::Config(format!("invalid daemon URL {}", self.base)))?;
            path.pop_if_empty();
            if let Some(v) = version {
                path.push(&format!("v{v}"));
            }
            for s in segments {
                if s.is_empty() || *s == "." || *s == ".." {
                    return Err(Error::Config(format!(
                        "`{s}` cannot be an id or a name in a request path"
                    )));
                }
                path.push(s);
            }
        }
        Ok(url)
    }

    /// Starts a request to [`Link::url`].
    pub fn request(
        &self,
        method: Method,
        version: Option<ApiVersion>,
        segments: &[&str],
    ) -> Result<RequestBuilder> {
        Ok(self.http.request(method, self.url(version, segments)?))
    }

    /// Sends a request: a success status (or `101` when `upgrade`) gives the response, anything
    /// else its error.
    pub async fn send(&self, request: RequestBuilder) -> Result<Response> {
        let request = request.build().map_err(|e| self.error(e))?;
        let operation = crate::trace::template(request.method(), request.url().path());
        let resp = crate::trace::execute(&self.http, request, &operation)
            .await
            .map_err(|e| self.error(e))?;
        if resp.status().is_success() || resp.status() == reqwest::StatusCode::SWITCHING_PROTOCOLS {
            Ok(resp)
        } else {
            Err(self.status_error(resp).await)
        }
    }

    /// Sends a request and decodes its JSON body (read up to [`MAX_JSON_BODY`]).
    pub async fn json<T: serde::de::DeserializeOwned>(&self, request: RequestBuilder) -> Result<T> {
        let resp = self.send(request).await?;
        let (body, complete) = self.read_capped(resp, MAX_JSON_BODY).await?;
        if !complete {
            return Err(Error::TooLarge {
                what: "a JSON response body".into(),
                limit: MAX_JSON_BODY,
            });
        }
        serde_json::from_slice(&body).map_err(|e| Error::decode(&body, &e))
    }

    /// The error of a response with a non-success status: [`Error::Redirect`] for a `3xx`,
    /// else [`Error::Daemon`] with the daemon's JSON `message` (or the body as text: a proxy's
    /// or Podman's `text/plain` answer; the status's reason when there is no body), read up to
    /// [`MAX_ERROR_BODY`].
    pub async fn status_error(&self, resp: Response) -> Error {
        let status = resp.status().as_u16();
        if resp.status().is_redirection() {
            let location = resp
                .headers()
                .get(reqwest::header::LOCATION)
                .map(|l| String::from_utf8_lossy(l.as_bytes()).chars().take(512).collect());
            return Error::Redirect { status, location };
        }
        let (body, complete) = match self.read_capped(resp, MAX_ERROR_BODY).await {
            Ok(read) => read,
            Err(e) => return e,
        };
        let message = serde_json::from_slice::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v.get("message").and_then(|m| m.as_str()).map(str::to_string))
            .unwrap_or_else(|| String::from_utf8_lossy(&body).trim().to_string());
        // No body (the answer to a HEAD, such as the archive's stat): the status's reason.
        let message = match message.is_empty() {
            true => reqwest::StatusCode::from_u16(status)
                .ok()
                .and_then(|s| s.canonical_reason())
                .unwrap_or_default()
                .to_string(),
            false => message,
        };
        Error::Daemon {
            status,
            message: if complete { message } else { message + TRUNCATED },
        }
    }

    /// Reads at most `limit` bytes of a body; `false` when there was more (left unread).
    async fn read_capped(&self, resp: Response, limit: usize) -> Result<(Vec<u8>, bool)> {
        let mut body = Vec::new();
        let mut chunks = resp.bytes_stream();
        while let Some(chunk) = chunks.next().await {
            let chunk = chunk.map_err(|e| self.error(e))?;
            let room = limit - body.len();
            if chunk.len() > room {
                body.extend_from_slice(&chunk[..room]);
                return Ok((body, false));
            }
            body.extend_from_slice(&chunk);
        }
        Ok((body, true))
    }

    /// Maps a generated operation's error. A `304 Not Modified` of an operation without a
    /// body (start a started container, stop a stopped one) is not one: the generated
    /// operations take it for success (the generator's `lean_requests`).
    pub async fn map_generated<E: serde::Serialize>(&self, e: GenError<E>) -> Error {
        match e {
            GenError::ErrorResponse(rv) => {
                let status = rv.status().as_u16();
                let body = serde_json::to_value(rv.into_inner()).unwrap_or_default();
                let message = body.get("message").and_then(|m| m.as_str()).map(str::to_string);
                let mut message = message.unwrap_or_else(|| body.to_string());
                if message.len() > MAX_ERROR_BODY {
                    message.truncate(floor_char(&message, MAX_ERROR_BODY));
                    message.push_str(TRUNCATED);
                }
                Error::Daemon { status, message }
            }
            GenError::UnexpectedResponse(resp) => self.status_error(resp).await,
            GenError::InvalidResponsePayload(body, e) => Error::decode(&body, &e),
            GenError::CommunicationError(e)
            | GenError::ResponseBodyError(e)
            | GenError::InvalidUpgrade(e) => self.error(e),
            GenError::InvalidRequest(m) | GenError::Custom(m) => Error::Config(m),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Endpoint;

    fn link(base: &str) -> Link {
        Link {
            endpoint: Endpoint::Unix("/x.sock".into()),
            http: crate::connection::http_client(
                &Endpoint::Unix("/x.sock".into()),
                Default::default(),
                None,
                None,
            )
            .unwrap(),
            base: base.into(),
            tunnel: None,
        }
    }

    #[test]
    fn every_segment_is_encoded() {
        let l = link("http://docker.sock");
        let v = Some(ApiVersion::v1(41));
        let url = l
            .url(v, &["containers", "victim/archive?path=/etc&x=", "archive"])
            .unwrap();
        assert_eq!(
            url.as_str(),
            "http://docker.sock/v1.41/containers/victim%2Farchive%3Fpath=%2Fetc&x=/archive"
        );
        assert_eq!(url.query(), None);
        let url = l.url(v, &["exec", "x/../../containers/NAME", "start"]).unwrap();
        assert_eq!(url.path(), "/v1.41/exec/x%2F..%2F..%2Fcontainers%2FNAME/start");
        let url = l.url(v, &["containers", "a#b %41", "json"]).unwrap();
        assert_eq!(url.path(), "/v1.41/containers/a%23b%20%2541/json");
        assert_eq!(url.fragment(), None);
        assert_eq!(
            l.url(None, &["_ping"]).unwrap().as_str(),
            "http://docker.sock/_ping"
        );
        let tcp = link("https://[::1]:2376");
        assert_eq!(
            tcp.url(v, &["version"]).unwrap().as_str(),
            "https://[::1]:2376/v1.41/version"
        );
    }

    #[test]
    fn dot_segments_and_empty_ids_are_refused() {
        let l = link("http://docker.sock");
        for bad in ["", ".", ".."] {
            let err = l
                .url(Some(ApiVersion::v1(41)), &["containers", bad, "json"])
                .unwrap_err();
            assert!(matches!(err, Error::Config(_)), "{bad:?}: {err:?}");
        }
    }
}
