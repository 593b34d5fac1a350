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
    /// The output, as frames (multiplexed) or one stdout stream (TTY). Its end does not say
    /// why it ended (the process exited, or the daemon died): [`Attached::wait`] does.
    pub output: LogStream<Output>,
    docker: Docker,
    process: Process,
}

/// What an [`Attached`] is attached to.
#[derive(Debug, Clone)]
enum Process {
    Container(String),
    Exec(String),
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
    /// Send stdin to the container.
    pub stdin: bool,
    /// Receive stdout.
    pub stdout: bool,
    /// Receive stderr.
    pub stderr: bool,
    /// Replay the output so far before streaming.
    pub logs: bool,
    /// Key sequence that detaches, e.g. `ctrl-p,ctrl-q`; the daemon's default when `None`.
    pub detach_keys: Option<String>,
}

impl Attached {
    /// Resizes the TTY (`/containers/{id}/resize` or `/exec/{id}/resize`).
    pub async fn resize(&self, height: u16, width: u16) -> Result<()> {
        let (kind, id) = match &self.process {
            Process::Container(id) => ("containers", id),
            Process::Exec(id) => ("exec", id),
        };
        let request = self
            .docker
            .request(reqwest::Method::POST, &[kind, id, "resize"])?;
        let query = [("h", height.to_string()), ("w", width.to_string())];
        self.docker.link().send(request.query(&query)).await.map(drop)
    }

    /// Waits until the process has exited and returns its exit code. Once the output has
    /// ended, this tells a process that exited (`Ok(code)`) from a connection that broke (the
    /// daemon died or restarted: [`Error::ConnectionLost`], [`Error::Connect`]).
    pub async fn wait(&self) -> Result<i64> {
        let link = self.docker.link();
        match &self.process {
            Process::Container(id) => {
                #[derive(serde::Deserialize)]
                struct Wait {
                    #[serde(rename = "StatusCode")]
                    status: i64,
                }
                let request = self
                    .docker
                    .request(reqwest::Method::POST, &["containers", id, "wait"])?;
                Ok(link.json::<Wait>(request).await?.status)
            }
            Process::Exec(id) => {
                // No wait endpoint for execs: inspect until it stops running.
                let mut pause = std::time::Duration::from_millis(10);
                loop {
                    if let Some(code) = exec_inspect(&self.docker, id).await?.ended() {
                        return Ok(code);
                    }
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(std::time::Duration::from_millis(250));
                }
            }
        }
    }
}

/// What `GET /exec/{id}/json` says of an exec, in every API version.
#[derive(serde::Deserialize)]
struct ExecState {
    #[serde(rename = "Running", default)]
    running: bool,
    #[serde(rename = "ExitCode")]
    exit_code: Option<i64>,
    #[serde(rename = "Pid", default)]
    pid: i64,
    #[serde(rename = "CanRemove", default)]
    can_remove: bool,
    #[serde(rename = "ProcessConfig")]
    process_config: Option<ExecProcess>,
}

impl ExecState {
    /// The exit code of an exec that has run; `None` while it runs or before it starts.
    ///
    /// Docker reports a created exec as `ExitCode: null`. Podman reports it as `ExitCode: 0,
    /// Pid: 0, CanRemove: false`, and a finished one with `Pid: 0` too, but `CanRemove: true`.
    /// An exec Docker failed to start has `Pid: 0` and code 126 or 127.
    fn ended(&self) -> Option<i64> {
        let code = self.exit_code?;
        let never_started = code == 0 && self.pid == 0 && !self.can_remove;
        (!self.running && !never_started).then_some(code)
    }
}

#[derive(serde::Deserialize)]
struct ExecProcess {
    #[serde(default)]
    tty: bool,
}

async fn exec_inspect(docker: &Docker, id: &str) -> Result<ExecState> {
    let request = docker.request(reqwest::Method::GET, &["exec", id, "json"])?;
    docker.link().json(request).await
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
            .request(reqwest::Method::POST, &["containers", id, "attach"])?
            .query(&query);
        self.hijack(request, framing, Process::Container(id.to_string()))
            .await
    }

    /// Starts a created exec instance attached, upgrading the connection so stdin can be
    /// written. An exec that already ran is [`Error::Daemon`] with 409 Conflict, the daemon's
    /// answer to a detached start of it (attached, the daemon would only write it as text into
    /// the output stream).
    pub async fn exec_attach(&self, exec_id: &str) -> Result<Attached> {
        let exec = exec_inspect(self, exec_id).await?;
        if let Some(code) = exec.ended() {
            return Err(Error::Daemon {
                status: 409,
                message: format!("exec {exec_id} has already run (exit code {code}); create a new one"),
            });
        }
        let tty = exec.process_config.is_some_and(|p| p.tty);
        let request = self
            .request(reqwest::Method::POST, &["exec", exec_id, "start"])?
            .json(&serde_json::json!({ "Detach": false, "Tty": tty }));
        self.hijack(
            request,
            Framing::from_tty(tty),
            Process::Exec(exec_id.to_string()),
        )
        .await
    }

    /// Sends `request` asking for the upgrade; a 200 without upgrade is output only.
    async fn hijack(
        &self,
        request: reqwest::RequestBuilder,
        framing: Framing,
        process: Process,
    ) -> Result<Attached> {
        let request = request
            .header(reqwest::header::CONNECTION, "Upgrade")
            .header(reqwest::header::UPGRADE, "tcp");
        let resp = self.link().send(request).await?;
        let (stdin, output): (Option<Stdin>, Output) = match resp.status().as_u16() {
            101 => {
                let upgraded = resp.upgrade().await.map_err(|e| self.link().error(e))?;
                let (read, write): (ReadHalf<_>, WriteHalf<_>) = tokio::io::split(upgraded);
                (Some(Stdin(write)), Box::new(read))
            }
            _ => {
                use futures_util::TryStreamExt;
                let body = resp.bytes_stream().map_err(std::io::Error::other);
                (None, Box::new(tokio_util::io::StreamReader::new(body)))
            }
        };
        let output = LogStream::from_reader(output, framing);
        Ok(Attached {
            stdin,
            output,
            docker: self.clone(),
            process,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::ExecState;

    fn ended(json: &str) -> Option<i64> {
        serde_json::from_str::<ExecState>(json).unwrap().ended()
    }

    /// Exec inspects as Docker 20.10 and 28 and Podman 4.3 answer them (the members read).
    #[test]
    fn an_exec_has_ended_by_the_evidence_of_each_daemon() {
        // Docker: created, running, finished, failed to start.
        assert_eq!(
            ended(r#"{"Running":false,"ExitCode":null,"Pid":0,"CanRemove":false}"#),
            None
        );
        assert_eq!(
            ended(r#"{"Running":true,"ExitCode":null,"Pid":2817,"CanRemove":false}"#),
            None
        );
        assert_eq!(
            ended(r#"{"Running":false,"ExitCode":0,"Pid":2817,"CanRemove":false}"#),
            Some(0)
        );
        assert_eq!(
            ended(r#"{"Running":false,"ExitCode":126,"Pid":0,"CanRemove":false}"#),
            Some(126)
        );
        // Podman: created, running, finished (0 and 3), failed to start.
        assert_eq!(
            ended(r#"{"Running":false,"ExitCode":0,"Pid":0,"CanRemove":false}"#),
            None
        );
        assert_eq!(
            ended(r#"{"Running":true,"ExitCode":0,"Pid":4149,"CanRemove":false}"#),
            None
        );
        assert_eq!(
            ended(r#"{"Running":false,"ExitCode":0,"Pid":0,"CanRemove":true}"#),
            Some(0)
        );
        assert_eq!(
            ended(r#"{"Running":false,"ExitCode":3,"Pid":0,"CanRemove":true}"#),
            Some(3)
        );
        assert_eq!(
            ended(r#"{"Running":false,"ExitCode":127,"Pid":0,"CanRemove":true}"#),
            Some(127)
        );
        // Older daemons without Pid or CanRemove.
        assert_eq!(ended(r#"{"Running":false,"ExitCode":null}"#), None);
        assert_eq!(ended(r#"{"Running":false,"ExitCode":5}"#), Some(5));
    }
}
