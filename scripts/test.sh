#!/usr/bin/env bash
# The whole test suite on a fresh machine: start the two test daemons (installing them if
# needed), then run every test of the workspace with every version module enabled.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(scripts/test-daemons.sh)"
export DOCKER_TEST_HOSTS DOCKER_TEST_BUSYBOX
cargo test --workspace --all-features "$@"
