//! `ssh://` daemons, reached as the docker CLI reaches them: every connection is an `ssh`
//! process running `docker system dial-stdio` on the remote host, which bridges its standard
//! input and output to the remote daemon's socket. The HTTP client talks to a private unix
//! socket of this process; each connection to it is forwarded to a new `ssh` process.
//!
//! `ssh` is the system's OpenSSH client with its configuration (keys, agent, known hosts,
//! `~/.ssh/config`); it runs with `BatchMode=yes`, since a library has no terminal to ask for a
//! password on. [`DockerBuilder::ssh_options`](crate::DockerBuilder::ssh_options) adds options.
//! The tunnel runs on the Tokio runtime that connected, and ends with the last clone of its
//! [`Docker`](crate::Docker).

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{UnixListener, UnixStream};
use tokio::process::Command;

/// An `ssh://[user@]host[:port][/remote/socket]` address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SshTarget {
    /// The login name (`ssh -l`); `None` leaves it to ssh's configuration.
    pub user: Option<String>,
    /// The host name or address, as ssh resolves it (aliases of `~/.ssh/config` included).
    pub host: String,
    /// The port (`ssh -p`); `None` leaves it to ssh's configuration.
    pub port: Option<u16>,
    /// The daemon's socket on the remote host; `None` is the remote CLI's default.
    pub socket: Option<String>,
}

impl SshTarget {
    /// Parses what follows `ssh://`, as the docker CLI does: no password (the CLI refuses it),
    /// query or fragment; the host is checked as for `tcp://` (kept as written, an IPv6 address
    /// without its brackets); the user holds only letters, digits and `._-` (ssh expands it into
    /// `%r` of its configuration, so no shell characters).
    pub(crate) fn parse(rest: &str) -> Result<SshTarget, String> {
        const PASSWORD: &str = "a password in an ssh:// address is not supported (use a key or an agent)";
        // Before splitting, so that a password with `/`, `?` or `#` in it is recognized too.
        if rest
            .rsplit_once('@')
            .is_some_and(|(userinfo, _)| userinfo.contains(':') && !userinfo.contains('['))
        {
            return Err(PASSWORD.into());
        }
        if rest.contains('?') {
            return Err("query parameters are not allowed".into());
        }
        if rest.contains('#') {
            return Err("fragments are not allowed".into());
        }
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], Some(&rest[i..])),
            None => (rest, None),
        };
        let (user, hostport) = match authority.rsplit_once('@') {
            Some((u, _)) if u.contains(':') => return Err(PASSWORD.into()),
            Some(("", _)) => return Err("the user before `@` is empty".into()),
            Some((u, h)) => (Some(u), h),
            None => (None, authority),
        };
        let user_char = |c: char| c.is_ascii_alphanumeric() || "._-".contains(c);
        if user.is_some_and(|u| u.starts_with('-') || !u.chars().all(user_char)) {
            return Err(
                "the user may hold only letters, digits, `.`, `_` and `-`, and not start with `-`".into(),
            );
        }
        let (host, port) = super::split_authority(hostport)?;
        let host = match host {
            super::Host::Name(name) => name.to_string(),
            super::Host::V4(a) => a.to_string(),
            super::Host::V6(a) => a.to_string(),
        };
        let socket = path.filter(|p| *p != "/").map(str::to_string);
        // The remote command is a line for the remote shell: only plain path characters.
        let plain = |c: char| c.is_ascii_alphanumeric() || "/._-".contains(c);
        if socket.as_ref().is_some_and(|p| !p.chars().all(plain)) {
            return Err("the remote socket path may hold only letters, digits and `/._-`".into());
        }
        Ok(SshTarget {
            user: user.map(str::to_string),
            host,
            port,
            socket,
        })
    }

    /// The `ssh` arguments that run `docker system dial-stdio` there, after `options`.
    pub(crate) fn command_args(&self, options: &[String], connect_timeout: Option<Duration>) -> Vec<String> {
        let mut args: Vec<String> = options.to_vec();
        args.extend(["-o".into(), "BatchMode=yes".into()]);
        if let Some(t) = connect_timeout {
            args.extend(["-o".into(), format!("ConnectTimeout={}", t.as_secs().max(1))]);
        }
        if let Some(user) = &self.user {
            args.extend(["-l".into(), user.clone()]);
        }
        if let Some(port) = self.port {
            args.extend(["-p".into(), port.to_string()]);
        }
        args.extend(["-T".into(), "--".into(), self.host.clone(), "docker".into()]);
        if let Some(socket) = &self.socket {
            args.extend(["--host".into(), format!("unix://{socket}")]);
        }
        args.extend(["system".into(), "dial-stdio".into()]);
        args
    }
}

impl std::fmt::Display for SshTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ssh://")?;
        if let Some(user) = &self.user {
            write!(f, "{user}@")?;
        }
        match self.host.contains(':') {
            true => write!(f, "[{}]", self.host)?,
            false => f.write_str(&self.host)?,
        }
        if let Some(port) = self.port {
            write!(f, ":{port}")?;
        }
        f.write_str(self.socket.as_deref().unwrap_or(""))
    }
}

/// The local end of the tunnels: a unix socket in a private directory, and the task that
/// forwards its connections. Dropping it (with the last clone of its [`Docker`](crate::Docker))
/// stops the task, ends the `ssh` processes and removes the directory.
pub(crate) struct SshTunnel {
    dir: PathBuf,
    task: tokio::task::JoinHandle<()>,
    failure: Arc<Mutex<Option<String>>>,
}

impl std::fmt::Debug for SshTunnel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SshTunnel")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

impl SshTunnel {
    /// Listens on a new private socket; every connection runs `ssh args...`.
    pub(crate) fn start(args: Vec<String>) -> std::io::Result<SshTunnel> {
        let dir = private_dir()?;
        let listener = UnixListener::bind(dir.join("docker.sock")).inspect_err(|_| {
            let _ = std::fs::remove_dir_all(&dir);
        })?;
        let failure = Arc::new(Mutex::new(None));
        let task = tokio::spawn(accept_loop(listener, Arc::new(args), failure.clone()));
        Ok(SshTunnel { dir, task, failure })
    }

    /// The socket the HTTP client connects to.
    pub(crate) fn socket(&self) -> PathBuf {
        self.dir.join("docker.sock")
    }

    /// Why the last `ssh` process that delivered nothing failed (its exit status and standard
    /// error), once.
    pub(crate) fn take_failure(&self) -> Option<String> {
        self.failure.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}

impl Drop for SshTunnel {
    fn drop(&mut self) {
        self.task.abort();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A new directory only this user can enter, under the temporary directory.
fn private_dir() -> std::io::Result<PathBuf> {
    use std::os::unix::fs::DirBuilderExt as _;
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let base = std::env::temp_dir();
    loop {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir = base.join(format!(
            "docker-engine-api-ssh-{}-{}-{nanos:x}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        match std::fs::DirBuilder::new().mode(0o700).create(&dir) {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            other => return other.map(|()| dir),
        }
    }
}

async fn accept_loop(listener: UnixListener, args: Arc<Vec<String>>, failure: Arc<Mutex<Option<String>>>) {
    // Dropped with the loop (the tunnel aborts it): every connection's task ends too.
    let mut connections = tokio::task::JoinSet::new();
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                connections.spawn(forward(stream, args.clone(), failure.clone()));
            }
            // Out of file descriptors, most likely: let connections end.
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
        while connections.try_join_next().is_some() {}
    }
}

/// Forwards one connection through a new `ssh` process, both ways, half-closes included.
/// When `ssh` fails before sending anything, its reason is recorded before the client sees the
/// connection close, so that the client's error can carry it.
async fn forward(stream: UnixStream, args: Arc<Vec<String>>, failure: Arc<Mutex<Option<String>>>) {
    let record = |why: String| *failure.lock().unwrap_or_else(|e| e.into_inner()) = Some(why);
    let spawned = Command::new("ssh")
        .args(args.iter())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(e) => return record(format!("cannot run `ssh`: {e}")),
    };
    let (mut stdin, mut stdout, mut stderr) = (
        child.stdin.take().expect("piped"),
        child.stdout.take().expect("piped"),
        child.stderr.take().expect("piped"),
    );
    // Drained all along, so that a chatty `ssh` never blocks on a full pipe.
    let errors = tokio::spawn(async move {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text).await;
        text
    });
    let (mut from_client, mut to_client) = stream.into_split();
    let upstream = async move {
        let _ = tokio::io::copy(&mut from_client, &mut stdin).await;
        // Dropping stdin tells dial-stdio that the client closed its side.
    };
    let downstream = async move {
        let delivered = tokio::io::copy(&mut stdout, &mut to_client).await.unwrap_or(0);
        if delivered == 0 {
            let errors = errors.await.unwrap_or_default();
            match child.wait().await {
                Ok(status) if status.success() => {}
                Ok(status) if errors.trim().is_empty() => record(format!("ssh {status}")),
                Ok(status) => record(format!("ssh {status}: {}", errors.trim())),
                Err(e) => record(format!("ssh: {e}")),
            }
        }
        let _ = to_client.shutdown().await;
    };
    futures_util::future::join(upstream, downstream).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ssh_addresses() {
        let t = SshTarget::parse("me@build.example:2222/run/docker.sock").unwrap();
        assert_eq!(
            t,
            SshTarget {
                user: Some("me".into()),
                host: "build.example".into(),
                port: Some(2222),
                socket: Some("/run/docker.sock".into())
            }
        );
        assert_eq!(t.to_string(), "ssh://me@build.example:2222/run/docker.sock");
        let t = SshTarget::parse("host").unwrap();
        assert_eq!((t.user, t.port, t.socket), (None, None, None));
        let t = SshTarget::parse("[::1]:22/").unwrap();
        assert_eq!(
            (t.host.as_str(), t.port, t.socket.as_deref()),
            ("::1", Some(22), None)
        );
        assert_eq!(t.to_string(), "ssh://[::1]:22");
        for bad in [
            "",
            "@host",
            "me@",
            "host:port",
            "-oProxyCommand=x",
            "me@-x",
            "h/run/d.sock;reboot",
            "h/a b",
        ] {
            assert!(SshTarget::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_command_runs_dial_stdio() {
        let t = SshTarget::parse("me@h:2222/run/d.sock").unwrap();
        let args = t.command_args(&["-F".into(), "cfg".into()], Some(Duration::from_millis(500)));
        assert_eq!(
            args.join(" "),
            "-F cfg -o BatchMode=yes -o ConnectTimeout=1 -l me -p 2222 -T -- h docker --host unix:///run/d.sock system dial-stdio"
        );
        let args = SshTarget::parse("h").unwrap().command_args(&[], None);
        assert_eq!(
            args.join(" "),
            "-o BatchMode=yes -T -- h docker system dial-stdio"
        );
    }

    #[tokio::test]
    async fn a_failed_ssh_is_recorded_and_the_tunnel_cleans_up() {
        // Nothing listens on port 1 of this host: ssh fails at once.
        let args = ["-o", "BatchMode=yes", "-p", "1", "-T", "--", "127.0.0.1", "true"];
        let tunnel = SshTunnel::start(args.iter().map(|a| a.to_string()).collect()).unwrap();
        let socket = tunnel.socket();
        let mut conn = UnixStream::connect(&socket).await.unwrap();
        conn.write_all(b"GET /_ping HTTP/1.1\r\n\r\n").await.unwrap();
        let mut answer = Vec::new();
        conn.read_to_end(&mut answer).await.unwrap();
        assert!(answer.is_empty(), "the connection closes without an answer");
        let why = tunnel.take_failure().expect("recorded before the close");
        assert!(
            why.starts_with("ssh exit status: 255") && why.contains("refused"),
            "{why}"
        );
        assert_eq!(tunnel.take_failure(), None, "taken once");
        drop(tunnel);
        assert!(
            !socket.parent().unwrap().exists(),
            "the private directory is removed"
        );
    }
}
