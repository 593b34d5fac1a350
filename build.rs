//! Generates one module per enabled version feature into OUT_DIR, and the facade's glue over
//! them (`modules.rs`: `Api`, the dispatch behind `with_api!`, `Docker::v1_XX()`); see
//! `generator/` (`docker_engine_api_codegen::generate_shared` and `glue`).
//!
//! Versions built together share the types that `specs/type-identity.txt` (written by
//! `cargo xtask regen`) gives one owner: a newer module re-exports them from the oldest enabled
//! one, so identity is the same under every feature set (`docker_engine_api_codegen::sharing`).

use docker_engine_api_codegen::{VERSIONS, generate_shared, glue, sharing};
use std::path::{Path, PathBuf};

fn main() {
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("specs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed={}", specs.join(sharing::TABLE).display());

    let enabled: Vec<_> = VERSIONS
        .iter()
        .filter(|v| std::env::var_os(format!("CARGO_FEATURE_{}", v.feature().to_uppercase())).is_some())
        .collect();
    for v in &enabled {
        println!("cargo:rerun-if-changed={}", specs.join(&*v.spec).display());
    }

    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let modules =
        generate_shared(&specs, &enabled, threads).unwrap_or_else(|e| panic!("code generation failed: {e}"));
    for (version, code) in modules {
        std::fs::write(out.join(format!("{}.rs", version.feature())), code).expect("write module");
    }
    std::fs::write(out.join("modules.rs"), glue::glue(&enabled)).expect("write modules.rs");
}
