#!/usr/bin/env bash
# The whole test suite on a fresh machine: start the test daemons (Docker 20.10 and 28, Podman;
# installing them if needed), then run every test of the workspace with every version module
# enabled.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(scripts/test-daemons.sh)"
export DOCKER_TEST_HOSTS DOCKER_TEST_BUSYBOX DOCKER_TEST_PODMAN
cargo test --workspace --all-features "$@"
