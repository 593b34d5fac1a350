#!/usr/bin/env bash
# Install and start the services of the integration tests: two real Docker daemons, a registry,
# an ssh server and Podman.
#
#   1. Docker Engine 20.10 (API 1.41): Debian's own `docker.io` package from
#      this machine's suite, started by hand (no systemd) on the default socket
#      unix:///var/run/docker.sock. dockerd starts its own containerd.
#   2. Docker Engine 28.x (API 1.51): `docker.io` + `containerd` downloaded from
#      Debian unstable (sid) with a private apt configuration and unpacked with
#      `dpkg-deb -x` under /opt/docker28/<suite> -- nothing is installed over
#      the system. It runs beside the first daemon with its own containerd,
#      sockets, data root and exec root on unix:///run/docker28/docker.sock,
#      with the system's /usr/sbin/runc (sid's runc needs a newer glibc).
#      If that suite's package does not start, Debian trixie's docker.io
#      (26.x, API 1.45) is used the same way. It also listens with TLS on
#      tcp://127.0.0.1:2376 (client certificates required), with a test CA
#      made here by openssl.
#   3. A registry (Debian's `docker-registry`, distribution 2.x) on 127.0.0.1:5000 with
#      htpasswd authentication (user `tester`, its password in the printed variable), for
#      push, pull and login tests. The daemons treat 127.0.0.0/8 as an insecure (HTTP) registry.
#   4. An OpenSSH server (Debian's `openssh-server`) on 127.0.0.1:2222 that accepts a test key
#      for root, for `ssh://` daemons: `ssh ... docker system dial-stdio` reaches both daemons.
#   5. Podman's Docker-compatible API (Debian's `podman`, 4.3 here, API 1.41) on
#      unix:///run/podman-test/podman.sock: `podman system service` with its own storage
#      (/var/lib/podman-test), run root (/run/podman-test) and `containers.conf`. Not one of
#      DOCKER_TEST_HOSTS (the suite assumes Docker's behaviour); tests/podman.rs and the
#      tests that hold on Podman too read DOCKER_TEST_PODMAN.
#
# Usage:
#   eval "$(scripts/test-daemons.sh)"     # install if needed, start or reuse
#   scripts/test-daemons.sh --stop        # stop all of them cleanly
#   scripts/test-daemons.sh --status      # show what is running
#   eval "$(scripts/test-daemons.sh --start-podman)"  # only Podman (start or reuse)
#   scripts/test-daemons.sh --stop-podman # only Podman, its containers and conmon processes
#
# On success stdout carries exactly these eval-able lines:
#   export DOCKER_TEST_HOSTS="unix:///var/run/docker.sock unix:///run/docker28/docker.sock"
#   export DOCKER_TEST_BUSYBOX=/bin/busybox
#   export DOCKER_TEST_TLS_HOST=tcp://127.0.0.1:2376
#   export DOCKER_TEST_TLS_CERTS=/var/lib/docker28/tls
#   export DOCKER_TEST_REGISTRY=127.0.0.1:5000
#   export DOCKER_TEST_REGISTRY_AUTH=tester:<password>
#   export DOCKER_TEST_SSH_HOST=ssh://root@127.0.0.1:2222
#   export DOCKER_TEST_SSH_CONFIG=/var/lib/docker-test-ssh/ssh_config
#   export DOCKER_TEST_DOCKERD=/usr/sbin/dockerd
#   export DOCKER_TEST_PODMAN=unix:///run/podman-test/podman.sock
# DOCKER_TEST_DOCKERD is the binary tests/daemon_death.rs runs as a daemon of its own (its own
# socket, data root and exec root under /tmp) to kill and restart.
# DOCKER_TEST_SSH_CONFIG is an ssh client configuration (`ssh -F`) with the test key and the
# server's host key; the host key's own file, known_hosts, is beside it.
# DOCKER_TEST_TLS_CERTS holds certificate directories as DOCKER_CERT_PATH expects them:
# client/ (the CA, a client certificate and key), ca-only/ (the CA alone), other-ca/ (a
# different CA, and a client certificate it signed).
# Everything else goes to stderr.
#
# Environment overrides (all optional):
#   DOCKER28_SUITE           first Debian suite to take the second daemon from (sid)
#   DOCKER28_FALLBACK_SUITE  suite used if the first one does not start (trixie)
#   DOCKER_TEST_START_TIMEOUT seconds to wait for /_ping on each daemon (60)
#   DOCKER_TEST_SKIP_DOCKER28=1  only run the system (20.10) daemon
#
# Must run as root. Idempotent: a daemon that already answers /_ping is reused;
# packages and downloads that are already there are not fetched again.
set -euo pipefail

# ---------------------------------------------------------------- settings ---
D1_SOCK=/var/run/docker.sock
D1_PIDFILE=/var/run/docker.pid
D1_LOG=/var/log/docker-test/dockerd.log
D1_CTRD_PIDFILE=/var/run/docker/containerd/containerd.pid # its managed containerd

REG_STATE=/var/lib/docker-test-registry   # config, htpasswd, password, blobs
REG_PIDFILE=/run/docker-test-registry.pid
REG_LOG=/var/log/docker-test/registry.log
REG_USER=tester

SSH_ADDR=127.0.0.1
SSH_PORT=2222
SSH_STATE=/var/lib/docker-test-ssh       # host and client keys, both configurations
SSH_PIDFILE=/run/docker-test-sshd.pid
SSH_LOG=/var/log/docker-test/sshd.log

BUSYBOX=/bin/busybox

D28_SUITE=${DOCKER28_SUITE:-sid}
D28_FALLBACK_SUITE=${DOCKER28_FALLBACK_SUITE:-trixie}
D28_PREFIX_BASE=/opt/docker28            # unpacked packages: $D28_PREFIX_BASE/<suite>
D28_STATE=/var/lib/docker28              # apt state, data roots, configs
D28_RUN=/run/docker28                    # sockets, pid files, exec root
D28_SOCK=$D28_RUN/docker.sock
D28_PIDFILE=$D28_RUN/dockerd.pid
D28_CTRD_SOCK=$D28_RUN/containerd/containerd.sock
D28_CTRD_PIDFILE=$D28_RUN/containerd.pid
D28_LOG=/var/log/docker-test/docker28-dockerd.log
D28_CTRD_LOG=/var/log/docker-test/docker28-containerd.log
D28_TLS=$D28_STATE/tls                   # test CA, daemon and client certificates
D28_TLS_ADDR=127.0.0.1:2376

REG_ADDR=127.0.0.1:5000
REG_STATE=/var/lib/docker-test-registry   # config, htpasswd, password, blobs
REG_PIDFILE=/run/docker-test-registry.pid
REG_LOG=/var/log/docker-test/registry.log
REG_USER=tester

PODMAN_STATE=/var/lib/podman-test         # storage (images, containers, volumes), containers.conf
PODMAN_RUN=/run/podman-test               # socket, pid file, run root, libpod tmp dir, events
PODMAN_SOCK=$PODMAN_RUN/podman.sock
PODMAN_PIDFILE=$PODMAN_RUN/podman.pid
PODMAN_LOG=/var/log/docker-test/podman.log

BUSYBOX=/bin/busybox
SYSTEM_RUNC=/usr/sbin/runc
START_TIMEOUT=${DOCKER_TEST_START_TIMEOUT:-60}

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1

# ----------------------------------------------------------------- helpers ---
log() { printf '[test-daemons] %s\n' "$*" >&2; }
die() { printf '[test-daemons] ERROR: %s\n' "$*" >&2; exit 1; }

# ping SOCKET -> 0 if the daemon on SOCKET answers /_ping with OK
ping_sock() {
    [ -S "$1" ] || return 1
    [ "$(curl -s --max-time 3 --unix-socket "$1" http://d/_ping 2>/dev/null || true)" = OK ]
}

# pid_alive PIDFILE [COMM] -> 0 if the pid in PIDFILE runs (and is named COMM)
pid_alive() {
    local pid
    [ -s "$1" ] || return 1
    pid=$(cat "$1" 2>/dev/null) || return 1
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    # a zombie (killed, not yet reaped) counts as dead
    [ "$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$pid/status" 2>/dev/null)" != Z ] || return 1
    if [ -n "${2:-}" ]; then
        [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ] || return 1
    fi
}

# clear_stale_pidfile PIDFILE COMM: remove a pid file left by a dead process
# (e.g. after a machine restart, /run is not a tmpfs here) so dockerd will start.
clear_stale_pidfile() {
    if [ -e "$1" ] && ! pid_alive "$1" "$2"; then
        log "removing stale pid file $1"
        rm -f "$1"
    fi
}

# wait_ping NAME SOCKET PIDFILE LOG: wait (bounded) until SOCKET answers /_ping.
# Returns 1 (after printing the log tail) if it does not.
wait_ping() {
    local name=$1 sock=$2 pidfile=$3 logf=$4 i
    for ((i = 0; i < START_TIMEOUT * 4; i++)); do
        if ping_sock "$sock"; then
            log "$name answers on unix://$sock"
            return 0
        fi
        # dockerd writes its pid file early; if the process is gone, stop waiting.
        if ((i > 8)) && [ -n "$pidfile" ] && ! pid_alive "$pidfile"; then
            log "$name exited before answering /_ping on unix://$sock; last lines of $logf:"
            tail -n 30 "$logf" >&2 || true
            return 1
        fi
        sleep 0.25
    done
    log "$name did not answer /_ping on unix://$sock within ${START_TIMEOUT}s; last lines of $logf:"
    tail -n 30 "$logf" >&2 || true
    return 1
}

# stop_pidfile NAME PIDFILE COMM TIMEOUT: SIGTERM, wait, then SIGKILL
stop_pidfile() {
    local name=$1 pidfile=$2 comm=$3 timeout=$4 pid i
    if ! pid_alive "$pidfile" "$comm"; then
        rm -f "$pidfile"
        return 0
    fi
    pid=$(cat "$pidfile")
    log "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < timeout * 4; i++)); do
        kill -0 "$pid" 2>/dev/null || { rm -f "$pidfile"; return 0; }
        sleep 0.25
    done
    log "$name did not stop within ${timeout}s; killing pid $pid"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
    rm -f "$pidfile"
}

need_root() { [ "$(id -u)" = 0 ] || die "must run as root"; }

# ------------------------------------------------------ system packages -----
pkg_installed() {
    [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ]
}

APT_UPDATED=0
apt_update_once() {
    if [ "$APT_UPDATED" = 0 ]; then
        log "apt-get update"
        apt-get update -qq >&2
        APT_UPDATED=1
    fi
}

# install_pkgs PKG...: apt-get install the ones that are missing.
install_pkgs() {
    local missing=() p candidate
    for p in "$@"; do pkg_installed "$p" || missing+=("$p"); done
    [ "${#missing[@]}" = 0 ] && return 0
    # Update only if apt does not know the packages yet.
    for p in "${missing[@]}"; do
        candidate=$(apt-cache policy "$p" 2>/dev/null | awk '/Candidate:/ {print $2}')
        if [ -z "$candidate" ] || [ "$candidate" = "(none)" ]; then apt_update_once; break; fi
    done
    log "apt-get install -y ${missing[*]}"
    # Keep the package's init script from starting a daemon of its own.
    local own_policy=0
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod +x /usr/sbin/policy-rc.d
        own_policy=1
    fi
    local rc=0
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 || rc=$?
    if [ "$rc" != 0 ] && [ "$APT_UPDATED" = 0 ]; then
        # Stale lists (404 on a superseded .deb): refresh and try once more.
        apt_update_once
        rc=0
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 || rc=$?
    fi
    [ "$own_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
    [ "$rc" = 0 ] || die "apt-get install ${missing[*]} failed"
}

# ------------------------------------------------ daemon 1: system 20.10 ----
start_d1() {
    if ping_sock "$D1_SOCK"; then
        log "reusing the daemon already answering on unix://$D1_SOCK"
        return 0
    fi
    [ -x /usr/sbin/dockerd ] || die "/usr/sbin/dockerd missing after installing docker.io"
    if pid_alive "$D1_PIDFILE" dockerd; then
        # Running but not answering yet (still starting, or dying): wait for it.
        log "dockerd (pid $(cat "$D1_PIDFILE")) is running; waiting for it"
        if wait_ping "dockerd (system)" "$D1_SOCK" "$D1_PIDFILE" "$D1_LOG"; then
            return 0
        fi
        pid_alive "$D1_PIDFILE" dockerd &&
            die "the running system dockerd does not answer; try: $0 --stop"
        log "that dockerd has exited; starting a new one"
    fi
    mkdir -p "$(dirname "$D1_LOG")"
    local attempt
    for attempt in 1 2; do
        clear_stale_pidfile "$D1_PIDFILE" dockerd
        # dockerd reuses "its" containerd if the pid in this file looks alive
        clear_stale_pidfile "$D1_CTRD_PIDFILE" containerd
        log "starting system dockerd ($(/usr/sbin/dockerd --version 2>/dev/null || echo '?')), log $D1_LOG"
        # setsid: own session, so the daemon survives the caller's shell/job control.
        setsid /usr/sbin/dockerd \
            --host "unix://$D1_SOCK" \
            --pidfile "$D1_PIDFILE" \
            --bridge none --iptables=false --ip6tables=false \
            </dev/null >>"$D1_LOG" 2>&1 &
        if wait_ping "dockerd (system)" "$D1_SOCK" "$D1_PIDFILE" "$D1_LOG"; then
            return 0
        fi
        pid_alive "$D1_PIDFILE" dockerd && break # hung, not exited: don't start a second one
        [ "$attempt" = 1 ] && log "retrying once"
    done
    die "system dockerd failed to start (log: $D1_LOG)"
}

# --------------------------------------- daemon 2: Debian sid (or trixie) ----

# Print "URI KEYRING" of the machine's main Debian source (deb822 or one-line).
debian_mirror() {
    local codename files=() f
    codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
    for f in /etc/apt/sources.list.d/*.sources; do [ -f "$f" ] && files+=("$f"); done
    if [ "${#files[@]}" -gt 0 ]; then
        awk -v cn="$codename" '
            function flush() {
                if (types ~ /(^| )deb( |$)/ && enabled != "no" && uris != "" &&
                    (" " suites " ") ~ (" " cn " ") && !found) {
                    split(uris, u, " "); print u[1], (signed == "" ? "-" : signed); found = 1
                }
                types = uris = suites = signed = ""; enabled = "yes"
            }
            BEGIN { enabled = "yes" }
            /^[ \t]*#/ { next }
            /^[ \t]*$/ { flush(); next }
            {
                key = tolower($1); sub(/:$/, "", key); $1 = ""; sub(/^ +/, "")
                if (key == "types") types = $0
                else if (key == "uris") uris = $0
                else if (key == "suites") suites = $0
                else if (key == "signed-by") signed = $0
                else if (key == "enabled") enabled = tolower($0)
            }
            END { flush() }' "${files[@]}" | head -n1 | grep . && return 0
    fi
    files=()
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do [ -f "$f" ] && files+=("$f"); done
    if [ "${#files[@]}" -gt 0 ]; then
        awk -v cn="$codename" '
            $1 != "deb" { next }
            {
                i = 2; signed = "-"
                if ($2 ~ /^\[/) {
                    for (; i <= NF; i++) {
                        if ($i ~ /^\[?signed-by=/) { s = $i; sub(/^\[?signed-by=/, "", s); sub(/\]$/, "", s); signed = s }
                        if ($i ~ /\]$/) { i++; break }
                    }
                }
                if ($(i + 1) == cn) { print $i, signed; exit }
            }' "${files[@]}" | head -n1 | grep . && return 0
    fi
    echo "http://deb.debian.org/debian -"
}

# d28_apt SUITE ARGS...: apt-get with a private sources list / lists / cache
d28_apt() {
    local suite=$1; shift
    local dir=$D28_STATE/apt-$suite
    apt-get \
        -o Dir::Etc::SourceList="$dir/sources.list" \
        -o Dir::Etc::SourceParts=/dev/null \
        -o Dir::State::Lists="$dir/lists" \
        -o Dir::Cache="$dir/cache" \
        -o APT::Sandbox::User=root \
        "$@"
}

# fetch_d28 SUITE: make sure $D28_PREFIX_BASE/SUITE holds unpacked docker.io+containerd
fetch_d28() {
    local suite=$1
    local prefix=$D28_PREFIX_BASE/$suite dir=$D28_STATE/apt-$suite
    if [ -f "$prefix/.complete" ] && [ -x "$prefix/usr/sbin/dockerd" ] && [ -x "$prefix/usr/bin/containerd" ]; then
        log "using unpacked $suite packages in $prefix ($(tr '\n' ' ' <"$prefix/.complete"))"
        return 0
    fi
    local mirror uri keyring
    mirror=$(debian_mirror)
    uri=${mirror% *}
    keyring=${mirror#* }
    [ "$keyring" = "-" ] && keyring=/usr/share/keyrings/debian-archive-keyring.gpg
    mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial" "$dir/debs"
    # Only the Packages index is needed (no Translations, Contents or DEP-11).
    printf 'deb [signed-by=%s target=Packages] %s %s main\n' "$keyring" "$uri" "$suite" >"$dir/sources.list"
    log "apt-get update for suite $suite from $uri (private lists in $dir)"
    d28_apt "$suite" -qq update >&2 || { log "apt-get update for $suite failed"; return 1; }
    rm -f "$dir/debs"/*.deb
    log "downloading docker.io and containerd from $suite"
    (cd "$dir/debs" && d28_apt "$suite" -qq download docker.io containerd >&2) ||
        { log "apt-get download from $suite failed"; return 1; }
    local tmp=$prefix.tmp.$$ deb
    rm -rf "$tmp"
    mkdir -p "$tmp"
    for deb in "$dir/debs"/*.deb; do
        log "unpacking $(basename "$deb") into $prefix"
        dpkg-deb -x "$deb" "$tmp"
    done
    # The daemon must use the system's runc (the suite's runc may need a newer
    # glibc); this directory goes first in its PATH.
    mkdir -p "$tmp/runc-bin"
    ln -sf "$SYSTEM_RUNC" "$tmp/runc-bin/runc"
    (cd "$dir/debs" && for deb in *.deb; do echo "$deb"; done) >"$tmp/.complete"
    rm -rf "$prefix"
    mv "$tmp" "$prefix"
}

d28_env_path() {
    local prefix=$1
    echo "$prefix/runc-bin:$prefix/usr/bin:$prefix/usr/sbin:$PATH"
}

# A CA (DIR/ca.pem, DIR/ca-key.pem) and, signed by it, a certificate NAME-cert.pem with
# NAME-key.pem for EXT (openssl x509 extensions).
make_cert() {
    local dir=$1 name=$2 cn=$3 ext=$4
    openssl req -new -newkey rsa:2048 -nodes -keyout "$dir/$name-key.pem" -out "$dir/$name.csr" \
        -subj "/CN=$cn" 2>/dev/null
    printf '%s\n' "$ext" >"$dir/$name.ext"
    openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca-key.pem" -CAcreateserial \
        -out "$dir/$name-cert.pem" -days 3650 -extfile "$dir/$name.ext" 2>/dev/null
}

make_ca() {
    mkdir -p "$1"
    openssl req -x509 -new -newkey rsa:2048 -nodes -keyout "$1/ca-key.pem" -out "$1/ca.pem" \
        -days 3650 -subj "/CN=$2" 2>/dev/null
}

# The test certificates under $D28_TLS (made once).
ensure_tls_certs() {
    [ -f "$D28_TLS/.complete" ] && return 0
    command -v openssl >/dev/null || install_pkgs openssl
    rm -rf "$D28_TLS"
    local ca=$D28_TLS/ca other=$D28_TLS/other
    make_ca "$ca" "docker-engine-api test CA"
    make_cert "$ca" server localhost "subjectAltName=IP:127.0.0.1,DNS:localhost
extendedKeyUsage=serverAuth"
    make_cert "$ca" client client "extendedKeyUsage=clientAuth"
    make_ca "$other" "another CA"
    make_cert "$other" client client "extendedKeyUsage=clientAuth"
    mkdir -p "$D28_TLS/client" "$D28_TLS/ca-only" "$D28_TLS/other-ca"
    cp "$ca/ca.pem" "$D28_TLS/client/ca.pem"
    cp "$ca/client-cert.pem" "$D28_TLS/client/cert.pem"
    cp "$ca/client-key.pem" "$D28_TLS/client/key.pem"
    cp "$ca/ca.pem" "$D28_TLS/ca-only/ca.pem"
    cp "$other/ca.pem" "$D28_TLS/other-ca/ca.pem"
    cp "$other/client-cert.pem" "$D28_TLS/other-ca/cert.pem"
    cp "$other/client-key.pem" "$D28_TLS/other-ca/key.pem"
    chmod -R a+rX "$D28_TLS"
    touch "$D28_TLS/.complete"
    log "made test certificates in $D28_TLS"
}

ping_tls() {
    curl -sf --max-time 3 --cacert "$D28_TLS/client/ca.pem" --cert "$D28_TLS/client/cert.pem" \
        --key "$D28_TLS/client/key.pem" "https://$D28_TLS_ADDR/_ping" >/dev/null 2>&1
}

# start_d28 SUITE: start containerd + dockerd from the unpacked SUITE
start_d28() {
    local suite=$1
    local prefix=$D28_PREFIX_BASE/$suite
    local data=$D28_STATE/data-$suite ctrd_root=$D28_STATE/containerd-$suite
    local path
    path=$(d28_env_path "$prefix")
    # Refuse early if the binaries cannot even run on this libc.
    if ! PATH=$path "$prefix/usr/sbin/dockerd" --version >&2; then
        log "$suite dockerd does not run on this system"
        return 1
    fi
    mkdir -p "$D28_RUN/containerd" "$data" "$ctrd_root" "$(dirname "$D28_LOG")"
    echo "$suite" >"$D28_RUN/suite"
    # containerd of its own, on its own socket (config version 2 is read by
    # containerd 1.7 and migrated by 2.x).
    cat >"$D28_STATE/containerd-$suite.toml" <<EOF
version = 2
root = "$ctrd_root"
state = "$D28_RUN/containerd"
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.cri.v1.images", "io.containerd.cri.v1.runtime", "io.containerd.nri.v1.nri"]
[grpc]
  address = "$D28_CTRD_SOCK"
[plugins."io.containerd.internal.v1.opt"]
  path = "$ctrd_root/opt"
EOF
    echo '{}' >"$D28_STATE/daemon.json"
    if ! { [ -S "$D28_CTRD_SOCK" ] && pid_alive "$D28_CTRD_PIDFILE" containerd; }; then
        stop_pidfile "containerd ($suite)" "$D28_CTRD_PIDFILE" containerd 10
        rm -f "$D28_CTRD_SOCK" "$D28_CTRD_SOCK.ttrpc"
        log "starting $suite containerd, log $D28_CTRD_LOG"
        PATH=$path setsid "$prefix/usr/bin/containerd" --config "$D28_STATE/containerd-$suite.toml" \
            </dev/null >>"$D28_CTRD_LOG" 2>&1 &
        echo $! >"$D28_CTRD_PIDFILE"
        local i
        for ((i = 0; i < START_TIMEOUT * 4; i++)); do
            [ -S "$D28_CTRD_SOCK" ] && break
            pid_alive "$D28_CTRD_PIDFILE" || break
            sleep 0.25
        done
        if [ ! -S "$D28_CTRD_SOCK" ]; then
            log "$suite containerd did not create $D28_CTRD_SOCK; last lines of $D28_CTRD_LOG:"
            tail -n 30 "$D28_CTRD_LOG" >&2 || true
            stop_pidfile "containerd ($suite)" "$D28_CTRD_PIDFILE" containerd 10
            return 1
        fi
    fi
    clear_stale_pidfile "$D28_PIDFILE" dockerd
    log "starting $suite dockerd ($("$prefix/usr/sbin/dockerd" --version)), log $D28_LOG"
    PATH=$path setsid "$prefix/usr/sbin/dockerd" \
        --config-file "$D28_STATE/daemon.json" \
        --host "unix://$D28_SOCK" \
        --host "tcp://$D28_TLS_ADDR" \
        --tlsverify --tlscacert "$D28_TLS/ca/ca.pem" \
        --tlscert "$D28_TLS/ca/server-cert.pem" --tlskey "$D28_TLS/ca/server-key.pem" \
        --containerd "$D28_CTRD_SOCK" \
        --data-root "$data" \
        --exec-root "$D28_RUN/exec" \
        --pidfile "$D28_PIDFILE" \
        --cgroup-parent /docker28 \
        --bridge none --iptables=false --ip6tables=false \
        </dev/null >>"$D28_LOG" 2>&1 &
    if ! wait_ping "dockerd ($suite)" "$D28_SOCK" "$D28_PIDFILE" "$D28_LOG"; then
        stop_pidfile "dockerd ($suite)" "$D28_PIDFILE" dockerd 20
        stop_pidfile "containerd ($suite)" "$D28_CTRD_PIDFILE" containerd 10
        return 1
    fi
}

ensure_d28() {
    ensure_tls_certs
    if ping_sock "$D28_SOCK" && ping_tls; then
        log "reusing the daemon already answering on unix://$D28_SOCK and tcp://$D28_TLS_ADDR ($(cat "$D28_RUN/suite" 2>/dev/null || echo '?'))"
        return 0
    fi
    if ping_sock "$D28_SOCK"; then
        log "the daemon on unix://$D28_SOCK does not answer TLS on $D28_TLS_ADDR; restarting it"
        stop_pidfile "dockerd (docker28)" "$D28_PIDFILE" dockerd 40
    fi
    if pid_alive "$D28_PIDFILE" dockerd; then
        log "second dockerd (pid $(cat "$D28_PIDFILE")) is running; waiting for it"
        wait_ping "dockerd (docker28)" "$D28_SOCK" "$D28_PIDFILE" "$D28_LOG" && return 0
        stop_pidfile "dockerd (docker28)" "$D28_PIDFILE" dockerd 20
    fi
    local suite attempt
    for suite in "$D28_SUITE" "$D28_FALLBACK_SUITE"; do
        [ -n "$suite" ] || continue
        fetch_d28 "$suite" || { log "could not get docker.io from $suite"; continue; }
        for attempt in 1 2; do
            if start_d28 "$suite"; then
                return 0
            fi
            # (a different suite needs its own containerd)
            stop_pidfile "containerd" "$D28_CTRD_PIDFILE" containerd 10
        done
        log "docker.io from $suite did not start; trying the next suite"
    done
    die "no second Docker daemon could be started (tried: $D28_SUITE $D28_FALLBACK_SUITE; logs: $D28_LOG $D28_CTRD_LOG)"
}

# ------------------------------------------------------ 3: the registry -----
# ping_registry -> 0 if our registry answers (it knows this machine's test password)
ping_registry() {
    [ "$(curl -s --max-time 3 -o /dev/null -w '%{http_code}' -u "$REG_USER:$(cat "$REG_STATE/password")" \
        "http://$REG_ADDR/v2/" 2>/dev/null || true)" = 200 ]
}

ensure_registry() {
    if [ ! -f "$REG_STATE/.complete" ]; then
        rm -rf "$REG_STATE"
        mkdir -p "$REG_STATE/data"
        # A password of this machine's own; tests read it from the printed variable.
        head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$REG_STATE/password"
        htpasswd -Bbn "$REG_USER" "$(cat "$REG_STATE/password")" >"$REG_STATE/htpasswd"
        cat >"$REG_STATE/config.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $REG_STATE/data
  delete:
    enabled: true
http:
  addr: $REG_ADDR
auth:
  htpasswd:
    realm: docker-engine-api-test
    path: $REG_STATE/htpasswd
EOF
        touch "$REG_STATE/.complete"
    fi
    if ping_registry; then
        log "reusing the registry answering on http://$REG_ADDR"
        return 0
    fi
    stop_pidfile registry "$REG_PIDFILE" docker-registry 10
    mkdir -p "$(dirname "$REG_LOG")"
    log "starting docker-registry on http://$REG_ADDR, log $REG_LOG"
    setsid /usr/bin/docker-registry serve "$REG_STATE/config.yml" </dev/null >>"$REG_LOG" 2>&1 &
    echo $! >"$REG_PIDFILE"
    local i
    for ((i = 0; i < START_TIMEOUT * 4; i++)); do
        ping_registry && { log "registry answers on http://$REG_ADDR"; return 0; }
        pid_alive "$REG_PIDFILE" || break
        sleep 0.25
    done
    tail -n 20 "$REG_LOG" >&2 || true
    die "the test registry did not start on $REG_ADDR (log: $REG_LOG)"
}

# ------------------------------------------------------- 4: the ssh server -----
ping_ssh() {
    ssh -F "$SSH_STATE/ssh_config" -p "$SSH_PORT" -o BatchMode=yes -o ConnectTimeout=3 \
        "root@$SSH_ADDR" true </dev/null >/dev/null 2>&1
}

ensure_sshd() {
    if [ ! -f "$SSH_STATE/.complete" ]; then
        rm -rf "$SSH_STATE"
        mkdir -p "$SSH_STATE"
        chmod 700 "$SSH_STATE"
        ssh-keygen -q -t ed25519 -N '' -C docker-test-host -f "$SSH_STATE/host_ed25519"
        ssh-keygen -q -t ed25519 -N '' -C docker-test-client -f "$SSH_STATE/client_ed25519"
        cp "$SSH_STATE/client_ed25519.pub" "$SSH_STATE/authorized_keys"
        echo "[$SSH_ADDR]:$SSH_PORT $(cut -d' ' -f1,2 "$SSH_STATE/host_ed25519.pub")" >"$SSH_STATE/known_hosts"
        cat >"$SSH_STATE/sshd_config" <<EOF
Port $SSH_PORT
ListenAddress $SSH_ADDR
HostKey $SSH_STATE/host_ed25519
AuthorizedKeysFile $SSH_STATE/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PidFile $SSH_PIDFILE
EOF
        cat >"$SSH_STATE/ssh_config" <<EOF
Host *
  IdentityFile $SSH_STATE/client_ed25519
  IdentitiesOnly yes
  UserKnownHostsFile $SSH_STATE/known_hosts
  StrictHostKeyChecking yes
EOF
        touch "$SSH_STATE/.complete"
    fi
    if ping_ssh; then
        log "reusing the ssh server answering on $SSH_ADDR:$SSH_PORT"
        return 0
    fi
    stop_pidfile sshd "$SSH_PIDFILE" sshd 10
    mkdir -p /run/sshd "$(dirname "$SSH_LOG")"
    log "starting sshd on $SSH_ADDR:$SSH_PORT, log $SSH_LOG"
    /usr/sbin/sshd -f "$SSH_STATE/sshd_config" -E "$SSH_LOG" || die "sshd did not start (log: $SSH_LOG)"
    local i
    for ((i = 0; i < START_TIMEOUT * 4; i++)); do
        ping_ssh && { log "ssh server answers on $SSH_ADDR:$SSH_PORT"; return 0; }
        sleep 0.25
    done
    tail -n 20 "$SSH_LOG" >&2 || true
    die "the test ssh server does not let the test key in (log: $SSH_LOG)"
}

# ------------------------------------------------------------ 5: Podman -----
# podman_cmd ARGS...: the podman CLI on the test storage, with the test containers.conf.
podman_cmd() {
    CONTAINERS_CONF=$PODMAN_STATE/containers.conf podman \
        --root "$PODMAN_STATE/storage" --runroot "$PODMAN_RUN/storage" "$@"
}

# The private containers.conf. Root here may lack CAP_SYS_RESOURCE; Podman (and the RUN steps
# of its builds) would then set nofile and nproc above the hard limits and every container
# start fails ("error setting rlimit"). The defaults stay at or below the hard limits, and nproc
# at or below pid_max (the service lowers its own nproc limit to that).
write_podman_conf() {
    local nofile nproc pid_max
    nofile=$(ulimit -Hn)
    nproc=$(ulimit -Hu)
    pid_max=$(cat /proc/sys/kernel/pid_max)
    if [ "$nofile" = unlimited ] || [ "$nofile" -gt 1048576 ]; then nofile=1048576; fi
    if [ "$nproc" = unlimited ] || [ "$nproc" -gt "$pid_max" ]; then nproc=$pid_max; fi
    cat >"$PODMAN_STATE/containers.conf.new" <<EOF
# Written by scripts/test-daemons.sh for the test Podman service.
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
# No network for any container (as --bridge none for the Docker daemons).
netns = "none"

[engine]
# No systemd nor journald on this machine.
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$PODMAN_RUN/events.log"
# The system's runc, as the Docker daemons use.
runtime = "runc"
tmp_dir = "$PODMAN_RUN/libpod"
EOF
    mv "$PODMAN_STATE/containers.conf.new" "$PODMAN_STATE/containers.conf"
}

# The pids of the conmon processes of the test storage: each container has one, and each exec
# session leaves one waiting 300 s (`--exit-delay 300`) after the exec has ended.
podman_conmon_pids() {
    local dir
    for dir in /proc/[0-9]*; do
        [ "$(cat "$dir/comm" 2>/dev/null)" = conmon ] || continue
        tr '\0' '\n' <"$dir/cmdline" 2>/dev/null | grep -qxF -- "$PODMAN_STATE/storage" || continue
        echo "${dir#/proc/}"
    done
}

ensure_podman() {
    install_pkgs podman
    mkdir -p "$PODMAN_STATE" "$PODMAN_RUN" "$(dirname "$PODMAN_LOG")"
    write_podman_conf
    if ping_sock "$PODMAN_SOCK"; then
        log "reusing the Podman service answering on unix://$PODMAN_SOCK"
        return 0
    fi
    if pid_alive "$PODMAN_PIDFILE" podman; then
        log "the Podman service (pid $(cat "$PODMAN_PIDFILE")) is running; waiting for it"
        wait_ping "podman" "$PODMAN_SOCK" "$PODMAN_PIDFILE" "$PODMAN_LOG" && return 0
        stop_podman
    fi
    clear_stale_pidfile "$PODMAN_PIDFILE" podman
    rm -f "$PODMAN_SOCK"
    log "starting the Podman service ($(podman --version)), log $PODMAN_LOG"
    # --time=0: the service never exits for being idle.
    (cd / && CONTAINERS_CONF=$PODMAN_STATE/containers.conf exec setsid podman \
        --root "$PODMAN_STATE/storage" --runroot "$PODMAN_RUN/storage" \
        system service --time=0 "unix://$PODMAN_SOCK" </dev/null >>"$PODMAN_LOG" 2>&1) &
    echo $! >"$PODMAN_PIDFILE"
    if ! wait_ping "podman" "$PODMAN_SOCK" "$PODMAN_PIDFILE" "$PODMAN_LOG"; then
        stop_podman
        die "the Podman service did not start (log: $PODMAN_LOG)"
    fi
}

# Stops the service, its containers and every conmon process of the test storage.
stop_podman() {
    # The containers first, so that their conmon processes end with them.
    if command -v podman >/dev/null && [ -f "$PODMAN_STATE/containers.conf" ]; then
        podman_cmd stop --all --time 2 >/dev/null 2>&1 || log "podman stop --all failed"
    fi
    stop_pidfile "podman service" "$PODMAN_PIDFILE" podman 20
    local pids pid i
    pids=$(podman_conmon_pids)
    if [ -n "$pids" ]; then
        log "stopping the conmon processes left by exec sessions (pids $(echo $pids))"
        for pid in $pids; do kill -TERM "$pid" 2>/dev/null || true; done
        for ((i = 0; i < 20; i++)); do
            pids=$(podman_conmon_pids)
            [ -n "$pids" ] || break
            sleep 0.25
        done
        for pid in $pids; do kill -KILL "$pid" 2>/dev/null || true; done
    fi
    rm -f "$PODMAN_SOCK"
}

# ------------------------------------------------------------------ main -----
do_stop() {
    need_root
    stop_pidfile "dockerd (docker28)" "$D28_PIDFILE" dockerd 40
    stop_pidfile "containerd (docker28)" "$D28_CTRD_PIDFILE" containerd 15
    rm -f "$D28_SOCK"
    # Only a daemon started through its pid file (ours or the init script's).
    stop_pidfile "dockerd (system)" "$D1_PIDFILE" dockerd 40
    stop_pidfile registry "$REG_PIDFILE" docker-registry 10
    stop_pidfile sshd "$SSH_PIDFILE" sshd 10
    stop_podman
    log "stopped"
}

do_status() {
    local s
    for s in "$D1_SOCK" "$D28_SOCK"; do
        if ping_sock "$s"; then
            printf 'unix://%s: %s\n' "$s" \
                "$(curl -s --max-time 3 --unix-socket "$s" http://d/version |
                    sed -E 's/.*"Version":"([^"]*)".*"ApiVersion":"([^"]*)".*/Engine \1, API \2/')"
        else
            printf 'unix://%s: not answering\n' "$s"
        fi
    done
    if ping_sock "$PODMAN_SOCK"; then
        printf 'unix://%s: %s\n' "$PODMAN_SOCK" \
            "$(curl -s --max-time 3 --unix-socket "$PODMAN_SOCK" http://d/version |
                sed -E 's/.*"ApiVersion":"([^"]*)".*/API \1/') (Podman $(podman --version | awk '{print $3}'))"
    else
        printf 'unix://%s: not answering\n' "$PODMAN_SOCK"
    fi
}

# Only Podman: for working on it while others use the Docker daemons.
do_start_podman() {
    need_root
    command -v curl >/dev/null || install_pkgs curl
    ensure_podman
    printf 'export DOCKER_TEST_PODMAN=unix://%s\n' "$PODMAN_SOCK"
}

do_start() {
    need_root
    command -v curl >/dev/null || install_pkgs curl
    install_pkgs docker.io busybox-static docker-registry apache2-utils openssh-server openssh-client
    [ -x "$SYSTEM_RUNC" ] || die "$SYSTEM_RUNC missing (package runc)"
    [ -x "$BUSYBOX" ] || die "$BUSYBOX missing after installing busybox-static"
    if ldd "$BUSYBOX" >/dev/null 2>&1; then die "$BUSYBOX is not statically linked"; fi

    start_d1
    ensure_registry
    ensure_sshd
    local hosts="unix://$D1_SOCK"
    if [ "${DOCKER_TEST_SKIP_DOCKER28:-0}" != 1 ]; then
        ensure_d28
        hosts="$hosts unix://$D28_SOCK"
    fi
    ensure_podman
    log "ready: $hosts, and Podman on unix://$PODMAN_SOCK"
    printf 'export DOCKER_TEST_HOSTS="%s"\n' "$hosts"
    printf 'export DOCKER_TEST_BUSYBOX=%s\n' "$BUSYBOX"
    # A dockerd binary the daemon-death test starts, kills and restarts on its own socket.
    printf 'export DOCKER_TEST_DOCKERD=%s\n' /usr/sbin/dockerd
    printf 'export DOCKER_TEST_REGISTRY=%s\n' "$REG_ADDR"
    printf 'export DOCKER_TEST_REGISTRY_AUTH=%s:%s\n' "$REG_USER" "$(cat "$REG_STATE/password")"
    printf 'export DOCKER_TEST_SSH_HOST=ssh://root@%s:%s\n' "$SSH_ADDR" "$SSH_PORT"
    printf 'export DOCKER_TEST_SSH_CONFIG=%s\n' "$SSH_STATE/ssh_config"
    if [ "${DOCKER_TEST_SKIP_DOCKER28:-0}" != 1 ]; then
        printf 'export DOCKER_TEST_TLS_HOST=tcp://%s\n' "$D28_TLS_ADDR"
        printf 'export DOCKER_TEST_TLS_CERTS=%s\n' "$D28_TLS"
    fi
    printf 'export DOCKER_TEST_PODMAN=unix://%s\n' "$PODMAN_SOCK"
}

case "${1:-}" in
"" | --start) do_start ;;
--stop) do_stop ;;
--status) do_status ;;
--start-podman) do_start_podman ;;
--stop-podman) need_root; stop_podman; log "Podman stopped" ;;
-h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2 ;;
*) die "unknown option: $1 (use --stop, --status, --start-podman, --stop-podman or --help)" ;;
esac
