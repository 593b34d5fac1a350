#!/usr/bin/env bash
# Runs schemathesis (PyPI, pinned below) with the exported OpenAPI 3 documents against the test
# daemons, read-only: GET/HEAD operations only, bounded in examples and time. See
# docs/schemathesis.md. Exits non-zero on a failure that scripts/schemathesis-allow.txt does not
# explain.
#
#   SCHEMATHESIS_RUNS   "VERSION=HOST ..." pairs (default: 1.41 on 20.10, 1.51 and 1.41 on 28)
#   SCHEMATHESIS_EXAMPLES  --max-examples per operation (default 10)
#   SCHEMATHESIS_TIME   --max-time per run, seconds (default 60)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
target="${CARGO_TARGET_DIR:-target}"
mkdir -p "$target" && target=$(cd "$target" && pwd)
venv="$target/schemathesis-venv"
pin="schemathesis==4.32.5"
runs="${SCHEMATHESIS_RUNS:-1.41=unix:///var/run/docker.sock 1.51=unix:///run/docker28/docker.sock 1.41=unix:///run/docker28/docker.sock}"
examples="${SCHEMATHESIS_EXAMPLES:-10}"
max_time="${SCHEMATHESIS_TIME:-60}"
out="$target/schemathesis"
allow="$root/scripts/schemathesis-allow.txt"

if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "${pin#*==}"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "$pin"
fi
py="$venv/bin/python"

rm -rf "$out" && mkdir -p "$out"
minors=$(for r in $runs; do v=${r%%=*}; echo "${v#1.}"; done | sort -u)
# shellcheck disable=SC2086
cargo xtask export --out "$out" $minors

label="dockerapi-test.schemathesis=$$"
pids=()
hosts=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for h in "${hosts[@]}"; do
    s=${h#unix://}
    for c in $(curl -sf --unix-socket "$s" "http://d/containers/json?all=1&filters=%7B%22label%22%3A%5B%22$label%22%5D%7D" | "$py" -c 'import json,sys; print(" ".join(c["Id"] for c in json.load(sys.stdin)))'); do
      curl -sf -o /dev/null --unix-socket "$s" -X DELETE "http://d/containers/$c?force=1" || true
    done
    curl -sf -o /dev/null --unix-socket "$s" -X DELETE "http://d/networks/schemathesis-$$" || true
    curl -sf -o /dev/null --unix-socket "$s" -X DELETE "http://d/volumes/schemathesis-$$" || true
  done
}
trap cleanup EXIT

# A loopback TCP port forwarded to a unix socket; prints the port (run in a process
# substitution, whose pid is then $!).
forward() {
  exec "$py" -u - "$1" <<'PY'
import socket, sys, threading
path = sys.argv[1]
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(16)
print(srv.getsockname()[1], flush=True)
def pump(a, b):
    try:
        while data := a.recv(65536):
            b.sendall(data)
    except OSError:
        pass
    finally:
        for s in (a, b):
            try: s.shutdown(socket.SHUT_RDWR)
            except OSError: pass
while True:
    c, _ = srv.accept()
    u = socket.socket(socket.AF_UNIX)
    u.connect(path)
    for a, b in ((c, u), (u, c)):
        threading.Thread(target=pump, args=(a, b), daemon=True).start()
PY
}

# Labelled fixtures on `$1` (a unix socket path): a volume, an internal network and a created
# (never started) container with network mode none. Prints the container id ("" without the
# image).
fixtures() {
  local s=$1 lbl="{\"${label%%=*}\":\"${label#*=}\"}"
  curl -sf -o /dev/null --unix-socket "$s" -H 'Content-Type: application/json' \
    -d "{\"Name\":\"schemathesis-$$\",\"Labels\":$lbl}" http://d/volumes/create
  curl -sf -o /dev/null --unix-socket "$s" -H 'Content-Type: application/json' \
    -d "{\"Name\":\"schemathesis-$$\",\"Internal\":true,\"Labels\":$lbl}" http://d/networks/create
  curl -sf --unix-socket "$s" -H 'Content-Type: application/json' \
    -d "{\"Image\":\"dockerapi-test/anchor:busybox\",\"Labels\":$lbl,\"HostConfig\":{\"NetworkMode\":\"none\"}}" \
    "http://d/containers/create?name=schemathesis-$$" | "$py" -c 'import json,sys; print(json.load(sys.stdin)["Id"])' || true
}

status=0
for r in $runs; do
  v=${r%%=*} h=${r#*=} s=${r#*=unix://}
  name="v$v-$(echo "${s%.sock}" | tr -c 'a-z0-9\n' - | sed 's/^-*//')"
  if [[ ! " ${hosts[*]} " == *" $h "* ]]; then
    hosts+=("$h")
    fixtures "$s" >"$out/$(echo "$h" | tr -c 'a-z0-9\n' _).container"
  fi
  container=$(cat "$out/$(echo "$h" | tr -c 'a-z0-9\n' _).container")
  # By id: schemathesis encodes the / of a name as %2F, which the daemon's router does not match.
  image=$(curl -sf --unix-socket "$s" http://d/images/dockerapi-test/anchor:busybox/json | "$py" -c 'import json,sys; print(json.load(sys.stdin)["Id"])' || echo busybox)
  exec {fd}< <(forward "$s")
  read -r port <&$fd
  pids+=($!)
  # Known names for path parameters, half of the time (the rest is generated: 404s).
  cat >"$out/$name.toml" <<EOF
[dictionaries]
containers = { values = [$([[ -n $container ]] && echo "\"$container\", \"schemathesis-$$\"" || echo "\"schemathesis-$$\"")] }
networks = { values = ["schemathesis-$$", "none", "bridge"] }
volumes = { values = ["schemathesis-$$"] }
images = { values = ["$image"] }
paths = { values = ["/", "/etc/hostname", "/bin"] }

[[operations]]
include-path-regex = "^/containers/\\\\{id\\\\}"
parameters = { "path.id" = { dictionary = "containers", probability = 0.7 }, "query.path" = { dictionary = "paths", probability = 0.7 } }

[[operations]]
include-path-regex = "^/networks/\\\\{id\\\\}"
parameters = { "path.id" = { dictionary = "networks", probability = 0.7 } }

[[operations]]
include-path-regex = "^/volumes/\\\\{name\\\\}"
parameters = { "path.name" = { dictionary = "volumes", probability = 0.7 } }

[[operations]]
include-path-regex = "^/images/\\\\{name\\\\}"
parameters = { "path.name" = { dictionary = "images", probability = 0.7 } }
EOF
  echo "== schemathesis: v$v on $h (127.0.0.1:$port)"
  # Excluded: streams that need not end (/events, attach/ws, logs, stats), tarballs (export,
  # image get, GET archive) and what the daemon fetches from a registry (search, distribution,
  # plugin privileges).
  set +e
  # From $out: schemathesis keeps a .schemathesis/ cache in its working directory.
  (cd "$out" && "$venv/bin/schemathesis" --config-file "$out/$name.toml" --no-color run "$out/v$v.json" \
    --url "http://127.0.0.1:$port/v$v" \
    --include-method GET --include-method HEAD \
    --exclude-path-regex '^/(events|containers/\{id\}/(attach/ws|logs|stats|export)|(services|tasks)/\{id\}/logs|images/(get|search|\{name\}/get)|distribution/.*|plugins/privileges)$' \
    --exclude-operation-id ContainerArchive \
    --checks response_schema_conformance,status_code_conformance,content_type_conformance \
    --max-examples "$examples" --max-time "$max_time" --request-timeout 10 --workers 2 \
    --seed 14 --generation-database none --phases examples,coverage,fuzzing \
    --report ndjson --report-ndjson-path "$out/$name.ndjson") >"$out/$name.log" 2>&1
  rc=$?
  set -e
  tail -n 25 "$out/$name.log"
  echo "exit $rc"
  [[ -f $root/scripts/schemathesis-triage.py ]] && { "$py" "$root/scripts/schemathesis-triage.py" "$allow" "v$v" "$h" "$out/$name.ndjson" || status=1; }
done
exit $status
