//! Files in and out of containers: `/containers/{id}/archive` GET, PUT and HEAD, streamed.

use crate::error::{Error, Result};
use crate::{ByteStream, Docker};
use base64::Engine as _;

/// What the daemon reports about a path in a container (`X-Docker-Container-Path-Stat`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct PathStat {
    /// The file name (the last path component).
    pub name: String,
    /// Size in bytes.
    pub size: i64,
    /// Go `os.FileMode` bits: permissions plus type flags (directory is bit 31).
    pub mode: u32,
    /// Modification time, RFC 3339.
    pub mtime: String,
    /// The target of a symbolic link, else empty.
    #[serde(rename = "linkTarget", default)]
    pub link_target: String,
}

impl PathStat {
    /// Whether the path is a directory.
    pub fn is_dir(&self) -> bool {
        self.mode & (1 << 31) != 0
    }

    fn from_headers(headers: &reqwest::header::HeaderMap) -> Result<PathStat> {
        let value = headers
            .get("x-docker-container-path-stat")
            .ok_or_else(|| Error::Protocol("no X-Docker-Container-Path-Stat header".into()))?;
        let json = base64::engine::general_purpose::STANDARD
            .decode(value.as_bytes())
            .map_err(|e| Error::Protocol(format!("X-Docker-Container-Path-Stat is not base64: {e}")))?;
        serde_json::from_slice(&json).map_err(|e| Error::decode(&json, &e))
    }
}

impl Docker {
    async fn archive_request(
        &self,
        method: reqwest::Method,
        id: &str,
        path: &str,
    ) -> Result<reqwest::Response> {
        let request = self.request(method, &["containers", id, "archive"])?;
        self.link().send(request.query(&[("path", path)])).await
    }

    /// Describes `path` in container `id` without copying it.
    pub async fn path_stat(&self, id: &str, path: &str) -> Result<PathStat> {
        let resp = self.archive_request(reqwest::Method::HEAD, id, path).await?;
        PathStat::from_headers(resp.headers())
    }

    /// Streams `path` of container `id` out as a tar archive.
    pub async fn download(&self, id: &str, path: &str) -> Result<(PathStat, ByteStream)> {
        let resp = self.archive_request(reqwest::Method::GET, id, path).await?;
        let stat = PathStat::from_headers(resp.headers())?;
        Ok((stat, ByteStream::new(Box::pin(resp.bytes_stream()))))
    }

    /// Extracts a tar archive (any body: bytes, or a stream through `reqwest::Body::wrap_stream`)
    /// into directory `path` of container `id`.
    pub async fn upload(&self, id: &str, path: &str, tar: impl Into<reqwest::Body>) -> Result<()> {
        let request = self
            .request(reqwest::Method::PUT, &["containers", id, "archive"])?
            .query(&[("path", path)])
            .header(reqwest::header::CONTENT_TYPE, "application/x-tar")
            .body(tar);
        self.link().send(request).await.map(drop)
    }
}
