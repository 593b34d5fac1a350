//! Typed decode of recorded daemon bodies (`tests/fixtures/`): this crate's generated types and
//! JSON-lines decoder against bollard 0.21's types and JSON-lines decoding, interleaved in one
//! run. Per row: time per item (median of interleaved rounds), allocations per item (a counting
//! global allocator) and, with `--instructions`, instructions per item under
//! `valgrind --tool=callgrind` (each case in its own process: 1 + R decodes minus one). Prints Markdown tables; "speed vs bollard" is bollard's cost / ours (above 1.0x:
//! ours is faster).
//!
//! `cargo run --release --manifest-path bench/Cargo.toml --bin decode -- [ROUNDS] [--instructions]`
//!
//! Bodies, per daemon (Docker 20.10 with the v1.41 module, Docker 28 with v1.51):
//! - documents (`serde_json::from_slice`): the list of 300 containers, a container inspect, the
//!   image list (`all=1`), `/info`;
//! - JSON-lines streams, fed in 8 KiB reads as `FramedRead` does: the recorded events lines
//!   repeated to 10 MB, a real pull's progress (two 4 MiB layers) and a classic build's
//!   progress, each repeated to 1 MB (bollard's `BuildInfo` cannot read BuildKit's trace items).
//!
//! bollard's JSON-lines decoder (`bollard::read::JsonLineDecoder`) is private to bollard; the
//! reference below does what it does, per its source: find the first `\n` from the start of
//! the buffer, `serde_json::from_slice` the line into the item type, nothing else (in-stream
//! `error` lines are items of the type, not errors).

use bytes::{Buf, BytesMut};
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::Instant;
use tokio_util::codec::Decoder;

struct Counting;

static ALLOCS: AtomicU64 = AtomicU64::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Decodes the row's whole body once; returns the number of items.
type Run = Box<dyn Fn() -> usize>;

struct Row {
    name: String,
    bytes: usize,
    ours: Run,
    bollard: Run,
    /// JSON-lines rows: this crate's decoder as it was before (see [`PreviousLines`]).
    previous: Option<Run>,
}

fn fixture(path: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures").join(path);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn repeat_to(body: &[u8], at_least: usize) -> (Vec<u8>, usize) {
    let times = at_least.div_ceil(body.len());
    (body.repeat(times), times)
}

fn document<T: serde::de::DeserializeOwned + 'static>(body: &'static [u8], items: fn(&T) -> usize) -> Run {
    Box::new(move || {
        let value: T = serde_json::from_slice(black_box(body)).expect("decodes");
        let n = items(&value);
        black_box(value);
        n
    })
}

const READ: usize = 8 << 10;

/// Feeds `body` in 8 KiB reads, as `FramedRead` does, to `decode` and `eof`.
fn feed<T>(
    body: &[u8],
    mut decode: impl FnMut(&mut BytesMut) -> Option<T>,
    mut eof: impl FnMut(&mut BytesMut) -> Option<T>,
) -> usize {
    let mut buf = BytesMut::with_capacity(READ);
    let mut n = 0;
    for chunk in body.chunks(READ) {
        buf.reserve(READ);
        buf.extend_from_slice(chunk);
        while let Some(item) = decode(&mut buf) {
            black_box(item);
            n += 1;
        }
    }
    while let Some(item) = eof(&mut buf) {
        black_box(item);
        n += 1;
    }
    n
}

fn ours_lines<T: serde::de::DeserializeOwned + 'static>(body: &'static [u8]) -> Run {
    Box::new(move || {
        let mut d = docker_engine_api::streams::JsonLinesDecoder::<T>::new();
        let mut e = docker_engine_api::streams::JsonLinesDecoder::<T>::new();
        feed(
            black_box(body),
            |b| d.decode(b).unwrap().map(|i| i.expect("an item")),
            |b| e.decode_eof(b).unwrap().map(|i| i.expect("an item")),
        )
    })
}

fn bollard_lines<T: serde::de::DeserializeOwned + 'static>(body: &'static [u8]) -> Run {
    Box::new(move || {
        let mut d = BollardLines::<T>(std::marker::PhantomData);
        let mut e = BollardLines::<T>(std::marker::PhantomData);
        feed(black_box(body), |b| d.decode(b).unwrap(), |b| e.decode_eof(b).unwrap())
    })
}

fn previous_lines<T: serde::de::DeserializeOwned + 'static>(body: &'static [u8]) -> Option<Run> {
    Some(Box::new(move || {
        let mut d = PreviousLines::<T>(0, std::marker::PhantomData);
        feed(black_box(body), |b| d.decode(b).unwrap().map(|i| i.expect("an item")), |_| None)
    }))
}

/// This crate's `JsonLinesDecoder` before the change, on its path for well-formed lines: a
/// byte loop to the `\n`, the line split off the buffer, a 6-byte window scan for `"error`
/// (a probe parse where found), then the item.
struct PreviousLines<T>(usize, std::marker::PhantomData<T>);

impl<T: serde::de::DeserializeOwned> Decoder for PreviousLines<T> {
    type Item = Result<T, serde_json::Error>;
    type Error = std::io::Error;

    fn decode(&mut self, buf: &mut BytesMut) -> std::io::Result<Option<Self::Item>> {
        #[derive(serde::Deserialize)]
        struct Probe {
            #[serde(default)]
            error: Option<serde_json::Value>,
            #[serde(default, rename = "errorDetail")]
            error_detail: Option<serde_json::Value>,
        }
        loop {
            let Some(newline) = buf[self.0..].iter().position(|b| *b == b'\n') else {
                self.0 = buf.len();
                return Ok(None);
            };
            let line = buf.split_to(self.0 + newline + 1);
            self.0 = 0;
            let text = line.trim_ascii();
            if text.is_empty() {
                continue;
            }
            if text.first() == Some(&b'{')
                && text.windows(6).any(|w| w == b"\"error")
                && let Ok(p) = serde_json::from_slice::<Probe>(text)
                && (p.error.is_some() || p.error_detail.is_some())
            {
                panic!("no error lines in these bodies");
            }
            return Ok(Some(serde_json::from_slice(text)));
        }
    }
}

/// bollard 0.21's JSON-lines decoding (see the module docs).
struct BollardLines<T>(std::marker::PhantomData<T>);

impl<T: serde::de::DeserializeOwned> Decoder for BollardLines<T> {
    type Item = T;
    type Error = std::io::Error;

    fn decode(&mut self, src: &mut BytesMut) -> std::io::Result<Option<T>> {
        if src.is_empty() {
            return Ok(None);
        }
        let Some(newline) = src.iter().position(|b| *b == b'\n') else {
            return match serde_json::from_slice(src) {
                Ok(v) => {
                    src.clear();
                    Ok(Some(v))
                }
                Err(e) if e.is_eof() => Ok(None),
                Err(e) => Err(std::io::Error::other(e)),
            };
        };
        let rest = src.split_off(newline + 1);
        match serde_json::from_slice(&src[..newline]) {
            Ok(v) => {
                src.unsplit(rest);
                src.advance(newline + 1);
                Ok(Some(v))
            }
            // Taken for a newline inside the value: that `\n` is dropped and decoding waits.
            Err(e) if e.is_eof() => {
                src.truncate(newline);
                src.unsplit(rest);
                Ok(None)
            }
            Err(e) => Err(std::io::Error::other(e)),
        }
    }
}

fn rows() -> Vec<Row> {
    let mut rows = Vec::new();
    macro_rules! daemon {
        ($dir:literal, $module:ident) => {{
            use docker_engine_api::$module::types as t;
            use bollard::models as b;
            let leak = |v: Vec<u8>| -> &'static [u8] { Vec::leak(v) };
            let file = |f: &str| leak(fixture(&format!("daemon/{}/{f}", $dir)));
            let label = |what: &str| format!("{} {what}", $dir);

            let list = leak(fixture(&format!("bench/{}/containers-300.json", $dir)));
            rows.push(Row {
                name: label("container list (300)"),
                bytes: list.len(),
                ours: document::<Vec<t::ContainerSummary>>(list, Vec::len),
                bollard: document::<Vec<b::ContainerSummary>>(list, Vec::len),
                previous: None,
            });
            let inspect = file("container-inspect.json");
            rows.push(Row {
                name: label("container inspect"),
                bytes: inspect.len(),
                ours: document::<t::ContainerInspectResponse>(inspect, |_| 1),
                bollard: document::<b::ContainerInspectResponse>(inspect, |_| 1),
                previous: None,
            });
            let images = file("images-json-all.json");
            rows.push(Row {
                name: label("image list (all)"),
                bytes: images.len(),
                ours: document::<Vec<t::ImageSummary>>(images, Vec::len),
                bollard: document::<Vec<b::ImageSummary>>(images, Vec::len),
                previous: None,
            });
            let info = file("info.json");
            rows.push(Row {
                name: label("info"),
                bytes: info.len(),
                ours: document::<t::SystemInfo>(info, |_| 1),
                bollard: document::<b::SystemInfo>(info, |_| 1),
                previous: None,
            });
            let (events, times) = repeat_to(&fixture(&format!("daemon/{}/events.jsonl", $dir)), 10_000_000);
            let events = leak(events);
            rows.push(Row {
                name: label(&format!("events stream (recorded lines x {times})")),
                bytes: events.len(),
                ours: ours_lines::<t::EventMessage>(events),
                bollard: bollard_lines::<b::EventMessage>(events),
                previous: previous_lines::<t::EventMessage>(events),
            });
            let (pull, times) = repeat_to(&fixture(&format!("bench/{}/pull-progress.jsonl", $dir)), 1_000_000);
            let pull = leak(pull);
            rows.push(Row {
                name: label(&format!("pull progress (x {times})")),
                bytes: pull.len(),
                ours: ours_lines::<t::CreateImageInfo>(pull),
                bollard: bollard_lines::<b::CreateImageInfo>(pull),
                previous: previous_lines::<t::CreateImageInfo>(pull),
            });
            // The decoders alone: bollard's item type through both.
            rows.push(Row {
                name: label("pull progress, bollard's type in both"),
                bytes: pull.len(),
                ours: ours_lines::<b::CreateImageInfo>(pull),
                bollard: bollard_lines::<b::CreateImageInfo>(pull),
                previous: previous_lines::<b::CreateImageInfo>(pull),
            });
            // The classic builder's: bollard's `BuildInfo` cannot read BuildKit's trace items
            // (its `aux` is an `ImageId`, theirs a base64 string).
            let (build, times) = repeat_to(&fixture(&format!("daemon/{}/build.jsonl", $dir)), 1_000_000);
            let build = leak(build);
            rows.push(Row {
                name: label(&format!("build progress (x {times})")),
                bytes: build.len(),
                ours: ours_lines::<t::BuildInfo>(build),
                bollard: bollard_lines::<b::BuildInfo>(build),
                previous: previous_lines::<t::BuildInfo>(build),
            });
            rows.push(Row {
                name: label("build progress, bollard's type in both"),
                bytes: build.len(),
                ours: ours_lines::<b::BuildInfo>(build),
                bollard: bollard_lines::<b::BuildInfo>(build),
                previous: previous_lines::<b::BuildInfo>(build),
            });
        }};
    }
    daemon!("20.10", v1_41);
    daemon!("28", v1_51);
    rows
}

impl Row {
    /// Ours, bollard, and the previous decoder where there is one.
    fn cases(&self) -> Vec<(usize, &Run)> {
        let mut cases = vec![(0, &self.ours), (1, &self.bollard)];
        cases.extend(self.previous.as_ref().map(|p| (2, p)));
        cases
    }
}

const IMPLS: [&str; 3] = ["ours", "bollard", "previous"];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rows = rows();
    // `--only ROW IMPL ITERS`: one case, for callgrind (see `instructions`).
    if let Some(i) = args.iter().position(|a| a == "--only") {
        let row = &rows[args[i + 1].parse::<usize>().unwrap()];
        let k = IMPLS.iter().position(|m| *m == args[i + 2]).unwrap();
        let (_, run) = row.cases()[k];
        for _ in 0..args[i + 3].parse::<usize>().unwrap() {
            black_box(run());
        }
        return;
    }
    let rounds: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(7);

    // Items and allocations per item: one pass of each.
    let mut items = Vec::new();
    let mut allocs = Vec::new();
    for row in &rows {
        let mut per = [f64::NAN; 3];
        for (k, run) in row.cases() {
            let before = ALLOCS.load(Relaxed);
            let n = run();
            per[k] = (ALLOCS.load(Relaxed) - before) as f64 / n as f64;
            if k == 0 {
                items.push(n);
            }
        }
        allocs.push(per);
    }

    // Time: rounds of every case, the implementations in turn (rotating who goes first); each
    // case runs for about 30 ms per round.
    let reps: Vec<usize> = rows
        .iter()
        .map(|r| {
            let start = Instant::now();
            (r.ours)();
            (30e-3 / start.elapsed().as_secs_f64()).ceil().max(1.0) as usize
        })
        .collect();
    let mut times = vec![[Vec::new(), Vec::new(), Vec::new()]; rows.len()];
    for round in 0..rounds {
        for (i, row) in rows.iter().enumerate() {
            let mut cases = row.cases();
            let len = cases.len();
            cases.rotate_left(round % len);
            for (k, run) in cases {
                let start = Instant::now();
                for _ in 0..reps[i] {
                    black_box(run());
                }
                times[i][k].push(start.elapsed().as_secs_f64() / reps[i] as f64);
            }
        }
    }
    let median = |t: &Vec<f64>| {
        if t.is_empty() {
            return f64::NAN;
        }
        let mut t = t.clone();
        t.sort_by(f64::total_cmp);
        t[t.len() / 2]
    };

    println!("{rounds} interleaved rounds, median; allocations counted by a global allocator:\n");
    println!(
        "| body | MB | items | ours µs | bollard µs | ours MB/s | bollard MB/s | speed vs bollard | allocs/item ours | allocs/item bollard | previous µs | ours vs previous |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (i, row) in rows.iter().enumerate() {
        let [o, b, p] = [0, 1, 2].map(|k| median(&times[i][k]));
        let mb = row.bytes as f64 / 1e6;
        let previous = if p.is_nan() {
            "| | |".to_string()
        } else {
            format!("| {:.1} | {:.2}x |", p * 1e6, p / o)
        };
        println!(
            "| {} | {:.3} | {} | {:.1} | {:.1} | {:.0} | {:.0} | {:.2}x | {:.2} | {:.2} {previous}",
            row.name,
            mb,
            items[i],
            o * 1e6,
            b * 1e6,
            mb / o,
            mb / b,
            b / o,
            allocs[i][0],
            allocs[i][1],
        );
    }

    if args.iter().any(|a| a == "--instructions") {
        instructions(&rows, &items);
    }
}

/// Instructions per item of each case: `valgrind --tool=callgrind` on this program decoding
/// the body 1 + R times (`--only ROW IMPL ITERS`) minus once, R for about 2 MB; the
/// implementations in turn.
fn instructions(rows: &[Row], items: &[usize]) {
    let exe = std::env::current_exe().unwrap();
    let count = |row: usize, imp: &str, iters: usize| -> f64 {
        let out = std::process::Command::new("valgrind")
            .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
            .arg(&exe)
            .args(["--only", &row.to_string(), imp, &iters.to_string()])
            .output()
            .expect("valgrind");
        let text = String::from_utf8_lossy(&out.stderr);
        let line = text
            .lines()
            .find(|l| l.contains("Collected :"))
            .unwrap_or_else(|| panic!("no callgrind summary: {text}"));
        line.rsplit(' ').next().unwrap().trim().parse().unwrap()
    };
    println!("\nInstructions (callgrind) per item: 1 + R decodes of each body minus one (R for about 2 MB):\n");
    println!("| body | ours | bollard | bollard / ours | previous | previous / ours |\n| --- | ---: | ---: | ---: | ---: | ---: |");
    for (i, row) in rows.iter().enumerate() {
        // One decode to warm up (first-use costs), then enough for about 2 MB.
        let reps = (2_000_000 / row.bytes).clamp(1, 200);
        let mut per = [f64::NAN; 3];
        for (k, _) in row.cases() {
            per[k] = (count(i, IMPLS[k], 1 + reps) - count(i, IMPLS[k], 1)) / (reps * items[i]) as f64;
        }
        let [o, b, p] = per;
        let previous = if p.is_nan() {
            "| | |".to_string()
        } else {
            format!("| {p:.0} | {:.2}x |", p / o)
        };
        println!("| {} | {o:.0} | {b:.0} | {:.2}x {previous}", row.name, b / o);
    }
}
