#!/usr/bin/env bash
# Feature install benchmark: a devcontainer.json with 5 Dev Container Features, built by
# `envbuilder build`, against the same work written out by hand as a Dockerfile (each feature's
# containerEnv as ENV and its install.sh as a RUN with the feature's folder bind-mounted, as the
# devcontainers CLI's BuildKit Dockerfile does), built by envbuilder (the floor: features must cost
# no more than the RUN steps they are) and by buildah (Debian's, the peer), in one run.
#
# Each feature writes 2 MiB of /dev/urandom and a small script. Cold: empty caches (a fresh
# --cache-dir, a fresh buildah --root); warm: the same build again. Median of REPS (default 3)
# runs, alternating tools. Results go to an OCI layout (no registry: the registry path is
# benchmarked by build_bench.sh).
#
# Usage: bench/feature_install_bench.sh  (env: REPS=3, BENCH_WORK=/tmp/eb-feature-bench,
#        ENVBUILDER=build/envbuilder). Needs root, buildah, busybox-static. Prints a table, then one
#        line of JSON.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
EB=${ENVBUILDER:-$ROOT/build/envbuilder}
REPS=${REPS:-3}
WORK=${BENCH_WORK:-/tmp/eb-feature-bench}
die() { echo "feature_install_bench: $*" >&2; exit 1; }
[[ $(id -u) == 0 ]] || die "needs root"
command -v buildah >/dev/null || die "needs buildah"
[[ -x $EB ]] || die "no envbuilder at $EB"

rm -rf "$WORK/ws" "$WORK/runs"
mkdir -p "$WORK/ws/.devcontainer" "$WORK/runs"
bash "$ROOT/tests/support/base_images.sh" "$WORK/images" busybox >"$WORK/base.log" 2>&1 ||
    die "base image failed (see $WORK/base.log)"
BASE="oci:$WORK/images/busybox:latest"

dc=$WORK/ws/.devcontainer
features_json=""
{
    echo "FROM $BASE"
} >"$dc/Dockerfile"
cp "$dc/Dockerfile" "$dc/Dockerfile.byhand"
for i in 1 2 3 4 5; do
    mkdir -p "$dc/f$i"
    cat >"$dc/f$i/devcontainer-feature.json" <<JSON
{"id": "f$i", "version": "1.0.0", "name": "Feature $i",
 "options": {"size": {"type": "string", "default": "2"}},
 "containerEnv": {"F${i}_HOME": "/opt/f$i"}}
JSON
    cat >"$dc/f$i/install.sh" <<SH
#!/bin/sh
set -e
mkdir -p /opt/f$i/bin
head -c \$((\${SIZE:-2} * 1048576)) /dev/urandom > /opt/f$i/data
printf '#!/bin/sh\necho f$i\n' > /opt/f$i/bin/f$i
chmod 755 /opt/f$i/bin/f$i
SH
    features_json+="${features_json:+, }\"./f$i\": {}"
    cat >>"$dc/Dockerfile.byhand" <<DF
ENV F${i}_HOME=/opt/f$i
RUN --mount=type=bind,source=f$i,target=/tmp/dev-container-features/f$i cd /tmp/dev-container-features/f$i && SIZE=2 sh ./install.sh
DF
done
echo "{\"build\": {\"dockerfile\": \"Dockerfile\"}, \"features\": {$features_json}}" >"$dc/devcontainer.json"

now() { date +%s.%N; }
# Runs "$@" and prints its wall time in seconds; a failure stops the benchmark.
timed() {
    local start end
    start=$(now)
    "$@" >"$WORK/runs/last.log" 2>&1 || { cat "$WORK/runs/last.log" >&2; die "failed: $*"; }
    end=$(now)
    echo "$end - $start" | bc
}
eb_features() { "$EB" build --workspace "$WORK/ws" --no-push --cache-dir "$1" --oci-layout "$1/out"; }
eb_byhand() {
    "$EB" build --dockerfile "$dc/Dockerfile.byhand" --context "$dc" --no-push --cache-dir "$1" \
        --oci-layout "$1/out"
}
buildah_byhand() {
    buildah --root "$1/root" --runroot "$1/runroot" --storage-driver vfs bud --layers \
        --isolation chroot -f "$dc/Dockerfile.byhand" -t bench "$dc"
}

declare -A samples
for rep in $(seq "$REPS"); do
    for tool in eb_features eb_byhand buildah_byhand; do
        dir=$WORK/runs/$tool-$rep
        rm -rf "$dir" && mkdir -p "$dir"
        samples[$tool,cold]+="$(timed "$tool" "$dir") "
        samples[$tool,warm]+="$(timed "$tool" "$dir") "
        rm -rf "$dir"
    done
done
# The features' image holds what the hand-written one does: one layer per feature over the base.
diff_ids() {
    python3 -c 'import json,sys
d=sys.argv[1]+"/out"; i=json.load(open(d+"/index.json"))
blob=lambda x: json.load(open(d+"/blobs/"+x.replace(":","/")))
print(len(blob(blob(i["manifests"][0]["digest"])["config"]["digest"])["rootfs"]["diff_ids"]))' "$1"
}
check=$WORK/runs/check
mkdir -p "$check/a" "$check/b"
eb_features "$check/a" >/dev/null 2>&1 && eb_byhand "$check/b" >/dev/null 2>&1 || die "check build failed"
[[ $(diff_ids "$check/a") == "$(diff_ids "$check/b")" ]] ||
    die "the images differ in layers: $(diff_ids "$check/a") vs $(diff_ids "$check/b")"

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
declare -A med
for key in "${!samples[@]}"; do med[$key]=$(echo "${samples[$key]}" | median); done
ratio() { printf "%.2f" "$(echo "scale=3; $1 / $2" | bc)"; }
printf '%-34s %8s %8s\n' "5 features (median of $REPS)" cold warm
printf '%-34s %7.2fs %7.2fs\n' "envbuilder, features" "${med[eb_features,cold]}" "${med[eb_features,warm]}"
printf '%-34s %7.2fs %7.2fs\n' "envbuilder, the same as RUN steps" "${med[eb_byhand,cold]}" "${med[eb_byhand,warm]}"
printf '%-34s %7.2fs %7.2fs\n' "buildah --layers, RUN steps" "${med[buildah_byhand,cold]}" "${med[buildah_byhand,warm]}"
echo "features / RUN floor: cold $(ratio "${med[eb_features,cold]}" "${med[eb_byhand,cold]}"), warm $(ratio "${med[eb_features,warm]}" "${med[eb_byhand,warm]}"); envbuilder features / buildah: cold $(ratio "${med[eb_features,cold]}" "${med[buildah_byhand,cold]}"), warm $(ratio "${med[eb_features,warm]}" "${med[buildah_byhand,warm]}")"
printf '{"reps":%d,"features_cold":%.3f,"features_warm":%.3f,"run_steps_cold":%.3f,"run_steps_warm":%.3f,"buildah_cold":%.3f,"buildah_warm":%.3f}\n' \
    "$REPS" "${med[eb_features,cold]}" "${med[eb_features,warm]}" "${med[eb_byhand,cold]}" \
    "${med[eb_byhand,warm]}" "${med[buildah_byhand,cold]}" "${med[buildah_byhand,warm]}"
rm -rf "$WORK/runs" "$WORK/ws"
