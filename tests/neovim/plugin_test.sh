#!/usr/bin/env bash
# Headless tests of the Neovim plugin (editors/neovim) with the real server:
#   plugin/loading_test.lua      loading, commands, ftdetect, roots, clients, handlers
#   plugin/diagnostics_test.lua  diagnostics on open, edit and save; settings
#   plugin/build_test.lua        :EnvbuilderBuild, :EnvbuilderPush (to a local registry),
#                                a failing RUN's BuildFailed diagnostic, :EnvbuilderCancel
# Each file runs in its own `nvim --headless -u NONE -i NONE`. The build tests need root; they
# use a busybox base image made by tests/support/base_images.sh (in $BASE_IMAGES_DIR if set, to be
# reused; else in the temporary directory) and a plain-HTTP docker-registry started here on a free
# 127.0.0.1 port (or $REGISTRY, host:port, if given).
#
# Usage: ENVBUILDER_BINARY=build/envbuilder bash tests/neovim/plugin_test.sh [loading|diagnostics|build ...]
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
export ENVBUILDER_BINARY=${ENVBUILDER_BINARY:?ENVBUILDER_BINARY must name the envbuilder binary}
ENVBUILDER_BINARY=$(cd "$(dirname "$ENVBUILDER_BINARY")" && pwd)/$(basename "$ENVBUILDER_BINARY")

work=$(mktemp -d)
registry_pid=
cleanup() {
    if [[ -n $registry_pid ]]; then
        kill "$registry_pid" 2>/dev/null
        wait "$registry_pid" 2>/dev/null
    fi
    rm -rf "$work"
}
trap cleanup EXIT

failed=0
fail() {
    echo "FAIL $*"
    failed=1
}

# A free 127.0.0.1 port, asked of the OS through Neovim's libuv.
free_port() {
    nvim --headless -u NONE -i NONE \
        -c 'lua local s = vim.loop.new_tcp(); s:bind("127.0.0.1", 0); io.stdout:write(s:getsockname().port); s:close()' \
        -c 'qa!' </dev/null 2>/dev/null
}

start_registry() {
    command -v docker-registry >/dev/null || { fail "docker-registry not found (apt-get install docker-registry)"; return 1; }
    local port
    port=$(free_port)
    [[ $port =~ ^[0-9]+$ ]] || { fail "no free port"; return 1; }
    mkdir -p "$work/registry/data"
    cat >"$work/registry/config.yml" <<YML
version: 0.1
log: {level: error}
storage: {filesystem: {rootdirectory: $work/registry/data}}
http:
  addr: 127.0.0.1:$port
YML
    docker-registry serve "$work/registry/config.yml" >"$work/registry/log" 2>&1 &
    registry_pid=$!
    local i
    for ((i = 0; i < 100; i++)); do
        if curl -fsS "http://127.0.0.1:$port/v2/" >/dev/null 2>&1; then
            REGISTRY=127.0.0.1:$port
            echo "registry on $REGISTRY"
            return 0
        fi
        sleep 0.1
    done
    fail "docker-registry did not start: $(cat "$work/registry/log")"
    return 1
}

run_lua() {
    local name=$1
    shift
    mkdir -p "$work/$name"
    (cd "$work/$name" && env WORKDIR="$work/$name" "$@" timeout 900 nvim --headless -u NONE -i NONE \
        --cmd "set rtp^=$repo/editors/neovim" \
        --cmd "lua package.path = '$here/plugin/?.lua;' .. package.path" \
        -c "luafile $here/plugin/${name}_test.lua" </dev/null 2>&1)
    local status=$?
    [[ $status -eq 0 ]] || fail "$name (nvim exited with $status)"
}

tests=("$@")
[[ ${#tests[@]} -gt 0 ]] || tests=(loading diagnostics build)

for t in "${tests[@]}"; do
    case "$t" in
    loading | diagnostics)
        run_lua "$t"
        ;;
    build)
        if [[ $EUID -ne 0 ]]; then
            echo "skip build tests (they need root)"
            continue
        fi
        images=${BASE_IMAGES_DIR:-$work/images}
        if ! bash "$repo/tests/support/base_images.sh" "$images" busybox >"$work/base_images.log" 2>&1; then
            fail "base image: $(tail -n 20 "$work/base_images.log")"
            continue
        fi
        if [[ -z ${REGISTRY:-} ]]; then
            start_registry || continue
        fi
        run_lua build BASE_IMAGES="$images" REGISTRY="$REGISTRY"
        ;;
    *)
        fail "unknown test '$t' (loading, diagnostics, build)"
        ;;
    esac
done

if [[ $failed -ne 0 ]]; then
    echo "neovim plugin: FAILED"
    exit 1
fi
echo "neovim plugin: all passed"
