# bench/lib.sh - what the benchmarks that need a local registry share: a CA and a server
# certificate for 127.0.0.1, an htpasswd user, and Debian's Distribution registry started with
# TLS and Basic auth on a given storage directory; and a private copy of the envbuilder binary.
# Sourced; the caller sets RUN, LOGS, USER_NAME, USER_PASS, EB_SOURCE and defines die().

# Makes $PKI (ca.crt, server.crt/key, htpasswd).
make_registry_pki() {
    PKI=$RUN/pki
    mkdir -p "$PKI"
    {
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 7 \
            -subj /CN=envbuilder-bench-ca -keyout "$PKI/ca.key" -out "$PKI/ca.crt" \
            -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
        openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=127.0.0.1 \
            -keyout "$PKI/server.key" -out "$PKI/server.csr"
        printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' >"$PKI/server.ext"
        openssl x509 -req -in "$PKI/server.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial -days 7 \
            -extfile "$PKI/server.ext" -out "$PKI/server.crt"
    } >"$LOGS/openssl.log" 2>&1 || die "openssl failed (see $LOGS/openssl.log)"
    htpasswd -Bbn "$USER_NAME" "$USER_PASS" >"$PKI/htpasswd"
}

# Picks HOSTPORT (REGISTRY_PORT, else a free port), makes the PKI, and the client side:
# CERTS_DIR/<host:port>/ca.crt for envbuilder (ENVBUILDER_CERTS_DIR) and the peers, and
# DOCKER_CFG/config.json with the user's credentials.
make_registry_config() {
    PORT=${REGISTRY_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
    HOSTPORT=127.0.0.1:$PORT
    make_registry_pki
    CERTS_DIR=$RUN/certs.d
    mkdir -p "$CERTS_DIR/$HOSTPORT"
    cp "$PKI/ca.crt" "$CERTS_DIR/$HOSTPORT/ca.crt"
    DOCKER_CFG=$RUN/docker-config
    mkdir -p "$DOCKER_CFG"
    printf '{"auths":{"%s":{"auth":"%s"}}}\n' "$HOSTPORT" "$(printf '%s:%s' "$USER_NAME" "$USER_PASS" | base64 -w0)" \
        >"$DOCKER_CFG/config.json"
}

# Starts the registry on storage directory $1 (REG_PID); returns once it answers.
start_registry() {
    local store=$1 cfg=$RUN/registry.yml i code
    mkdir -p "$store"
    cat >"$cfg" <<EOF
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $store
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: $HOSTPORT
  secret: envbuilder-bench
  tls:
    certificate: $PKI/server.crt
    key: $PKI/server.key
auth:
  htpasswd:
    realm: envbuilder-bench
    path: $PKI/htpasswd
EOF
    docker-registry serve "$cfg" >>"$LOGS/registry.log" 2>&1 &
    REG_PID=$!
    for ((i = 0; i < 100; i++)); do
        code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$PKI/ca.crt" "https://$HOSTPORT/v2/" || true)
        [[ $code == 401 ]] && return 0
        kill -0 "$REG_PID" 2>/dev/null || die "the registry exited (see $LOGS/registry.log)"
        sleep 0.1
    done
    die "the registry did not come up on $HOSTPORT"
}

stop_registry() {
    if [[ -n $REG_PID ]]; then kill "$REG_PID" 2>/dev/null || true; wait "$REG_PID" 2>/dev/null || true; fi
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
