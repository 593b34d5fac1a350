//! Generates one module per enabled version feature into OUT_DIR (see `generator/`).
//!
//! Versions built together share their identical types: a newer module re-exports them from
//! the older one (`docker_engine_api_codegen::sharing`).

use docker_engine_api_codegen::{VERSIONS, generate_shared};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("specs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    println!("cargo:rerun-if-changed=build.rs");

    let enabled: Vec<_> = VERSIONS
        .iter()
        .filter(|v| std::env::var_os(format!("CARGO_FEATURE_{}", v.feature().to_uppercase())).is_some())
        .collect();
    for v in &enabled {
        println!("cargo:rerun-if-changed={}", specs.join(v.spec).display());
    }

    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let modules =
        generate_shared(&specs, &enabled, threads).unwrap_or_else(|e| panic!("code generation failed: {e}"));
    for (version, code) in modules {
        std::fs::write(out.join(format!("{}.rs", version.feature())), code).expect("write module");
    }

    // The module declarations and the list of enabled versions, for src/lib.rs.
    let mut decls = String::new();
    for v in &enabled {
        let f = v.feature();
        writeln!(
            decls,
            "/// Docker Engine API v{name}, generated from `specs/{spec}`.\n\
             #[allow(rustdoc::all, clippy::all, unused_imports)]\n\
             pub mod {f} {{ include!(concat!(env!(\"OUT_DIR\"), \"/{f}.rs\")); }}",
            name = v.name(),
            spec = v.spec
        )
        .unwrap();
    }
    let minors: Vec<_> = enabled.iter().map(|v| v.minor.to_string()).collect();
    writeln!(
        decls,
        "/// Minor numbers of the enabled API versions `1.x`, oldest first.\n\
         pub const ENABLED_MINORS: &[u32] = &[{}];",
        minors.join(", ")
    )
    .unwrap();
    std::fs::write(out.join("modules.rs"), decls).expect("write modules.rs");
}
