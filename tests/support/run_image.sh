#!/usr/bin/env bash
# run_image.sh - run a container image with third-party tools only (skopeo,
# umoci, crun, jq), as an independent check of images that envbuilder builds.
#
# Usage: tests/support/run_image.sh IMAGE_SOURCE [-- COMMAND...]
#
#   IMAGE_SOURCE  oci:DIR:TAG  or  docker://HOST/REPO:TAG (any skopeo source)
#   COMMAND       replaces the image's entrypoint+cmd (process.args)
#
# The image is copied with `skopeo copy` into a temporary OCI layout,
# unpacked with `umoci unpack` into an OCI runtime bundle, and run with
# `crun run` (no terminal, stdin from /dev/null, a private network namespace
# with loopback only). The container's stdout and stderr are passed through;
# the script exits with the container's exit status (or 125 if it could not
# be started). The bundle, the layout and the container are removed on exit.
#
# Environment (registry sources only):
#   REGISTRY_CERT_DIR    directory with ca.crt / client certs  (--src-cert-dir)
#   REGISTRY_CREDS       user:pass                             (--src-creds)
#   REGISTRY_TLS_VERIFY  set to "false" to skip TLS verification
#   RUN_IMAGE_KEEP=1     keep the temporary directory (printed) for debugging
#
# Needs root and the Debian packages: skopeo umoci crun jq.
set -euo pipefail

log() { printf 'run_image: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 125; }

usage() {
    echo "usage: $0 IMAGE_SOURCE [-- COMMAND...]" >&2
    exit 125
}

[[ $# -ge 1 ]] || usage
SOURCE=$1
shift
COMMAND=()
if [[ $# -gt 0 ]]; then
    [[ $1 == "--" ]] || usage
    shift
    COMMAND=("$@")
    [[ ${#COMMAND[@]} -gt 0 ]] || usage
fi

[[ $EUID -eq 0 ]] || die "must run as root"
for tool in skopeo umoci crun jq; do
    command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found: apt-get install $tool"
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/run-image.XXXXXX")
CRUN_ROOT="$WORK/crun-state"
CID="run-image-$$-${RANDOM}"
STARTED=0
RUNTIME_PID=

# shellcheck disable=SC2317  # invoked through the EXIT trap
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ $STARTED -eq 1 ]]; then
        crun --root "$CRUN_ROOT" kill "$CID" KILL >/dev/null 2>&1 || true
        if [[ -n $RUNTIME_PID ]]; then
            kill "$RUNTIME_PID" 2>/dev/null || true
            wait "$RUNTIME_PID" 2>/dev/null || true
        fi
        crun --root "$CRUN_ROOT" delete --force "$CID" >/dev/null 2>&1 || true
    fi
    if [[ ${RUN_IMAGE_KEEP:-0} == 1 ]]; then
        log "kept $WORK"
    else
        rm -rf --one-file-system "$WORK"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# 1. Copy the image into a local OCI layout.
copy_args=(--quiet)
if [[ $SOURCE == docker://* ]]; then
    [[ -n ${REGISTRY_CERT_DIR:-} ]] && copy_args+=(--src-cert-dir "$REGISTRY_CERT_DIR")
    [[ -n ${REGISTRY_CREDS:-} ]] && copy_args+=(--src-creds "$REGISTRY_CREDS")
    [[ ${REGISTRY_TLS_VERIFY:-true} == false ]] && copy_args+=(--src-tls-verify=false)
fi
# The local policy may be stricter than "accept anything"; these are test images.
if ! skopeo --insecure-policy copy "${copy_args[@]}" "$SOURCE" "oci:$WORK/image:run" >&2; then
    die "skopeo copy $SOURCE failed"
fi

# 2. Unpack it into a runtime bundle.
if ! umoci unpack --image "$WORK/image:run" "$WORK/bundle" >/dev/null; then
    die "umoci unpack failed"
fi

# 3. Adjust the runtime config: no terminal, optional command, a private
#    network namespace (loopback only), no cgroup limits.
jq_filter='.process.terminal = false
    | .hostname = "run-image"
    | .linux.namespaces = ((.linux.namespaces // [])
        | map(select(.type != "network")) + [{type: "network"}])
    | del(.linux.resources)'
# COMMAND goes in as --arg 0 .. --arg N-1 (jq would parse "-c" etc. in
# --args as its own options).
jq_args=()
if [[ ${#COMMAND[@]} -gt 0 ]]; then
    for i in "${!COMMAND[@]}"; do jq_args+=(--arg "$i" "${COMMAND[$i]}"); done
    # shellcheck disable=SC2016  # $ARGS is jq's, not the shell's
    jq_filter+=' | .process.args = ([$ARGS.named | to_entries[]
        | {k: (.key | tonumber), v: .value}] | sort_by(.k) | map(.v))'
fi
jq "${jq_args[@]}" "$jq_filter" "$WORK/bundle/config.json" >"$WORK/config.json"
mv "$WORK/config.json" "$WORK/bundle/config.json"
if [[ $(jq '.process.args | length' "$WORK/bundle/config.json") -eq 0 ]]; then
    die "image has no entrypoint or cmd and no COMMAND was given"
fi

# 4. Run it; its stdout/stderr are ours, its exit status is ours.
#    No cgroups are made (--cgroup-manager=disabled). crun refuses to start
#    anything on a hybrid cgroup v1+v2 host whose v2 hierarchy has a
#    controller ("cgroups in hybrid mode not supported"), even with cgroups
#    disabled; there crun runs in a private mount namespace in which
#    /sys/fs/cgroup/unified is unmounted, so that it sees plain cgroup v1.
run_cmd=(crun --root "$CRUN_ROOT" --cgroup-manager=disabled run --bundle "$WORK/bundle" "$CID")
hybrid_with_controllers() {
    [[ "$(stat -f -c %T /sys/fs/cgroup 2>/dev/null)" == tmpfs ]] &&
        [[ "$(stat -f -c %T /sys/fs/cgroup/unified 2>/dev/null)" == cgroup2fs ]] &&
        [[ -n "$(cat /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null)" ]]
}
if hybrid_with_controllers; then
    command -v unshare >/dev/null 2>&1 || die "'unshare' not found: apt-get install util-linux"
    run_cmd=(unshare --mount --propagation private -- sh -c
        'umount -l /sys/fs/cgroup/unified && exec "$@"' sh "${run_cmd[@]}")
fi
mkdir -p "$CRUN_ROOT"
STARTED=1
# In the background and waited for, so that INT/TERM reach our trap at once.
"${run_cmd[@]}" </dev/null &
RUNTIME_PID=$!
set +e
wait "$RUNTIME_PID"
rc=$?
set -e
RUNTIME_PID=
exit "$rc"
