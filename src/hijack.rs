//! Interactive attach and exec: the daemon hijacks the HTTP connection (`101 UPGRADED`) and it
//! becomes a raw duplex: the process's stdin one way, its output frames the other.

use crate::Docker;
use crate::error::{Error, Result};
use crate::streams::{Framing, LogStream};
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadHalf, WriteHalf};

/// The read side of a hijacked connection (or of a plain 200 body when the daemon did not
/// upgrade).
pub type Output = Box<dyn AsyncRead + Send + Unpin>;

/// An attached process: write its stdin, read its output.
pub struct Attached {
    /// The process's stdin; `None` when the daemon answered 200 without upgrading (output only).
    /// Shutting it down (`AsyncWriteExt::shutdown`) half-closes the connection: the process
    /// reads EOF.
    pub stdin: Option<Stdin>,
    /// The output, as frames (multiplexed) or one stdout stream (TTY).
    pub output: LogStream<Output>,
    docker: Docker,
    resize_path: String,
}

impl std::fmt::Debug for Attached {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attached")
            .field("stdin", &self.stdin.is_some())
            .finish_non_exhaustive()
    }
}

/// The write half of a hijacked connection.
pub struct Stdin(WriteHalf<reqwest::Upgraded>);

impl AsyncWrite for Stdin {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.0).poll_shutdown(cx)
    }
}

/// What to attach to (`POST /containers/{id}/attach` query parameters).
#[derive(Debug, Clone, Default)]
pub struct AttachOptions {
    pub stdin: bool,
    pub stdout: bool,
    pub stderr: bool,
    /// Replay the output so far before streaming.
    pub logs: bool,
    /// Key sequence that detaches, e.g. `ctrl-p,ctrl-q`; the daemon's default when `None`.
    pub detach_keys: Option<String>,
}

impl Attached {
    /// Resizes the TTY (`/containers/{id}/resize` or `/exec/{id}/resize`).
    pub async fn resize(&self, height: u16, width: u16) -> Result<()> {
        let docker = &self.docker;
        let url = docker.url(&self.resize_path);
        let query = [("h", height.to_string()), ("w", width.to_string())];
        let resp = docker.http().post(url).query(&query).send().await;
        let resp = resp.map_err(|e| docker.transport_error(e))?;
        if !resp.status().is_success() {
            return Err(crate::call::daemon_error(docker.endpoint(), resp).await);
        }
        Ok(())
    }
}

impl Docker {
    /// Attaches to a running container, upgrading the connection so stdin can be written.
    /// The output's framing follows the container's `Tty` setting.
    pub async fn attach(&self, id: &str, options: &AttachOptions) -> Result<Attached> {
        let framing = crate::streams::container_framing(self, id).await?;
        let flag = |b: bool| if b { "1" } else { "0" };
        let mut query = vec![
            ("stream", "1".to_string()),
            ("stdin", flag(options.stdin).to_string()),
            ("stdout", flag(options.stdout).to_string()),
            ("stderr", flag(options.stderr).to_string()),
            ("logs", flag(options.logs).to_string()),
        ];
        if let Some(keys) = &options.detach_keys {
            query.push(("detachKeys", keys.clone()));
        }
        let request = self
            .http()
            .post(self.url(&format!("/containers/{id}/attach")))
            .query(&query);
        self.hijack(request, framing, format!("/containers/{id}/resize"))
            .await
    }

    /// Starts a created exec instance attached, upgrading the connection so stdin can be
    /// written. An exec that already ran is an error (the daemon would only report it as
    /// text inside the output stream).
    pub async fn exec_attach(&self, exec_id: &str) -> Result<Attached> {
        let url = self.url(&format!("/exec/{exec_id}/json"));
        let resp = self
            .http()
            .get(url)
            .send()
            .await
            .map_err(|e| self.transport_error(e))?;
        if !resp.status().is_success() {
            return Err(crate::call::daemon_error(self.endpoint(), resp).await);
        }
        let body = resp.bytes().await.map_err(|e| self.transport_error(e))?;
        let exec: serde_json::Value = serde_json::from_slice(&body).map_err(|e| Error::decode(&body, &e))?;
        let running = exec["Running"].as_bool().unwrap_or(false);
        if !running && let Some(code) = exec["ExitCode"].as_i64() {
            return Err(Error::Stream {
                message: format!("exec {exec_id} has already run (exit code {code}); create a new one"),
                code: Some(code),
            });
        }
        let tty = exec["ProcessConfig"]["tty"].as_bool().unwrap_or(false);
        let request = self
            .http()
            .post(self.url(&format!("/exec/{exec_id}/start")))
            .json(&serde_json::json!({ "Detach": false, "Tty": tty }));
        self.hijack(request, Framing::from_tty(tty), format!("/exec/{exec_id}/resize"))
            .await
    }

    /// Sends `request` asking for the upgrade; a 200 without upgrade is output only.
    async fn hijack(
        &self,
        request: reqwest::RequestBuilder,
        framing: Framing,
        resize_path: String,
    ) -> Result<Attached> {
        let resp = request
            .header(reqwest::header::CONNECTION, "Upgrade")
            .header(reqwest::header::UPGRADE, "tcp")
            .send()
            .await
            .map_err(|e| self.transport_error(e))?;
        let (stdin, output): (Option<Stdin>, Output) = match resp.status().as_u16() {
            101 => {
                let upgraded = resp.upgrade().await.map_err(|e| self.transport_error(e))?;
                let (read, write): (ReadHalf<_>, WriteHalf<_>) = tokio::io::split(upgraded);
                (Some(Stdin(write)), Box::new(read))
            }
            200 => {
                use futures_util::TryStreamExt;
                let body = resp.bytes_stream().map_err(std::io::Error::other);
                (None, Box::new(tokio_util::io::StreamReader::new(body)))
            }
            _ => return Err(crate::call::daemon_error(self.endpoint(), resp).await),
        };
        let output = LogStream::from_reader(output, framing);
        Ok(Attached {
            stdin,
            output,
            docker: self.clone(),
            resize_path,
        })
    }
}
