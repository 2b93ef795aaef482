#!/bin/sh
set -e
if [ "${WITHCLANGD}" = "true" ]; then
    apt-get update && apt-get install -y --no-install-recommends clangd
fi
