#!/usr/bin/env bash
# The main job on a fresh machine: start the local daemons if needed, then run the example
# against the default one (unix:///var/run/docker.sock, Docker 20.10).
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(scripts/test-daemons.sh)"
exec cargo run --example run --features v1_41
