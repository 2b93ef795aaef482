#!/usr/bin/env bash
# emulation.sh - make this machine run foreign binaries through binfmt_misc, for the executor's
# cross-platform tests: mounts binfmt_misc when it is not, and registers Debian's
# qemu-user-static emulator for each architecture named (from /usr/lib/binfmt.d/qemu-ARCH.conf,
# which carries the F flag) unless it is registered already.
#
# Usage: tests/support/emulation.sh QEMU_ARCH...   (e.g. aarch64)
# Needs root and the qemu-user-static package.
set -euo pipefail

readonly BINFMT=/proc/sys/fs/binfmt_misc
[[ $EUID -eq 0 ]] || { echo "emulation: must run as root" >&2; exit 1; }
if [[ ! -e $BINFMT/register ]]; then
    mount -t binfmt_misc binfmt_misc "$BINFMT"
fi
for arch in "$@"; do
    if [[ -e $BINFMT/qemu-$arch ]]; then
        echo "emulation: qemu-$arch already registered ($(sed -n 's/^flags: //p' "$BINFMT/qemu-$arch"))"
        continue
    fi
    conf=/usr/lib/binfmt.d/qemu-$arch.conf
    [[ -r $conf ]] || { echo "emulation: $conf missing: apt-get install qemu-user-static" >&2; exit 1; }
    # binfmt.d lines are the register format itself.
    grep -v '^#' "$conf" | head -n 1 >"$BINFMT/register"
    echo "emulation: registered qemu-$arch"
done
