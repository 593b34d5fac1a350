#!/usr/bin/env bash
# Record the larger daemon bodies of the decode benchmark (bench/src/bin/decode.rs) into
# tests/fixtures/bench/<version>/:
#   containers-300.json  GET /containers/json?all=1 over 300 created containers (never started,
#                        NetworkMode none, labelled; the listing is filtered by that label);
#   pull-progress.jsonl  POST /images/create of an image with two 4 MiB random layers from the
#                        test registry ($DOCKER_TEST_REGISTRY, loopback), after removing it
#                        locally: the Downloading/Extracting progress lines of a real pull.
# Every container and image it creates is removed at the end.
#
# Usage:
#   scripts/record-bench-fixtures.sh     # all daemons of scripts/test-daemons.sh
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT_BASE=$ROOT/tests/fixtures/bench
if [ -z "${DOCKER_TEST_HOSTS:-}" ] || [ -z "${DOCKER_TEST_REGISTRY:-}" ]; then
    eval "$("$ROOT/scripts/test-daemons.sh")"
fi
BUSYBOX=${DOCKER_TEST_BUSYBOX:-/bin/busybox}
P=dockerapi-bench
IMAGE=$P/busybox:latest
COUNT=300

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir "$WORK/bb" "$WORK/big"
cp "$BUSYBOX" "$WORK/bb/busybox"
printf 'FROM scratch\nCOPY busybox /bin/busybox\nCMD ["/bin/busybox", "true"]\n' >"$WORK/bb/Dockerfile"
tar -C "$WORK/bb" -cf "$WORK/bb.tar" Dockerfile busybox
head -c 4194304 /dev/urandom >"$WORK/big/a.bin"
head -c 4194304 /dev/urandom >"$WORK/big/b.bin"
printf 'FROM scratch\nCOPY a.bin /a.bin\nCOPY b.bin /b.bin\n' >"$WORK/big/Dockerfile"
tar -C "$WORK/big" -cf "$WORK/big.tar" Dockerfile a.bin b.bin

auth() {
    printf '{"username":"%s","password":"%s","serveraddress":"%s"}' "${DOCKER_TEST_REGISTRY_AUTH%%:*}" \
        "${DOCKER_TEST_REGISTRY_AUTH#*:}" "$DOCKER_TEST_REGISTRY" | base64 -w0 | tr '+/' '-_'
}

for host in $DOCKER_TEST_HOSTS; do
    sock=${host#unix://}
    version=$(curl -sS --unix-socket "$sock" http://localhost/version | sed -E 's/.*"Version":"([0-9]+)\.([0-9]+)?.*/\1.\2/')
    api=$(curl -sS --unix-socket "$sock" http://localhost/version | sed -E 's/.*"ApiVersion":"([^"]*)".*/\1/')
    case $version in 20.10) dir=20.10 ;; *) dir=${version%%.*} ;; esac
    out=$OUT_BASE/$dir
    mkdir -p "$out"
    call() { local m=$1 p=$2; shift 2; curl -sS --unix-socket "$sock" -X "$m" "$@" "http://localhost/v$api$p"; }
    call POST "/build?t=$IMAGE" -H "Content-Type: application/x-tar" --data-binary "@$WORK/bb.tar" >/dev/null
    body='{"Image":"'$IMAGE'","Labels":{"'$P'":"1"},"HostConfig":{"NetworkMode":"none"}}'
    for i in $(seq 1 $COUNT); do
        call POST "/containers/create?name=$P-$i" -H "Content-Type: application/json" -d "$body" -o /dev/null
    done
    filters=$(printf '{"label":["%s"]}' "$P" | jq -sRr @uri)
    call GET "/containers/json?all=1&filters=$filters" -o "$out/containers-300.json"
    for i in $(seq 1 $COUNT); do
        call DELETE "/containers/$P-$i?force=1" -o /dev/null
    done
    call DELETE "/images/$IMAGE?force=1" -o /dev/null

    repo=$DOCKER_TEST_REGISTRY/$P/layers
    call POST "/build?t=$repo:$dir" -H "Content-Type: application/x-tar" --data-binary "@$WORK/big.tar" >/dev/null
    call POST "/images/$repo/push?tag=$dir" -H "X-Registry-Auth: $(auth)" -o /dev/null
    call DELETE "/images/$repo:$dir?force=1" -o /dev/null
    call POST "/images/create?fromImage=$repo&tag=$dir" -H "X-Registry-Auth: $(auth)" -o "$out/pull-progress.jsonl"
    call DELETE "/images/$repo:$dir?force=1" -o /dev/null
    echo "[record-bench-fixtures] $host -> $out ($(wc -c <"$out/containers-300.json") B list, $(wc -l <"$out/pull-progress.jsonl") pull lines)" >&2
done
