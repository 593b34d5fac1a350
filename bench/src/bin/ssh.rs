//! The cost of the `ssh://` tunnel: N sequential `GET /v1.XX/_ping` through this crate over
//! `ssh://`, against raw hyper on the standard input and output of one `ssh ... docker system
//! dial-stdio` process (the least any client can do over ssh), and this crate on the unix socket,
//! in the same run, interleaved in rounds. Also the time to connect over ssh.
//!
//! `cargo run --release --manifest-path bench/Cargo.toml --bin ssh -- SSH_HOST SSH_CONFIG [N] [ROUNDS]`
//! (`$DOCKER_TEST_SSH_HOST$socket` and `$DOCKER_TEST_SSH_CONFIG` from scripts/test-daemons.sh).

use std::process::Stdio;
use std::time::{Duration, Instant};

type BoxError = Box<dyn std::error::Error>;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), BoxError> {
    let args: Vec<String> = std::env::args().collect();
    let host = args.get(1).cloned().ok_or("usage: ssh SSH_HOST SSH_CONFIG [N] [ROUNDS]")?;
    let config = args.get(2).cloned().ok_or("usage: ssh SSH_HOST SSH_CONFIG [N] [ROUNDS]")?;
    let n: usize = args.get(3).map_or(Ok(1000), |s| s.parse())?;
    let rounds: usize = args.get(4).map_or(Ok(5), |s| s.parse())?;
    let options = ["-F".to_string(), config.clone()];

    let mut connects = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        let docker = docker_engine_api::Docker::builder().host(&host)?.ssh_options(options.clone()).connect().await?;
        ping(&docker).await?;
        connects.push(start.elapsed());
    }
    let ssh = docker_engine_api::Docker::builder().host(&host)?.ssh_options(options.clone()).connect().await?;
    let docker_engine_api::Endpoint::Ssh(target) = ssh.endpoint().clone() else { unreachable!() };
    let socket = target.socket.clone().unwrap_or_else(|| "/var/run/docker.sock".into());
    let unix = docker_engine_api::Docker::builder().host(&format!("unix://{socket}"))?.connect().await?;
    let path = format!("{}/_ping", ssh.api_version().path_prefix());
    let raw = Raw::connect(&target, &config, &path).await?;

    for _ in 0..100 {
        ping(&ssh).await?;
        ping(&unix).await?;
        raw.ping().await?;
    }
    let mut times: [Vec<Duration>; 3] = Default::default();
    for _ in 0..rounds {
        times[0].push(time(n, || ping(&ssh)).await?);
        times[1].push(time(n, || raw.ping()).await?);
        times[2].push(time(n, || ping(&unix)).await?);
    }
    let median = |mut t: Vec<f64>| {
        t.sort_by(f64::total_cmp);
        t[t.len() / 2]
    };
    let per_request = |t: &Vec<Duration>| median(t.iter().map(|d| d.as_secs_f64() * 1e6 / n as f64).collect());
    let raw_us = per_request(&times[1]);
    println!("`GET {path}` via {host}, {n} requests x {rounds} rounds, median round:\n");
    println!("| client | µs per request | ratio to raw hyper over ssh |\n| --- | ---: | ---: |");
    for (name, t) in [
        ("docker-engine-api over `ssh://` (tunnel)", &times[0]),
        ("raw hyper on one `ssh ... dial-stdio` process", &times[1]),
        ("docker-engine-api on the unix socket", &times[2]),
    ] {
        let us = per_request(t);
        println!("| {name} | {us:.1} | {:.2}x |", us / raw_us);
    }
    let connect_ms = median(connects.iter().map(|d| d.as_secs_f64() * 1e3).collect());
    println!("\n`Docker::connect` over ssh and a first `_ping`, median of 5: {connect_ms:.0} ms");
    Ok(())
}

async fn ping(docker: &docker_engine_api::Docker) -> Result<(), BoxError> {
    use futures_util::TryStreamExt;
    let body = docker_engine_api::with_api!(docker.api(), async |c, _api| docker.call(c.system_ping().send()).await)?;
    let chunks: Vec<_> = body.into_inner().try_collect().await?;
    assert_eq!(chunks.concat(), b"OK");
    Ok(())
}

async fn time<F, Fut>(n: usize, mut f: F) -> Result<Duration, BoxError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<(), BoxError>>,
{
    let start = Instant::now();
    for _ in 0..n {
        f().await?;
    }
    Ok(start.elapsed())
}

/// hyper HTTP/1.1 on the pipes of one `ssh ... docker system dial-stdio` process.
struct Raw {
    sender: tokio::sync::Mutex<hyper::client::conn::http1::SendRequest<http_body_util::Empty<hyper::body::Bytes>>>,
    path: String,
    _child: tokio::process::Child,
}

impl Raw {
    async fn connect(target: &docker_engine_api::SshTarget, config: &str, path: &str) -> Result<Raw, BoxError> {
        let mut command = tokio::process::Command::new("ssh");
        command.args(["-F", config, "-o", "BatchMode=yes", "-T"]);
        if let Some(user) = &target.user {
            command.args(["-l", user]);
        }
        if let Some(port) = target.port {
            command.args(["-p", &port.to_string()]);
        }
        command.args(["--", &target.host, "docker"]);
        if let Some(socket) = &target.socket {
            command.args(["--host", &format!("unix://{socket}")]);
        }
        let mut child = command
            .args(["system", "dial-stdio"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()?;
        let io = tokio::io::join(child.stdout.take().unwrap(), child.stdin.take().unwrap());
        let (sender, conn) = hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(io)).await?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        Ok(Raw { sender: tokio::sync::Mutex::new(sender), path: path.to_string(), _child: child })
    }

    async fn ping(&self) -> Result<(), BoxError> {
        use http_body_util::BodyExt;
        let req = hyper::Request::get(&self.path).header("host", "docker").body(http_body_util::Empty::new())?;
        let resp = self.sender.lock().await.send_request(req).await?;
        let body = resp.into_body().collect().await?.to_bytes();
        assert_eq!(&body[..], b"OK");
        Ok(())
    }
}
