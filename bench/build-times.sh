#!/usr/bin/env bash
# Compile-time figures of this crate next to bollard's, in one run on this machine: cold
# builds in empty target dirs, then single crates rebuilt alone. Prints a Markdown table.
#   bench/build-times.sh            (about 15 minutes on 2 cores)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/build-times.XXXXXX)
trap 'rm -rf "$work"' EXIT
export CARGO_INCREMENTAL=0

# Wall seconds, peak RSS (MB) and CPU seconds (user + system) of a command: "S MB CPU". The
# host's speed varies between runs (a cold bollard build took 20 s on one day, 43 s on another):
# compare rows of one run, and CPU seconds where scheduling on 2 cores blurs the wall time.
measure() {
  /usr/bin/time -f "%e %M %U %S" -o "$work/t" "$@" >"$work/log" 2>&1 || { cat "$work/log"; exit 1; }
  awk '{ printf "%.1f %.0f %.1f", $1, $2 / 1024, $3 + $4 }' "$work/t"
}
row() {
  local wall rss cpu
  read -r wall rss cpu <<<"$2"
  printf '| %s | %s s | %s s | %s MB |\n' "$1" "$wall" "$cpu" "$rss"
}
# A scratch crate in $work/$1 (Cargo.toml body after [package] in $2, lib.rs in $3, build.rs in $4).
scratch() {
  mkdir -p "$work/$1/src"
  printf '[package]\nname = "%s"\nversion = "0.0.0"\nedition = "2024"\n[workspace]\n%s\n' "$1" "$2" >"$work/$1/Cargo.toml"
  printf '%s\n' "$3" >"$work/$1/src/lib.rs"
  [ -z "${4:-}" ] || printf '%s\n' "$4" >"$work/$1/build.rs"
}

# The reference crates (their published versions).
scratch ref '[dependencies]
bollard = "0.21"' ''
scratch refstubs '[dependencies]
bollard-stubs = "=1.53.1-rc.29.3.1"' ''
# The generator as a build-dependency, nothing else: what every user's build compiles for it.
scratch gen "[build-dependencies]
docker-engine-api-codegen = { path = \"$repo/generator\" }" '' 'fn main() {}'
# One generated module alone: build.rs generates v1.53 as ours does; the crate is that module,
# with the generated code's own dependencies (no facade).
scratch module "[dependencies]
progenitor-client = \"0.15.1\"
reqwest = { version = \"0.13\", default-features = false, features = [\"json\", \"stream\"] }
serde = { version = \"1\", features = [\"derive\"] }
serde_json = \"1\"
[build-dependencies]
docker-engine-api-codegen = { path = \"$repo/generator\" }" \
  'include!(concat!(env!("OUT_DIR"), "/v1_53.rs"));' \
  "fn main() {
    let v = docker_engine_api_codegen::SpecVersion::find(53).unwrap();
    let code = docker_engine_api_codegen::generate(std::path::Path::new(\"$repo/specs\"), v).unwrap();
    std::fs::write(std::path::Path::new(&std::env::var(\"OUT_DIR\").unwrap()).join(\"v1_53.rs\"), code).unwrap();
}"
for c in gen module; do cp "$repo/Cargo.lock" "$work/$c/"; done
for c in ref refstubs gen module; do (cd "$work/$c" && cargo fetch -q); done
(cd "$repo" && cargo fetch -q)

echo "| build | time | CPU (user + sys) | peak RSS |"
echo "| --- | ---: | ---: | ---: |"
cd "$repo"
row "ours: cold \`cargo build\` (default features = v1.55), debug" "$(CARGO_TARGET_DIR=$work/t-ours measure cargo build)"
row "bollard 0.21: cold \`cargo build\` (default features), debug" "$(cd "$work/ref" && CARGO_TARGET_DIR=$work/t-ref measure cargo build -p bollard)"
# Experiment: the same crate with its module generated ahead of time (copied from the build
# above) and no build-dependencies.
git clone -q "$repo" "$work/pregen"
mkdir "$work/pregen/pregenerated"
cp "$work"/t-ours/debug/build/docker-engine-api-*/out/*.rs "$work/pregen/pregenerated/"
sed -i '/^\[build-dependencies\]/,/^docker-engine-api-codegen/d' "$work/pregen/Cargo.toml"
cat >"$work/pregen/build.rs" <<'RS'
fn main() {
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap());
    for f in std::fs::read_dir("pregenerated").unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, out.join(f.file_name().unwrap())).unwrap();
    }
}
RS
row "experiment: ours with the module generated ahead of time, no build-dependencies, cold, debug" "$(cd "$work/pregen" && CARGO_TARGET_DIR=$work/t-pregen measure cargo build)"
row "ours: the generator as a build-dependency alone, cold" "$(cd "$work/gen" && CARGO_TARGET_DIR=$work/t-gen measure cargo build)"
for profile in dev release; do
  flag=$([ $profile = release ] && echo --release || true)
  (cd "$work/module" && CARGO_TARGET_DIR=$work/t-module cargo build -q $flag >/dev/null 2>&1 && touch build.rs)
  row "ours: one version module alone (v1.53: generation + rustc), $profile" "$(cd "$work/module" && CARGO_TARGET_DIR=$work/t-module measure cargo build $flag)"
  (cd "$work/refstubs" && CARGO_TARGET_DIR=$work/t-stubs cargo build -q $flag >/dev/null 2>&1 && CARGO_TARGET_DIR=$work/t-stubs cargo clean -q $flag -p bollard-stubs)
  row "bollard-stubs 1.53 (API v1.53) alone, $profile" "$(cd "$work/refstubs" && CARGO_TARGET_DIR=$work/t-stubs measure cargo build $flag)"
  CARGO_TARGET_DIR=$work/t-ours cargo build -q $flag --no-default-features --features v1_53 >/dev/null 2>&1
  touch build.rs
  row "ours: the crate with one module (v1.53: generation + module + facade), $profile" "$(CARGO_TARGET_DIR=$work/t-ours measure cargo build $flag --no-default-features --features v1_53)"
done
touch build.rs
row "ours: all 32 version modules (\`--all-features\`), debug" "$(CARGO_TARGET_DIR=$work/t-ours measure cargo build --all-features)"
