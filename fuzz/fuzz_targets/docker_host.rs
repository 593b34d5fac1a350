//! cargo-fuzz target: `DOCKER_HOST` parsing (see `docker_engine_api_fuzz::docker_host`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| docker_engine_api_fuzz::docker_host(data));
