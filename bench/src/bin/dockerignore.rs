//! `.dockerignore` matching on pathological patterns: `DockerIgnore::excludes` (positions
//! simulated over the path, no backtracking) against the backtracking matcher it replaced
//! (kept below as the reference, run only while one call stays under a second), in one run;
//! then how the new matcher grows as the pattern and the path double.
//!
//! `cargo run --release --manifest-path bench/Cargo.toml --bin dockerignore`

use docker_engine_api::build_context::DockerIgnore;
use std::time::{Duration, Instant};

/// One reference call slower than this stops the reference's series (the next size would take
/// minutes: it grows combinatorially).
const REFERENCE_LIMIT: Duration = Duration::from_secs(1);

fn main() {
    println!("| case | k | pattern chars | path chars | backtracking | ours | ratio |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    // `*a*a…*a*b` against `aaa…a` (no `b`: every way of placing the stars fails).
    series("`*a`×k `*b` vs 50 × `a`", |k| {
        (format!("{}*b", "*a".repeat(k)), "a".repeat(50))
    });
    // `**/**/…/b` against `a/a/…/a` (25 segments): every split of the segments among the `**`.
    series("`**/`×k `b` vs 25 × `a/`", |k| {
        (format!("{}b", "**/".repeat(k)), vec!["a"; 25].join("/"))
    });

    println!("\nOurs as the sizes double (`*a`×k `*b` against n × `a`; µs per call):\n");
    println!("| k | n = 256 | n = 512 | n = 1024 | n = 2048 |");
    println!("| ---: | ---: | ---: | ---: | ---: |");
    for k in [8, 16, 32, 64] {
        let ignore = DockerIgnore::parse(&format!("{}*b", "*a".repeat(k)));
        let row: Vec<String> = [256, 512, 1024, 2048]
            .iter()
            .map(|n| {
                let path = "a".repeat(*n);
                format!("{:.1}", time(|| ignore.excludes(&path)).as_secs_f64() * 1e6)
            })
            .collect();
        println!("| {k} | {} |", row.join(" | "));
    }
}

/// Rows for k = 1, 2, …: both matchers while the reference stays under the limit, then ours
/// alone up to k = 16.
fn series(name: &str, case: impl Fn(usize) -> (String, String)) {
    let mut reference_on = true;
    for k in 1..=16 {
        let (pattern, path) = case(k);
        let ignore = DockerIgnore::parse(&pattern);
        let ours = time(|| ignore.excludes(&path));
        let (before, ratio) = if reference_on {
            let old = time(|| before::excludes(&pattern, &path));
            assert_eq!(
                ignore.excludes(&path),
                before::excludes(&pattern, &path),
                "{pattern}"
            );
            reference_on = old < REFERENCE_LIMIT;
            (
                format!("{:.3} ms", old.as_secs_f64() * 1e3),
                format!("{:.0}x", old.as_secs_f64() / ours.as_secs_f64()),
            )
        } else if k % 4 != 0 {
            continue;
        } else {
            ("(not run)".to_string(), String::new())
        };
        let ours = format!("{:.2} µs", ours.as_secs_f64() * 1e6);
        println!(
            "| {name} | {k} | {} | {} | {before} | {ours} | {ratio} |",
            pattern.len(),
            path.len()
        );
    }
}

/// Time per call: the median of 5 rounds, each of as many calls as fill 20 ms (at least one).
fn time(mut f: impl FnMut() -> bool) -> Duration {
    let start = Instant::now();
    std::hint::black_box(f());
    let once = start.elapsed();
    let calls = (Duration::from_millis(20).as_nanos() / once.as_nanos().max(1)).clamp(1, 1_000_000) as u32;
    let rounds = if once > Duration::from_millis(200) { 1 } else { 5 };
    let mut times: Vec<Duration> = (0..rounds)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..calls {
                std::hint::black_box(f());
            }
            start.elapsed() / calls
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

/// The backtracking matcher `.dockerignore` had before (this crate's own earlier code), for
/// comparison only (its `[...]` branch left out: the cases use no class).
mod before {
    pub fn excludes(pattern: &str, path: &str) -> bool {
        let pattern: Vec<&str> = pattern
            .split('/')
            .filter(|p| !p.is_empty() && *p != ".")
            .collect();
        let pattern = pattern.join("/");
        let mut prefix = path;
        loop {
            if glob_match(pattern.as_bytes(), prefix.as_bytes()) {
                return true;
            }
            match prefix.rfind('/') {
                Some(i) => prefix = &prefix[..i],
                None => return false,
            }
        }
    }

    fn glob_match(p: &[u8], s: &[u8]) -> bool {
        match p.first() {
            None => s.is_empty(),
            Some(b'*') if p.get(1) == Some(&b'*') => {
                let rest = p[2..].strip_prefix(b"/").unwrap_or(&p[2..]);
                let mut i = 0;
                loop {
                    if glob_match(rest, &s[i..]) {
                        return true;
                    }
                    match s[i..].iter().position(|c| *c == b'/') {
                        Some(j) => i += j + 1,
                        None => return rest.is_empty() || glob_match(rest, b""),
                    }
                }
            }
            Some(b'*') => (0..=s.len())
                .take_while(|i| *i == 0 || s[i - 1] != b'/')
                .any(|i| glob_match(&p[1..], &s[i..])),
            Some(b'?') => s.first().is_some_and(|c| *c != b'/') && glob_match(&p[1..], &s[1..]),
            Some(b'\\') if p.len() > 1 => s.first() == Some(&p[1]) && glob_match(&p[2..], &s[1..]),
            Some(c) => s.first() == Some(c) && glob_match(&p[1..], &s[1..]),
        }
    }
}
