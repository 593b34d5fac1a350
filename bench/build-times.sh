#!/usr/bin/env bash
# Compile-time figures of this crate next to bollard's, in one run on this machine: cold
# builds in empty target dirs, then single crates rebuilt alone. Prints a Markdown table.
#   bench/build-times.sh            (about 15 minutes on 2 cores)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/build-times.XXXXXX)
trap 'rm -rf "$work"' EXIT
export CARGO_INCREMENTAL=0

# Seconds and peak RSS (MB) of a command: "S MB".
measure() {
  /usr/bin/time -f "%e %M" -o "$work/t" "$@" >"$work/log" 2>&1 || { cat "$work/log"; exit 1; }
  awk '{ printf "%.1f %.0f", $1, $2 / 1024 }' "$work/t"
}
row() { printf '| %s | %s s | %s MB |\n' "$1" "${2% *}" "${2#* }"; }

# A scratch crate depending on the reference crates (their published versions).
mkdir -p "$work/ref/src"
cat >"$work/ref/Cargo.toml" <<TOML
[package]
name = "ref"
version = "0.0.0"
edition = "2021"
[dependencies]
bollard = "0.21"
bollard-stubs = "=1.53.1-rc.29.3.1"
TOML
echo >"$work/ref/src/lib.rs"
mkdir -p "$work/refstubs/src"
sed '/^bollard = /d' "$work/ref/Cargo.toml" | sed 's/name = "ref"/name = "refstubs"/' >"$work/refstubs/Cargo.toml"
echo >"$work/refstubs/src/lib.rs"
(cd "$work/ref" && cargo fetch -q && cargo generate-lockfile -q)
(cd "$work/refstubs" && cargo fetch -q)
(cd "$repo" && cargo fetch -q)

echo "| build | time | peak RSS |"
echo "| --- | ---: | ---: |"
cd "$repo"
row "ours: cold \`cargo build\` (default features = v1.55), debug" "$(CARGO_TARGET_DIR=$work/t-ours measure cargo build)"
row "bollard 0.21: cold \`cargo build\` (default features), debug" "$(cd "$work/ref" && CARGO_TARGET_DIR=$work/t-ref measure cargo build -p bollard)"
row "ours: generator and its build-dependencies alone, cold, debug" "$(CARGO_TARGET_DIR=$work/t-gen measure cargo build -p docker-engine-api-codegen)"
for profile in dev release; do
  flag=$([ $profile = release ] && echo --release || true)
  CARGO_TARGET_DIR=$work/t-ours cargo build -q $flag --no-default-features --features v1_53 >/dev/null 2>&1
  touch build.rs
  row "ours: one version module (v1.53: generation + rustc), $profile" "$(CARGO_TARGET_DIR=$work/t-ours measure cargo build $flag --no-default-features --features v1_53)"
  (cd "$work/refstubs" && CARGO_TARGET_DIR=$work/t-stubs cargo build -q $flag >/dev/null 2>&1 && CARGO_TARGET_DIR=$work/t-stubs cargo clean -q $flag -p bollard-stubs)
  row "bollard-stubs 1.53 (API v1.53) alone, $profile" "$(cd "$work/refstubs" && CARGO_TARGET_DIR=$work/t-stubs measure cargo build $flag)"
done
touch build.rs
row "ours: all 31 version modules (\`--all-features\`), debug" "$(CARGO_TARGET_DIR=$work/t-ours measure cargo build --all-features)"
