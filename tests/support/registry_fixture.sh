#!/usr/bin/env bash
# The one local registry fixture of the tests and benchmarks (C++ live tests through
# tests/support/live_registry.h, the Neovim and LSP end-to-end tests, bench/lib.sh): Debian's
# docker-registry (Distribution) on a 127.0.0.1 port of its own, with TLS from a CA made here,
# htpasswd Basic auth, token auth or no auth, optionally as a pull-through cache.
#
# Usage:
#   registry_fixture.sh start DIR [options]   prepare DIR, start the registry, wait until it answers
#   registry_fixture.sh prepare DIR [options] only the files (certificates, htpasswd, client files)
#   registry_fixture.sh certs DIR             only a CA (ca.crt/key) and a server certificate for
#                                             127.0.0.1 (server.crt/key), kept if already there
#   registry_fixture.sh stop DIR [--keep]     stop the registry; remove DIR unless --keep
# Options:
#   --plain                 plain HTTP (default: TLS with the CA in DIR)
#   --auth none|htpasswd|token   (default htpasswd)
#   --token-realm URL --token-cert FILE   token auth: the issuer, and the certificate its tokens carry
#   --proxy-remote URL      a pull-through cache of URL
#   --trust-ca FILE         a CA the registry itself trusts (a TLS remote of a cache)
#   --user U --password P   the htpasswd user (default tester / s3cret-pw)
#   --port N                the port (default: a free one, or $REGISTRY_PORT)
#   --storage DIR2          the storage directory (default DIR/data)
# Several registries run at once, each in its own DIR. A restart on the same DIR keeps the CA.
#
# DIR/registry.env (shell, for `source`) and DIR/registry.json hold the same facts: host
# (127.0.0.1:PORT), port, url, tls, auth, ca (the CA file; empty over plain HTTP), certs_dir (a
# Docker certs.d: <host>/ca.crt), user, password, docker_config (a Docker config.json with the
# credentials), pid, log.
set -euo pipefail

die() {
    echo "registry_fixture: $*" >&2
    exit 1
}

# A CA and a server certificate for 127.0.0.1, the extensions strict clients (Go) want.
make_certs() {
    local d=$1
    [[ -f $d/server.crt ]] && return 0
    mkdir -p "$d"
    {
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 7 \
            -subj /CN=envbuilder-test-ca -keyout "$d/ca.key" -out "$d/ca.crt" \
            -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
        openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=127.0.0.1 \
            -keyout "$d/server.key" -out "$d/server.csr"
        printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' >"$d/server.ext"
        openssl x509 -req -in "$d/server.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial \
            -days 7 -extfile "$d/server.ext" -out "$d/server.crt"
    } >"$d/openssl.log" 2>&1 || die "openssl failed: $(tail -5 "$d/openssl.log")"
}

free_port() {
    if command -v python3 >/dev/null; then
        python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
    else
        node -e 'const s=require("net").createServer(); s.listen(0,"127.0.0.1",()=>{console.log(s.address().port); s.close();})'
    fi
}

# Whether process $1 still runs (a zombie waiting for its reaper does not).
running() {
    local state
    state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
    [[ $state != Z* ]]
}

stop_pid() {
    local pid=$1 i
    running "$pid" || return 0
    kill "$pid" 2>/dev/null || return 0
    for ((i = 0; i < 100; i++)); do
        running "$pid" || return 0
        sleep 0.05
    done
    kill -9 "$pid" 2>/dev/null || true
}

cmd=${1:-}
dir=${2:-}
[[ -n $cmd && -n $dir ]] || die "usage: registry_fixture.sh start|prepare|certs|stop DIR [options]"
shift 2

case $cmd in
certs)
    make_certs "$dir"
    exit 0
    ;;
stop)
    keep=0
    [[ ${1:-} == --keep ]] && keep=1
    if [[ -f $dir/registry.pid ]]; then
        stop_pid "$(cat "$dir/registry.pid")"
        rm -f "$dir/registry.pid"
    fi
    [[ $keep == 1 ]] || rm -rf "$dir"
    exit 0
    ;;
start | prepare) ;;
*) die "unknown command '$cmd'" ;;
esac

tls=1 auth=htpasswd token_realm= token_cert= proxy_remote= trust_ca=
user=tester password=s3cret-pw port=${REGISTRY_PORT:-} storage=
while (($#)); do
    case $1 in
    --plain) tls=0 ;;
    --auth) auth=$2; shift ;;
    --token-realm) token_realm=$2; shift ;;
    --token-cert) token_cert=$2; shift ;;
    --proxy-remote) proxy_remote=$2; shift ;;
    --trust-ca) trust_ca=$2; shift ;;
    --user) user=$2; shift ;;
    --password) password=$2; shift ;;
    --port) port=$2; shift ;;
    --storage) storage=$2; shift ;;
    *) die "unknown option '$1'" ;;
    esac
    shift
done
case $auth in
none | htpasswd) ;;
token) [[ -n $token_realm && -n $token_cert ]] || die "--auth token needs --token-realm and --token-cert" ;;
*) die "unknown --auth '$auth'" ;;
esac

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
storage=${storage:-$dir/data}
mkdir -p "$storage"
[[ -n $port ]] || port=$(free_port)
[[ $port =~ ^[0-9]+$ ]] || die "no free port"
host=127.0.0.1:$port

ca=
if [[ $tls == 1 ]]; then
    make_certs "$dir"
    ca=$dir/ca.crt
    mkdir -p "$dir/certs.d/$host"
    cp "$ca" "$dir/certs.d/$host/ca.crt"
fi
htpasswd -Bbn "$user" "$password" >"$dir/htpasswd" 2>/dev/null || die "htpasswd failed (apt-get install apache2-utils)"
mkdir -p "$dir/docker"
# Both forms: "auth" for containers/image (skopeo, buildah), username/password for the rest.
printf '{"auths":{"%s":{"auth":"%s","username":"%s","password":"%s"}}}\n' "$host" \
    "$(printf '%s:%s' "$user" "$password" | base64 -w0)" "$user" "$password" >"$dir/docker/config.json"

{
    echo "version: 0.1"
    echo "log: {level: error, accesslog: {disabled: true}}"
    echo "storage: {filesystem: {rootdirectory: $storage}, delete: {enabled: true}, maintenance: {uploadpurging: {enabled: false}}}"
    echo "http:"
    echo "  addr: $host"
    echo "  secret: envbuilder-test"
    [[ $tls == 1 ]] && echo "  tls: {certificate: $dir/server.crt, key: $dir/server.key}"
    [[ $auth == htpasswd ]] && echo "auth: {htpasswd: {realm: envbuilder-test, path: $dir/htpasswd}}"
    [[ $auth == token ]] && echo "auth: {token: {realm: \"$token_realm\", service: envbuilder-registry, issuer: envbuilder-test-issuer, rootcertbundle: $token_cert}}"
    [[ -n $proxy_remote ]] && echo "proxy: {remoteurl: \"$proxy_remote\"}"
    true
} >"$dir/config.yml"

scheme=https
[[ $tls == 1 ]] || scheme=http
write_facts() {
    local pid=$1
    cat >"$dir/registry.env" <<EOF
REGISTRY_HOST=$host
REGISTRY_PORT=$port
REGISTRY_URL=$scheme://$host
REGISTRY_TLS=$tls
REGISTRY_AUTH=$auth
REGISTRY_CA=$ca
REGISTRY_CERTS_DIR=$dir/certs.d
REGISTRY_USER=$user
REGISTRY_PASSWORD=$password
REGISTRY_DOCKER_CONFIG=$dir/docker/config.json
REGISTRY_PID=$pid
REGISTRY_LOG=$dir/registry.log
EOF
    printf '{"host":"%s","port":%s,"url":"%s","tls":%s,"auth":"%s","ca":"%s","certs_dir":"%s","user":"%s","password":"%s","docker_config":"%s","pid":%s,"log":"%s"}\n' \
        "$host" "$port" "$scheme://$host" "$([[ $tls == 1 ]] && echo true || echo false)" "$auth" "$ca" \
        "$dir/certs.d" "$user" "$password" "$dir/docker/config.json" "${pid:-null}" "$dir/registry.log" \
        >"$dir/registry.json"
}

if [[ $cmd == prepare ]]; then
    write_facts ""
    exit 0
fi

command -v docker-registry >/dev/null || die "docker-registry not found (apt-get install docker-registry)"
[[ -f $dir/registry.pid ]] && stop_pid "$(cat "$dir/registry.pid")"
# The registry outlives this script (`stop` ends it); its output goes to the log, so a caller
# reading our output (popen) is not held open. Go reads SSL_CERT_FILE: the CA a cache trusts for
# its remote.
if [[ -n $trust_ca ]]; then
    SSL_CERT_FILE=$trust_ca docker-registry serve "$dir/config.yml" >>"$dir/registry.log" 2>&1 </dev/null &
else
    docker-registry serve "$dir/config.yml" >>"$dir/registry.log" 2>&1 </dev/null &
fi
pid=$!
echo "$pid" >"$dir/registry.pid"
curl_tls=()
[[ $tls == 1 ]] && curl_tls=(--cacert "$ca")
for ((i = 0; i < 200; i++)); do
    # Any HTTP answer (200, or 401 with auth) means it serves.
    code=$(curl -s -o /dev/null -w '%{http_code}' "${curl_tls[@]}" "$scheme://$host/v2/" 2>/dev/null || true)
    if [[ $code =~ ^[1-5][0-9][0-9]$ ]]; then
        write_facts "$pid"
        exit 0
    fi
    running "$pid" || die "the registry exited: $(tail -5 "$dir/registry.log")"
    sleep 0.05
done
stop_pid "$pid"
die "the registry did not answer on $host: $(tail -5 "$dir/registry.log")"
