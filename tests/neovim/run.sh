#!/usr/bin/env bash
# Runs the headless Neovim checks in a fresh temporary workspace.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export WORKDIR=$work
export ENVBUILDER_BINARY=${ENVBUILDER_BINARY:?}
timeout 120 nvim --headless -u NONE -i NONE -c "luafile $here/diagnostics.lua" 2>&1
