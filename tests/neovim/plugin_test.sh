#!/usr/bin/env bash
# Headless tests of the Neovim plugin (editors/neovim) with the real server:
#   plugin/loading_test.lua      loading, commands, ftdetect, roots, clients, handlers
#   plugin/diagnostics_test.lua  diagnostics on open, edit and save; settings
#   plugin/build_test.lua        :EnvbuilderBuild, :EnvbuilderPush (to a local registry),
#                                a failing RUN's BuildFailed diagnostic, :EnvbuilderCancel
# Each file runs in its own `nvim --headless -u NONE -i NONE`. The build tests need root; they
# use a busybox base image made by tests/support/base_images.sh (in $BASE_IMAGES_DIR if set, to be
# reused; else in the temporary directory) and a plain-HTTP docker-registry on a free 127.0.0.1
# port from tests/support/registry_fixture.sh (or $REGISTRY, host:port, if given).
#
# Usage: ENVBUILDER_BINARY=build/envbuilder bash tests/neovim/plugin_test.sh [loading|diagnostics|build ...]
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
export ENVBUILDER_BINARY=${ENVBUILDER_BINARY:?ENVBUILDER_BINARY must name the envbuilder binary}
ENVBUILDER_BINARY=$(cd "$(dirname "$ENVBUILDER_BINARY")" && pwd)/$(basename "$ENVBUILDER_BINARY")

work=$(mktemp -d)
fixture=$repo/tests/support/registry_fixture.sh
cleanup() {
    [[ -f $work/registry/registry.pid ]] && bash "$fixture" stop "$work/registry"
    rm -rf "$work"
}
trap cleanup EXIT

failed=0
fail() {
    echo "FAIL $*"
    failed=1
}

# A plain-HTTP, anonymous registry from the shared fixture; sets REGISTRY (host:port).
start_registry() {
    if ! bash "$fixture" start "$work/registry" --plain --auth none >"$work/registry.out" 2>&1; then
        fail "registry: $(cat "$work/registry.out")"
        return 1
    fi
    REGISTRY=$(. "$work/registry/registry.env" && echo "$REGISTRY_HOST")
    echo "registry on $REGISTRY"
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
