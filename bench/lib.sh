# bench/lib.sh - what the benchmarks that need a local registry share: the registry of the tests'
# fixture (tests/support/registry_fixture.sh: Debian's Distribution registry with TLS from a CA of
# its own and htpasswd Basic auth) restarted on a given storage directory; and a private copy of
# the envbuilder binary.
# Sourced; sets ROOT (the source tree) and EB_SOURCE (the binary to copy: $ENVBUILDER, else
# build/envbuilder); the caller sets RUN, LOGS, USER_NAME, USER_PASS and defines die().
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
EB_SOURCE=${ENVBUILDER:-$ROOT/build/envbuilder}
FIXTURE=$ROOT/tests/support/registry_fixture.sh

# Makes the fixture's files in REG_DIR and sets PORT and HOSTPORT (REGISTRY_PORT, else a free
# port), PKI (its ca.crt), CERTS_DIR/<host:port>/ca.crt for envbuilder (ENVBUILDER_CERTS_DIR) and
# the peers, and DOCKER_CFG/config.json with the user's credentials.
make_registry_config() {
    REG_DIR=$RUN/registry
    REG_OPTS=(--auth htpasswd --user "$USER_NAME" --password "$USER_PASS")
    [[ -n ${REGISTRY_PORT:-} ]] && REG_OPTS+=(--port "$REGISTRY_PORT")
    bash "$FIXTURE" prepare "$REG_DIR" "${REG_OPTS[@]}" >"$LOGS/registry-fixture.log" 2>&1 ||
        die "the registry fixture failed (see $LOGS/registry-fixture.log)"
    PORT=$(. "$REG_DIR/registry.env" && echo "$REGISTRY_PORT")
    HOSTPORT=127.0.0.1:$PORT
    REG_OPTS+=(--port "$PORT")
    PKI=$REG_DIR
    CERTS_DIR=$REG_DIR/certs.d
    DOCKER_CFG=$REG_DIR/docker
}

# Starts the registry on storage directory $1 (REG_PID); returns once it answers.
start_registry() {
    bash "$FIXTURE" start "$REG_DIR" "${REG_OPTS[@]}" --storage "$1" >>"$LOGS/registry-fixture.log" 2>&1 ||
        die "the registry did not come up on $HOSTPORT (see $LOGS/registry-fixture.log)"
    REG_PID=$(cat "$REG_DIR/registry.pid")
}

stop_registry() {
    if [[ -n ${REG_PID:-} ]]; then bash "$FIXTURE" stop "$REG_DIR" --keep; fi
    REG_PID=
}

# EB: a private copy of $EB_SOURCE (build/envbuilder may be rebuilt while a benchmark runs),
# waiting up to three minutes for a working one; EB_ID names it with its hash.
copy_envbuilder() {
    local attempt
    for attempt in $(seq 90); do
        if [[ -x $EB_SOURCE ]] && cp "$EB_SOURCE" "$RUN/envbuilder" 2>/dev/null &&
            "$RUN/envbuilder" version >/dev/null 2>&1; then
            break
        fi
        rm -f "$RUN/envbuilder"
        sleep 2
    done
    [[ -x $RUN/envbuilder ]] || die "no working envbuilder binary at $EB_SOURCE"
    EB=$RUN/envbuilder
    EB_ID="$("$EB" version | head -1) (binary sha256 $(sha256sum "$EB" | cut -c1-12))"
}
