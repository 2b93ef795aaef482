#!/bin/sh
# Runs at build time (RUN) and when the image starts (CMD).
echo "running as $(id -un) in $(pwd) on $(uname -s)"
