//! Per-request overhead: N sequential `GET /v1.XX/_ping` on one kept-alive connection through
//! (a) this crate's generated client, (b) a raw hyper HTTP/1.1 connection, (c) bollard, in the
//! same run, interleaved in rounds. Prints a Markdown table with ratios to raw hyper.
//!
//! `cargo run --release --manifest-path bench/Cargo.toml --bin ping -- [SOCKET] [N] [ROUNDS] [--instructions]`
//!
//! With `--instructions`, also the client's instructions per request under
//! `valgrind --tool=callgrind` (the daemon is another process, not counted): this program run
//! with one client alone (`--only CLIENT N`), minus the same run with no timed requests. Every
//! run connects all the clients and warms them up the same way, so only the N requests differ.

use std::time::{Duration, Instant};

type BoxError = Box<dyn std::error::Error>;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), BoxError> {
    let args: Vec<String> = std::env::args().collect();
    let socket = args.get(1).cloned().unwrap_or_else(|| "/var/run/docker.sock".into());
    let n: usize = args.get(2).map_or(Ok(2000), |s| s.parse())?;
    let rounds: usize = args.get(3).map_or(Ok(5), |s| s.parse())?;
    let only = args.iter().position(|a| a == "--only").map(|i| (args[i + 1].clone(), args[i + 2].parse::<usize>()));

    let docker = docker_engine_api::Docker::builder().host(&format!("unix://{socket}"))?.connect().await?;
    let version = docker.api_version();
    let path = format!("{}/_ping", version.path_prefix());
    let ours = Ours(docker);
    let mut raw = Raw::connect(&socket, &path).await?;
    let bollard = bollard::Docker::connect_with_socket(&socket, 120, bollard::API_DEFAULT_VERSION)?;

    // Warm up every client (and its connection).
    for _ in 0..200 {
        ours.ping().await?;
        raw.ping().await?;
        bollard.ping().await?;
    }
    let direct = Direct { http: ours.0.http().clone(), url: ours.0.url(&["_ping"]).unwrap().to_string() };
    for _ in 0..200 {
        direct.ping().await?;
    }
    if let Some((client, n)) = only {
        let n = n?;
        match client.as_str() {
            "ours" => time(n, || ours.ping()).await?,
            "raw" => time(n, || raw.ping_shared()).await?,
            "bollard" => time(n, || async { bollard.ping().await.map(drop).map_err(BoxError::from) }).await?,
            _ => time(n, || direct.ping()).await?,
        };
        return Ok(());
    }
    let mut times: [Vec<Duration>; 4] = Default::default();
    for _ in 0..rounds {
        times[0].push(time(n, || ours.ping()).await?);
        times[1].push(time(n, || raw.ping_shared()).await?);
        times[2].push(time(n, || async { bollard.ping().await.map(drop).map_err(BoxError::from) }).await?);
        times[3].push(time(n, || direct.ping()).await?);
    }
    let per_request = |t: &Vec<Duration>| {
        let mut t: Vec<_> = t.iter().map(|d| d.as_secs_f64() * 1e6 / n as f64).collect();
        t.sort_by(f64::total_cmp);
        t[t.len() / 2]
    };
    let raw_us = per_request(&times[1]);
    println!("`GET {path}` on {socket}, {n} requests x {rounds} rounds, median round:\n");
    println!("| client | µs per request | ratio to raw hyper |\n| --- | ---: | ---: |");
    for (name, t) in [("docker-engine-api (generated client)", &times[0]), ("raw hyper HTTP/1.1", &times[1]), ("bollard 0.21", &times[2]), ("reqwest alone, same client (no generated code)", &times[3])] {
        let us = per_request(t);
        println!("| {name} | {us:.1} | {:.2}x |", us / raw_us);
    }
    println!(
        "\ngenerated call / reqwest alone: {:.3}x",
        per_request(&times[0]) / per_request(&times[3])
    );
    if args.iter().any(|a| a == "--instructions") {
        instructions(&socket, n)?;
    }
    Ok(())
}

/// Client instructions per request (see the module docs), the clients alternating.
fn instructions(socket: &str, n: usize) -> Result<(), BoxError> {
    let exe = std::env::current_exe()?;
    let count = |client: &str, n: usize| -> Result<f64, BoxError> {
        let out = std::process::Command::new("valgrind")
            .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
            .arg(&exe)
            .args([socket, "0", "0", "--only", client, &n.to_string()])
            .output()?;
        let text = String::from_utf8_lossy(&out.stderr);
        let line = text.lines().find(|l| l.contains("Collected :")).ok_or_else(|| format!("no callgrind summary: {text}"))?;
        Ok(line.rsplit(' ').next().unwrap_or("").trim().parse()?)
    };
    let clients = [("docker-engine-api (generated client)", "ours"), ("reqwest alone, same client (no generated code)", "direct"), ("raw hyper HTTP/1.1", "raw"), ("bollard 0.21", "bollard")];
    let mut per = Vec::new();
    for (_, c) in clients {
        per.push((count(c, n)? - count(c, 0)?) / n as f64);
    }
    println!("\nClient instructions per request (callgrind, {n} requests minus none):\n");
    println!("| client | instructions per request | ratio to reqwest alone | ratio to raw hyper |\n| --- | ---: | ---: | ---: |");
    for ((name, _), i) in clients.iter().zip(&per) {
        println!("| {name} | {i:.0} | {:.3}x | {:.2}x |", i / per[1], i / per[2]);
    }
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

/// The facade's reqwest client without the generated code: where the overhead lives.
struct Direct {
    http: reqwest::Client,
    url: String,
}

impl Direct {
    async fn ping(&self) -> Result<(), BoxError> {
        let body = self.http.get(&self.url).send().await?.bytes().await?;
        assert_eq!(&body[..], b"OK");
        Ok(())
    }
}

struct Ours(docker_engine_api::Docker);

impl Ours {
    async fn ping(&self) -> Result<(), BoxError> {
        use futures_util::TryStreamExt;
        let docker = &self.0;
        let body = docker_engine_api::with_api!(docker.api(), async |c, _api| docker.call(c.system_ping().send()).await)?;
        // Read as `bytes()` reads the others: the one chunk, no collection.
        let mut body = body.into_inner();
        assert_eq!(body.try_next().await?.as_deref(), Some(&b"OK"[..]));
        assert!(body.try_next().await?.is_none());
        Ok(())
    }
}

/// One hyper HTTP/1.1 connection on the socket.
struct Raw {
    sender: std::rc::Rc<tokio::sync::Mutex<hyper::client::conn::http1::SendRequest<http_body_util::Empty<hyper::body::Bytes>>>>,
    path: String,
}

impl Raw {
    async fn connect(socket: &str, path: &str) -> Result<Raw, BoxError> {
        let stream = tokio::net::UnixStream::connect(socket).await?;
        let (sender, conn) = hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        Ok(Raw { sender: std::rc::Rc::new(tokio::sync::Mutex::new(sender)), path: path.to_string() })
    }

    async fn ping(&mut self) -> Result<(), BoxError> {
        self.ping_shared().await
    }

    fn ping_shared(&self) -> impl Future<Output = Result<(), BoxError>> + use<> {
        let sender = self.sender.clone();
        let path = self.path.clone();
        async move {
            use http_body_util::BodyExt;
            let req = hyper::Request::get(path).header("host", "docker").body(http_body_util::Empty::new())?;
            let resp = sender.lock().await.send_request(req).await?;
            let body = resp.into_body().collect().await?.to_bytes();
            assert_eq!(&body[..], b"OK");
            Ok(())
        }
    }
}
