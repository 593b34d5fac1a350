//! Generation time per version (spec to formatted Rust, no rustc): what build.rs spends per
//! enabled feature. `cargo run --release --manifest-path bench/Cargo.toml --features codegen --bin gen-time`

fn main() {
    let specs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let mut total = std::time::Duration::ZERO;
    let mut lines = 0;
    for v in docker_engine_api_codegen::VERSIONS {
        let start = std::time::Instant::now();
        let code = docker_engine_api_codegen::generate(&specs, v).expect("generate");
        let t = start.elapsed();
        total += t;
        lines += code.lines().count();
        println!("v{}\t{:.2} s\t{} lines", v.name(), t.as_secs_f64(), code.lines().count());
    }
    let n = docker_engine_api_codegen::VERSIONS.len();
    println!("all {n}: {:.1} s, {:.2} s per version, {lines} lines", total.as_secs_f64(), total.as_secs_f64() / n as f64);
}
