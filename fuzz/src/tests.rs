//! The harnesses on stable, without libFuzzer: every recorded fixture (or listed value) as a
//! seed, then random mutations of the seeds (no coverage guidance) for `FUZZ_SECONDS` (default 10) per target.
//! `FUZZ_SEED` replays a run. `cargo test --release` in fuzz/ (scripts/fuzz.sh does it when
//! cargo-fuzz or nightly is missing).

use std::path::Path;
use std::time::{Duration, Instant};

/// Files under tests/fixtures/ of the crate whose name ends with one of `extensions`.
fn fixtures(extensions: &[&str]) -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let mut out = Vec::new();
    let mut dirs = vec![root];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if extensions.iter().any(|e| path.to_string_lossy().ends_with(e)) {
                out.push(std::fs::read(&path).unwrap());
            }
        }
    }
    assert!(!out.is_empty(), "no {extensions:?} fixtures");
    out
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// One to four edits of a seed: byte changes, insertions (of bytes, frame headers, JSON
/// punctuation), deletions, duplications and splices with another seed.
fn mutate(rng: &mut Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut data = seeds[rng.below(seeds.len())].clone();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(data.len() + 1);
        match rng.below(7) {
            0 if !data.is_empty() => {
                let i = rng.below(data.len());
                data[i] = rng.next() as u8;
            }
            1 => {
                let n = 1 + rng.below(8);
                let bytes: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
                data.splice(at..at, bytes);
            }
            2 => {
                let end = (at + 1 + rng.below(64)).min(data.len());
                data.drain(at.min(end)..end);
            }
            3 => {
                let end = (at + 1 + rng.below(64)).min(data.len());
                let copy = data[at.min(end)..end].to_vec();
                let to = rng.below(data.len() + 1);
                data.splice(to..to, copy);
            }
            4 => {
                let len = match rng.below(3) {
                    0 => rng.below(16) as u32,
                    1 => rng.next() as u32,
                    _ => (crate::MAX_CHUNK + rng.below(3)) as u32,
                };
                let mut header = vec![rng.below(5) as u8, 0, 0, 0];
                header.extend_from_slice(&len.to_be_bytes());
                data.splice(at..at, header);
            }
            5 => {
                let tokens: [&[u8]; 20] = [
                    b"\n",
                    b"\r\n",
                    b"{",
                    b"}",
                    b"\"",
                    b"\"error\":",
                    b"\"errorDetail\":{\"code\":",
                    b"\"aux\":",
                    b"null",
                    b"\xff",
                    // Address punctuation, for DOCKER_HOST values.
                    b"://",
                    b"@",
                    b":",
                    b"[",
                    b"]",
                    b"%",
                    b"#",
                    b"?",
                    b"/",
                    b".",
                ];
                data.splice(at..at, tokens[rng.below(tokens.len())].iter().copied());
            }
            _ => {
                let other = &seeds[rng.below(seeds.len())];
                let from = rng.below(other.len());
                data.truncate(at);
                data.extend_from_slice(&other[from..]);
            }
        }
    }
    data
}

fn budget() -> Duration {
    let secs = std::env::var("FUZZ_SECONDS").map_or(10.0, |s| s.parse::<f64>().expect("FUZZ_SECONDS"));
    Duration::from_secs_f64(secs)
}

fn seed() -> u64 {
    std::env::var("FUZZ_SEED").map_or_else(
        |_| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        },
        |s| s.parse().expect("FUZZ_SEED"),
    )
}

/// Runs `harness` on every seed, then on mutations until the budget is spent; a panic names
/// the input (hex) and the seed that reproduces it.
fn run(name: &str, seeds: &[Vec<u8>], harness: fn(&[u8])) {
    let seed = seed();
    let mut rng = Rng(seed);
    let check = |data: &[u8]| {
        if std::panic::catch_unwind(|| harness(data)).is_err() {
            // Where cargo-fuzz puts its crashes too: `cargo fuzz run NAME FILE` replays it.
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("artifacts").join(name);
            std::fs::create_dir_all(&dir).unwrap();
            let file = dir.join(format!("crash-stable-{seed}-{}", data.len()));
            std::fs::write(&file, data).unwrap();
            panic!(
                "{name}: panic on the input in {} (FUZZ_SEED={seed})",
                file.display()
            );
        }
    };
    for s in seeds {
        check(s);
    }
    let start = Instant::now();
    let mut runs = seeds.len();
    while start.elapsed() < budget() {
        check(&mutate(&mut rng, seeds));
        runs += 1;
    }
    println!("{name}: {runs} inputs, no panic (FUZZ_SEED={seed})");
}

#[test]
fn frames() {
    // Each recorded body, as multiplexed (control byte 0) and as raw (1).
    let seeds: Vec<Vec<u8>> = fixtures(&[".bin"])
        .into_iter()
        .flat_map(|f| [0u8, 1].map(|control| [&[control][..], &f].concat()))
        .collect();
    run("frames", &seeds, crate::frames);
}

#[test]
fn json_lines() {
    run("json_lines", &fixtures(&[".jsonl"]), crate::json_lines);
}

/// `DOCKER_HOST` values, valid and malformed (scripts/fuzz.sh writes the same into the corpus).
pub const DOCKER_HOSTS: &[&str] = &[
    "unix:///var/run/docker.sock",
    "unix://",
    "unix:///run/user/1000/docker.sock",
    "tcp://127.0.0.1:2375",
    "tcp://localhost",
    "http://docker.example.com:2376/",
    "tcp://[::1]:2375",
    "tcp://[fe80::1]:1",
    "tcp://[::ffff:10.0.0.1]:2375",
    "tcp://my_host-1.lan.:65535",
    "ssh://me@build.example:2222/run/docker.sock",
    "ssh://build.example",
    "ssh://[::1]:22",
    "tcp://127.0.0.1#:12345",
    "tcp://my host:2375",
    "tcp://[::1",
    "tcp://user:secret@host:2375",
    "ssh://user:secret@host",
    "tcp://h:1/path?q#f",
    "tcp://0x7f.1:0",
    "tcp://[fe80::1%25eth0]:2375",
    "npipe:////./pipe/docker_engine",
    "/var/run/docker.sock",
];

/// A context's `meta.json` and a `config.json` as the docker CLI writes them.
pub const CLI_FILES: &[&str] = &[
    r#"{"Name":"remote","Metadata":{"Description":"the build host"},"Endpoints":{"docker":{"Host":"tcp://docker.example:2376","SkipTLSVerify":false}}}"#,
    r#"{"Name":"ssh","Metadata":{},"Endpoints":{"docker":{"Host":"ssh://me@build.example","SkipTLSVerify":true}}}"#,
    r#"{"Name":"local","Metadata":{},"Endpoints":{"docker":{"Host":"unix:///run/docker.sock","SkipTLSVerify":false},"kubernetes":null}}"#,
    r#"{"Name":"bad","Endpoints":{"docker":{"Host":"tcp://u:secret@h:1"}}}"#,
    r#"{"auths":{"https://index.docker.io/v1/":{"auth":"dXNlcjpzZWNyZXQ="}},"currentContext":"remote","credsStore":"desktop"}"#,
    "{\n\t\"auths\": {},\n\t\"currentContext\": \"default\",\n\t\"psFormat\": \"table {{.ID}}\"\n}",
    r#"{"auths":{"r.example":{"auth":"bm90LWEtcGFpcg=="},"q.example":{"auth":"!!secret!!"},"p.example":{"identitytoken":"tok-secret","password":5}}}"#,
];

#[test]
fn docker_host() {
    let seeds: Vec<Vec<u8>> = DOCKER_HOSTS.iter().map(|s| s.as_bytes().to_vec()).collect();
    run("docker_host", &seeds, crate::docker_host);
}

#[test]
fn context() {
    let seeds: Vec<Vec<u8>> = CLI_FILES.iter().map(|s| s.as_bytes().to_vec()).collect();
    run("context", &seeds, crate::context);
}
