//! cargo-fuzz target: a context's `meta.json` and the CLI's `config.json` (see
//! `docker_engine_api_fuzz::context`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| docker_engine_api_fuzz::context(data));
