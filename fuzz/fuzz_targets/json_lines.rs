//! cargo-fuzz target: the JSON-lines decoder (see `docker_engine_api_fuzz::json_lines`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| docker_engine_api_fuzz::json_lines(data));
