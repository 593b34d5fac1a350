//! Generates `docker.rs` into OUT_DIR: the container and image operations of Docker Engine API
//! v1.41, with the recorded spec fixes, from the repository's vendored specs.

use docker_engine_api_codegen::{SpecVersion, generate_filtered};
use std::path::{Path, PathBuf};

fn main() {
    // A crate outside this repository would vendor the spec file (`v1.41.yaml`) in its own
    // tree and point at that directory.
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let version = SpecVersion::find(41).expect("v1.41 is in the version table");
    println!("cargo:rerun-if-changed={}", specs.join(&*version.spec).display());
    let code = generate_filtered(&specs, version, |op| {
        op.has_tag("Container") || op.has_tag("Image")
    })
    .unwrap_or_else(|e| panic!("code generation failed: {e}"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("docker.rs"), code).expect("write docker.rs");
}
