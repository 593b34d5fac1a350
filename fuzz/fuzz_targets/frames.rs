//! cargo-fuzz target: the multiplexed/raw frame decoder (see `docker_engine_api_fuzz::frames`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| docker_engine_api_fuzz::frames(data));
