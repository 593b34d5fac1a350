#!/usr/bin/env bash
# Record real Docker daemon responses into tests/fixtures/daemon/<version>/.
#
# Usage:
#   scripts/record-fixtures.sh            # all daemons of scripts/test-daemons.sh
#   DOCKER_TEST_HOSTS="unix:///run/docker28/docker.sock" scripts/record-fixtures.sh
#
# For every daemon (unix sockets only) this wipes and rewrites
# tests/fixtures/daemon/<short version>/ (e.g. 20.10/, 28/): response bodies
# exactly as received (curl, no decoding beyond HTTP chunking) plus a
# <name>.headers file with the status line and response headers of each, and
# commands.txt with every curl command that produced a file and its status.
#
# It builds dockerapi-test/busybox:latest (FROM scratch + static busybox) on
# each daemon and leaves it there; every container, volume and network it
# creates is removed at the end. Containers use NetworkMode "none".
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT_BASE=$ROOT/tests/fixtures/daemon

if [ -z "${DOCKER_TEST_HOSTS:-}" ]; then
    eval "$("$ROOT/scripts/test-daemons.sh")"
fi
BUSYBOX=${DOCKER_TEST_BUSYBOX:-/bin/busybox}
IMAGE=dockerapi-test/busybox:latest
FAIL_IMAGE=dockerapi-test/build-error:latest
P=dockerapi-fixture # prefix of every object name / label key
CONTAINERS="$P-exited $P-created $P-tty $P-running $P-dup"
VOLUME=$P-vol
NETWORK=$P-net

log() { printf '[record-fixtures] %s\n' "$*" >&2; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# call METHOD PATH [curl args...]: unrecorded request, body on stdout
call() {
    local method=$1 path=$2; shift 2
    curl -sS --unix-socket "$SOCK" -X "$method" "$@" "http://localhost/v$API$path"
}

# rec FILE METHOD PATH [curl args...]: recorded request.
# Body -> $OUT/FILE (removed if empty), headers -> $OUT/<FILE minus extension>.headers
# Sets STATUS. The command line goes to commands.txt.
rec() {
    local file=$1 method=$2 path=$3; shift 3
    local base=${file%.*}
    local url="http://localhost/v$API$path"
    local args=(curl -sS --unix-socket "$SOCK")
    if [ "$method" = HEAD ]; then
        args+=(--head)
    else
        args+=(-X "$method")
    fi
    args+=("$@" "$url")
    STATUS=$("${args[@]}" -D "$OUT/$base.headers" -o "$OUT/$file" -w '%{http_code}' || true)
    if [ "$method" = HEAD ] || [ ! -s "$OUT/$file" ]; then rm -f "$OUT/$file"; fi
    {
        printf '# %s -> HTTP %s\n' "$file" "$STATUS"
        printf '%q ' "${args[@]}" -D "$base.headers" -o "$file"
        printf '\n\n'
    } >>"$OUT/commands.txt"
    log "  $method $path -> $STATUS ($file)"
}

json_id() { sed -n 's/.*"Id":"\([0-9a-f]*\)".*/\1/p' | head -n1; }

# need NAME VALUE: stop if an id could not be read from a response
need() { [ -n "$2" ] || { log "ERROR: no id for $1 (see $OUT)"; exit 1; }; }

cleanup_objects() {
    local c
    for c in $CONTAINERS; do
        call DELETE "/containers/$c?force=1&v=1" -o /dev/null || true
    done
    call DELETE "/volumes/$VOLUME?force=1" -o /dev/null || true
    call DELETE "/networks/$NETWORK" -o /dev/null || true
    call DELETE "/images/$FAIL_IMAGE?force=1" -o /dev/null || true
}

create_container() { # NAME JSON -> prints Id
    call POST "/containers/create?name=$1" -H 'Content-Type: application/json' --data-binary "$2" | json_id
}

record_daemon() {
    SOCK=$1
    local ver
    ver=$(curl -sS --unix-socket "$SOCK" http://localhost/version)
    local engine api
    engine=$(printf '%s' "$ver" | sed -n 's/.*"Version":"\([^"]*\)","ApiVersion".*/\1/p')
    api=$(printf '%s' "$ver" | sed -n 's/.*"ApiVersion":"\([^"]*\)".*/\1/p')
    API=$api
    local major=${engine%%.*} short
    if [ "$major" -ge 23 ]; then short=$major; else short=$(echo "$engine" | cut -d. -f1-2); fi
    OUT=$OUT_BASE/$short
    log "recording Docker $engine (API $API) on $SOCK into $OUT"
    rm -rf "$OUT"
    mkdir -p "$OUT"
    {
        echo "# Recorded $(date -u +%Y-%m-%dT%H:%M:%SZ) from Docker Engine $engine (API $API) on unix://$SOCK"
        echo "# by scripts/record-fixtures.sh. Paths are relative to this directory."
        echo
    } >"$OUT/commands.txt"

    cleanup_objects
    local start
    start=$(date +%s)

    # --- system -------------------------------------------------------------
    rec _ping-head.txt HEAD /_ping
    rec _ping.txt GET /_ping
    rec version.json GET /version

    # --- build ----------------------------------------------------------------
    mkdir -p "$WORK/ctx" "$WORK/ctx-fail"
    cp "$BUSYBOX" "$WORK/ctx/busybox"
    printf 'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\nCMD ["sh"]\n' \
        >"$WORK/ctx/Dockerfile"
    tar -C "$WORK/ctx" -cf "$WORK/ctx.tar" Dockerfile busybox
    printf 'FROM %s\nRUN echo about to fail && false\n' "$IMAGE" >"$WORK/ctx-fail/Dockerfile"
    tar -C "$WORK/ctx-fail" -cf "$WORK/ctx-fail.tar" Dockerfile
    # Remove the old image so that build.jsonl is an uncached build.
    call DELETE "/images/$IMAGE?force=1" -o /dev/null || true
    rec build.jsonl POST "/build?t=$IMAGE" -H 'Expect:' -H 'Content-Type: application/x-tar' --data-binary @"$WORK/ctx.tar"
    # Same context again as application/octet-stream (all cached).
    rec build-octet-stream.jsonl POST "/build?t=$IMAGE" -H 'Expect:' -H 'Content-Type: application/octet-stream' --data-binary @"$WORK/ctx.tar"
    rec build-error.jsonl POST "/build?t=$FAIL_IMAGE" -H 'Content-Type: application/x-tar' --data-binary @"$WORK/ctx-fail.tar"
    # The classic builder keeps the failed step's container: remove it.
    local failed
    for failed in $(sed -n 's/.*Running in \([0-9a-f]*\).*/\1/p' "$OUT/build-error.jsonl"); do
        call DELETE "/containers/$failed?force=1" -o /dev/null || true
    done

    rec images-json.json GET /images/json
    rec images-json-all.json GET "/images/json?all=1"
    rec image-inspect.json GET "/images/$IMAGE/json"
    rec image-history.json GET "/images/$IMAGE/history"

    # --- volume, network --------------------------------------------------------
    rec volume-create.json POST /volumes/create -H 'Content-Type: application/json' \
        --data-binary "{\"Name\":\"$VOLUME\",\"Labels\":{\"$P\":\"1\"}}"
    rec network-create.json POST /networks/create -H 'Content-Type: application/json' \
        --data-binary "{\"Name\":\"$NETWORK\",\"Driver\":\"bridge\",\"Labels\":{\"$P\":\"1\"}}"
    local net_ok=$STATUS

    # --- containers -------------------------------------------------------------
    local base="\"Image\":\"$IMAGE\",\"Labels\":{\"$P\":\"1\"}"
    local hc='"HostConfig":{"NetworkMode":"none"}'
    # exited (0): writes to stdout and stderr, adds, changes and deletes files
    rec container-create.json POST "/containers/create?name=$P-exited" -H 'Content-Type: application/json' \
        --data-binary "{$base,\"Cmd\":[\"sh\",\"-c\",\"echo out; echo err >&2; echo out2; echo hi > /hello.txt; rm /bin/ls\"],\"HostConfig\":{\"NetworkMode\":\"none\",\"Binds\":[\"$VOLUME:/data\"]}}"
    local exited
    exited=$(json_id <"$OUT/container-create.json")
    need exited "$exited"
    rec container-start.txt POST "/containers/$exited/start"
    rec container-wait.json POST "/containers/$exited/wait"
    # created, never started
    local created
    created=$(create_container "$P-created" "{$base,\"Cmd\":[\"true\"],$hc}")
    need created "$created"
    # tty, exits 3
    local tty
    tty=$(create_container "$P-tty" "{$base,\"Tty\":true,\"Cmd\":[\"sh\",\"-c\",\"echo tty-out; echo tty-err >&2; exit 3\"],$hc}")
    need tty "$tty"
    call POST "/containers/$tty/start" -o /dev/null
    rec container-wait-exit3.json POST "/containers/$tty/wait"
    # running
    local running
    running=$(create_container "$P-running" "{$base,\"Cmd\":[\"sleep\",\"600\"],$hc}")
    need running "$running"
    call POST "/containers/$running/start" -o /dev/null
    rec container-start-again.txt POST "/containers/$running/start"

    rec containers-json.json GET "/containers/json?all=1"
    rec container-inspect.json GET "/containers/$exited/json"
    rec container-inspect-created.json GET "/containers/$created/json"
    rec container-inspect-running.json GET "/containers/$running/json"
    rec container-changes.json GET "/containers/$exited/changes"
    rec container-top.json GET "/containers/$running/top"

    # --- stream bodies ------------------------------------------------------------
    rec logs-multiplexed.bin GET "/containers/$exited/logs?stdout=1&stderr=1"
    rec logs-tty.bin GET "/containers/$tty/logs?stdout=1&stderr=1"
    rec logs-timestamps.bin GET "/containers/$exited/logs?stdout=1&stderr=1&timestamps=1"
    rec attach-logs.bin POST "/containers/$exited/attach?logs=1&stream=0&stdout=1&stderr=1"
    rec attach-logs-upgrade.bin POST "/containers/$exited/attach?logs=1&stream=0&stdout=1&stderr=1" \
        -H 'Connection: Upgrade' -H 'Upgrade: tcp'
    rec attach-tty-upgrade.bin POST "/containers/$tty/attach?logs=1&stream=0&stdout=1&stderr=1" \
        -H 'Connection: Upgrade' -H 'Upgrade: tcp'
    local exec_body='{"Cmd":["sh","-c","echo exec-out; echo exec-err >&2; exit 2"],"AttachStdout":true,"AttachStderr":true}'
    rec exec-create.json POST "/containers/$running/exec" -H 'Content-Type: application/json' --data-binary "$exec_body"
    local exec
    exec=$(json_id <"$OUT/exec-create.json")
    need exec "$exec"
    rec exec-start.bin POST "/exec/$exec/start" -H 'Content-Type: application/json' --data-binary '{"Detach":false,"Tty":false}'
    rec exec-inspect.json GET "/exec/$exec/json"
    exec=$(call POST "/containers/$running/exec" -H 'Content-Type: application/json' --data-binary "$exec_body" | json_id)
    need exec "$exec"
    rec exec-start-upgrade.bin POST "/exec/$exec/start" -H 'Content-Type: application/json' \
        -H 'Connection: Upgrade' -H 'Upgrade: tcp' --data-binary '{"Detach":false,"Tty":false}'
    exec=$(call POST "/containers/$running/exec" -H 'Content-Type: application/json' \
        --data-binary '{"Cmd":["sh","-c","echo exec-tty"],"AttachStdout":true,"AttachStderr":true,"Tty":true}' | json_id)
    need exec "$exec"
    rec exec-start-tty.bin POST "/exec/$exec/start" -H 'Content-Type: application/json' --data-binary '{"Detach":false,"Tty":true}'

    # --- errors ---------------------------------------------------------------------
    rec error-404.json GET "/containers/$P-missing/json"
    rec error-404-image.json GET "/images/$P-missing:latest/json"
    rec error-409.json DELETE "/containers/$running"
    rec error-409-name.json POST "/containers/create?name=$P-running" -H 'Content-Type: application/json' \
        --data-binary "{$base,\"Cmd\":[\"true\"],$hc}"
    rec error-bad-json.json POST "/containers/create?name=$P-dup" -H 'Content-Type: application/json' \
        --data-binary '{"Image":'
    # versions outside the supported range (unversioned rec would prefix /vAPI)
    local saved_api=$API
    API=1.99 rec error-api-too-new.json GET /version
    API=1.11 rec error-api-too-old.txt GET /version
    API=$saved_api

    # stop the running one (exits 137)
    call POST "/containers/$running/kill" -o /dev/null

    # --- volumes / networks / df / info -------------------------------------------
    rec volumes.json GET /volumes
    rec volume-inspect.json GET "/volumes/$VOLUME"
    rec networks.json GET /networks
    if [ "$net_ok" = 201 ]; then
        rec network-inspect.json GET "/networks/$NETWORK"
    fi
    rec network-inspect-none.json GET /networks/none
    rec system-df.json GET /system/df
    rec info.json GET /info

    # --- events (bounded: ends at `until`) -----------------------------------------
    sleep 1
    local until
    until=$(date +%s)
    rec events.jsonl GET "/events?since=$start&until=$until"

    cleanup_objects
    # the build contexts lived in a temporary directory
    sed -i "s|$WORK/||g" "$OUT/commands.txt"
    log "done: $(find "$OUT" -type f | wc -l) files in $OUT"
}

for host in $DOCKER_TEST_HOSTS; do
    case $host in
    unix://*) record_daemon "${host#unix://}" ;;
    *) log "skipping $host (only unix sockets are recorded)" ;;
    esac
done
