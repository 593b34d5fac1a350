#!/usr/bin/env bash
# Record BuildKit build streams and registry push/pull streams into
# tests/fixtures/streams/<version>/ (the classic builder's, logs, events and the rest are in
# tests/fixtures/daemon/, see scripts/record-fixtures.sh).
#
# Usage:
#   scripts/record-stream-fixtures.sh     # all daemons of scripts/test-daemons.sh
#
# Per daemon: build-buildkit.jsonl (FROM scratch + COPY, `version=2`, tagged, then the image is
# removed) and build-buildkit-error.jsonl (FROM dockerapi-test/busybox:latest, a failing RUN,
# network none), each with <name>.headers and the curl command in commands.txt. Then the first
# image goes to the test registry ($DOCKER_TEST_REGISTRY): push.jsonl, push-unauthorized.jsonl
# (a wrong password), and pull.jsonl (pulled back after the local tag is removed). Needs
# dockerapi-test/busybox:latest (scripts/record-fixtures.sh or the test suite builds it).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT_BASE=$ROOT/tests/fixtures/streams
if [ -z "${DOCKER_TEST_HOSTS:-}" ] || [ -z "${DOCKER_TEST_REGISTRY:-}" ]; then
    eval "$("$ROOT/scripts/test-daemons.sh")"
fi
TAG=dockerapi-fixture/buildkit:latest

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir "$WORK/ok" "$WORK/fail"
printf 'FROM scratch\nCOPY hello.txt /hello.txt\n' >"$WORK/ok/Dockerfile"
echo hello >"$WORK/ok/hello.txt"
printf 'FROM dockerapi-test/busybox:latest\nRUN echo about to fail && false\n' >"$WORK/fail/Dockerfile"
tar -C "$WORK/ok" -cf "$WORK/ok.tar" Dockerfile hello.txt
tar -C "$WORK/fail" -cf "$WORK/fail.tar" Dockerfile

for host in $DOCKER_TEST_HOSTS; do
    sock=${host#unix://}
    version=$(curl -sS --unix-socket "$sock" http://localhost/version | sed -E 's/.*"Version":"([0-9]+)\.([0-9]+)?.*/\1.\2/')
    api=$(curl -sS --unix-socket "$sock" http://localhost/version | sed -E 's/.*"ApiVersion":"([^"]*)".*/\1/')
    case $version in 20.10) dir=20.10 ;; *) dir=${version%%.*} ;; esac
    out=$OUT_BASE/$dir
    rm -rf "$out"
    mkdir -p "$out"
    : >"$out/commands.txt"
    for name in build-buildkit:ok:"t=$TAG" build-buildkit-error:fail:networkmode=none; do
        IFS=: read -r file ctx query <<<"$name"
        args=(curl -sS --unix-socket "$sock" -X POST -H Expect: -H "Content-Type: application/x-tar"
            --data-binary "@$WORK/$ctx.tar" "http://localhost/v$api/build?version=2&$query")
        status=$("${args[@]}" -D "$out/$file.headers" -o "$out/$file.jsonl" -w '%{http_code}')
        shown="${args[*]}"
        printf '# %s.jsonl -> HTTP %s\n%s\n\n' "$file" "$status" "${shown//$WORK\//}" >>"$out/commands.txt"
    done
    # Registry streams: the X-Registry-Auth header is base64url JSON.
    auth() {
        printf '{"username":"%s","password":"%s","serveraddress":"%s"}' "${DOCKER_TEST_REGISTRY_AUTH%%:*}" \
            "$1" "$DOCKER_TEST_REGISTRY" | base64 -w0 | tr '+/' '-_'
    }
    good=$(auth "${DOCKER_TEST_REGISTRY_AUTH#*:}")
    bad=$(auth wrong-password)
    repo=$DOCKER_TEST_REGISTRY/dockerapi-fixture/buildkit
    curl -sS --unix-socket "$sock" -X POST "http://localhost/v$api/images/$TAG/tag?repo=$repo&tag=$dir" >/dev/null
    for name in push:"$good":"images/$repo/push?tag=$dir" push-unauthorized:"$bad":"images/$repo/push?tag=$dir" \
        pull:"$good":"images/create?fromImage=$repo&tag=$dir"; do
        IFS=: read -r file header path <<<"$name"
        [ "$file" = pull ] && curl -sS --unix-socket "$sock" -X DELETE "http://localhost/v$api/images/$repo:$dir" >/dev/null
        status=$(curl -sS --unix-socket "$sock" -X POST -H "X-Registry-Auth: $header" \
            "http://localhost/v$api/$path" -D "$out/$file.headers" -o "$out/$file.jsonl" -w '%{http_code}')
        printf '# %s.jsonl -> HTTP %s\ncurl -X POST -H "X-Registry-Auth: <%s>" http://localhost/v%s/%s\n\n' \
            "$file" "$status" "$([ "$header" = "$bad" ] && echo 'a wrong password' || echo 'the test password')" \
            "$api" "$path" >>"$out/commands.txt"
    done
    curl -sS --unix-socket "$sock" -X DELETE "http://localhost/v$api/images/$repo:$dir" >/dev/null
    curl -sS --unix-socket "$sock" -X DELETE "http://localhost/v$api/images/$TAG" >/dev/null
    echo "[record-stream-fixtures] $host -> $out" >&2
done
