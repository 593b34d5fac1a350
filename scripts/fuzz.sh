#!/usr/bin/env bash
# Fuzz the stream decoders (fuzz/: the multiplexed-frame demuxer and the JSON-lines decoder),
# DOCKER_HOST parsing and the CLI's context/config files, for a bounded time each; fails if any
# input makes one panic or break its invariants.
#
# Usage:
#   scripts/fuzz.sh [SECONDS]     # per target, default 60
#
# With cargo-fuzz and a nightly toolchain (`cargo install cargo-fuzz`; `rustup toolchain list`):
# libFuzzer, coverage-guided, with AddressSanitizer, seeded from every recorded daemon body in
# tests/fixtures/ (corpus in fuzz/corpus/<target>, crashes in fuzz/artifacts/<target>; replay
# one with `cargo +nightly fuzz run <target> <file>`). Without them: the same harnesses on
# stable as a plain test binary, random mutations of the same seeds without coverage guidance
# (`cargo test --release` in fuzz/, FUZZ_SECONDS per target; FUZZ_SEED replays a run).
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_EACH=${1:-60}
[[ $SECONDS_EACH =~ ^[0-9]+$ ]] || { echo "usage: $0 [SECONDS]" >&2; exit 2; }
TARGETS=(frames json_lines docker_host context)
log() { printf '[fuzz] %s\n' "$*" >&2; }

# Seeds: each recorded body; for frames, a control byte first (0 multiplexed, 1 raw).
mkdir -p fuzz/corpus/frames fuzz/corpus/json_lines
for f in tests/fixtures/*/*/*.bin; do
    name=$(echo "${f#tests/fixtures/}" | tr '/' '-')
    { printf '\000'; cat "$f"; } >"fuzz/corpus/frames/seed-mux-$name"
    { printf '\001'; cat "$f"; } >"fuzz/corpus/frames/seed-raw-$name"
done
for f in tests/fixtures/*/*/*.jsonl; do
    cp "$f" "fuzz/corpus/json_lines/seed-$(echo "${f#tests/fixtures/}" | tr '/' '-')"
done
# DOCKER_HOST values and CLI files: the stable test's seeds (fuzz/src/tests.rs), a few of them.
mkdir -p fuzz/corpus/docker_host fuzz/corpus/context
i=0
for h in unix:///var/run/docker.sock tcp://127.0.0.1:2375 'tcp://[::1]:2375' \
    ssh://me@build.example:2222/run/docker.sock 'tcp://127.0.0.1#:12345' 'tcp://user:secret@h:1'; do
    printf '%s' "$h" >"fuzz/corpus/docker_host/seed-$((i++))"
done
printf '%s' '{"Name":"remote","Metadata":{},"Endpoints":{"docker":{"Host":"tcp://docker.example:2376","SkipTLSVerify":false}}}' \
    >fuzz/corpus/context/seed-meta
printf '%s' '{"auths":{"https://index.docker.io/v1/":{"auth":"dXNlcjpzZWNyZXQ="}},"currentContext":"remote"}' \
    >fuzz/corpus/context/seed-config

if cargo fuzz --version >/dev/null 2>&1 && cargo +nightly --version >/dev/null 2>&1; then
    for target in "${TARGETS[@]}"; do
        log "$target: cargo-fuzz (libFuzzer + ASan, nightly) for ${SECONDS_EACH}s"
        # -timeout: one input taking over 10 s is a hang, reported like a crash.
        cargo +nightly fuzz run --fuzz-dir fuzz "$target" -- \
            -max_total_time="$SECONDS_EACH" -timeout=10 -print_final_stats=1
    done
    log "no crash in ${#TARGETS[@]} targets x ${SECONDS_EACH}s"
else
    log "cargo-fuzz or nightly missing: the stable replay/mutation test, ${SECONDS_EACH}s per target"
    FUZZ_SECONDS=$SECONDS_EACH cargo test --release --manifest-path fuzz/Cargo.toml -- --nocapture --test-threads 1
fi
