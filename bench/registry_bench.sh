#!/usr/bin/env bash
# Registry benchmark: envbuilder's own registry client against skopeo, in one run, on this machine.
#
# What it measures: wall time, throughput (MiB/s) and peak RSS of pushing an OCI image layout to a
# registry and of pulling that image back into an empty OCI layout, for `envbuilder push|pull` and
# for `skopeo copy`, each the median of REPS runs (default 3), plus the envbuilder/skopeo time ratio.
#
# Why this way: the point is the client's cost (HTTP/TLS streaming, digest verification, writing
# blobs to disk, memory use), not the network, so both tools talk to the same local registry
# (Debian's Distribution 2.8) over loopback, with TLS (our own CA, server cert for IP:127.0.0.1)
# and htpasswd Basic auth, as a real private registry would be set up. The image is several layers
# of random (incompressible) data, so no tool can win by compressing or deduplicating; skopeo is
# run with --preserve-digests so it copies the blobs as they are (no recompression) and both tools
# must move exactly the same bytes; every push and pull is checked against the source digests.
# Every push goes into a fresh registry storage directory and a fresh repository, so every byte is
# uploaded (nothing can be skipped as "already present" or cross-mounted); every pull goes into
# empty directories. Runs alternate envbuilder, skopeo, envbuilder, ... so that background noise
# hits both tools alike. Wall time includes process start-up, as a user would see it.
#
# Usage: bench/registry_bench.sh   (env: SIZE_MIB=512 image size, LAYERS=4, REPS=3,
#        BENCH_WORK=/tmp/eb-registry-bench work dir, ENVBUILDER=build/envbuilder, REGISTRY_PORT)
# Prints a table, then one line of JSON with every figure. The generated source layout is kept in
# the work dir and reused by later runs of the same size; everything else is removed at the end.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
WORK=${BENCH_WORK:-/tmp/eb-registry-bench}
SIZE_MIB=${SIZE_MIB:-512}
LAYERS=${LAYERS:-4}
REPS=${REPS:-3}
USER_NAME=bench
USER_PASS=bench-pass-$RANDOM$RANDOM

for tool in docker-registry skopeo openssl htpasswd curl jq python3 sha256sum gzip tar; do
    command -v "$tool" >/dev/null || { echo "registry_bench: $tool is not installed" >&2; exit 1; }
done
[[ -x /usr/bin/time ]] || { echo "registry_bench: GNU time (/usr/bin/time) is not installed" >&2; exit 1; }
[[ $SIZE_MIB =~ ^[0-9]+$ && $SIZE_MIB -ge $LAYERS ]] || { echo "registry_bench: bad SIZE_MIB '$SIZE_MIB'" >&2; exit 1; }

mkdir -p "$WORK"
RUN=$WORK/run
rm -rf "$RUN"
mkdir -p "$RUN/logs"
LOGS=$RUN/logs
REG_PID=

cleanup() {
    local rc=$?
    stop_registry
    if [[ $rc -eq 0 ]]; then
        rm -rf "$RUN"
    else
        # Keep the logs for a look, drop the big directories.
        rm -rf "$RUN"/store-* "$RUN"/pull-* "$RUN/envbuilder"
        echo "registry_bench: failed; logs in $LOGS" >&2
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

die() { echo "registry_bench: $*" >&2; exit 1; }

# --- envbuilder binary: a private copy (see lib.sh). ---
copy_envbuilder

# --- Source image: LAYERS tar+gzip layers of random data, SIZE_MIB in all, as an OCI layout. ---
SRC=$WORK/source-${SIZE_MIB}mib-${LAYERS}layers
case $(uname -m) in
    x86_64) ARCH=amd64 ;; aarch64) ARCH=arm64 ;; armv7l) ARCH=arm ;; *) ARCH=$(uname -m) ;;
esac

blob_path() { echo "$1/blobs/sha256/${2#sha256:}"; }

# Adds a file to a layout's blob directory under its sha256; prints "sha256:HEX SIZE".
add_blob() {
    local layout=$1 file=$2 hex size
    hex=$(sha256sum "$file" | cut -d' ' -f1)
    size=$(stat -c %s "$file")
    mv "$file" "$layout/blobs/sha256/$hex"
    echo "sha256:$hex $size"
}

make_layout() {
    local tmp=$SRC.tmp layer_bytes i diff_id digest size layers_json="" diff_ids=""
    rm -rf "$tmp"
    mkdir -p "$tmp/blobs/sha256" "$tmp/src"
    layer_bytes=$((SIZE_MIB * 1048576 / LAYERS))
    for ((i = 1; i <= LAYERS; i++)); do
        mkdir -p "$tmp/src/l$i/data"
        head -c "$layer_bytes" /dev/urandom >"$tmp/src/l$i/data/random-$i.bin"
        tar -C "$tmp/src/l$i" --owner=0 --group=0 --numeric-owner --mtime=@0 -cf "$tmp/layer.tar" data
        rm -rf "$tmp/src/l$i"
        diff_id=sha256:$(sha256sum "$tmp/layer.tar" | cut -d' ' -f1)
        gzip -1 -n -c "$tmp/layer.tar" >"$tmp/layer.tar.gz"
        rm "$tmp/layer.tar"
        read -r digest size < <(add_blob "$tmp" "$tmp/layer.tar.gz")
        layers_json+="${layers_json:+,}{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"$digest\",\"size\":$size}"
        diff_ids+="${diff_ids:+,}\"$diff_id\""
    done
    rmdir "$tmp/src"
    printf '{"architecture":"%s","os":"linux","config":{"Env":["PATH=/usr/bin:/bin"]},"rootfs":{"type":"layers","diff_ids":[%s]}}' \
        "$ARCH" "$diff_ids" >"$tmp/config.json"
    read -r digest size < <(add_blob "$tmp" "$tmp/config.json")
    printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%s},"layers":[%s]}' \
        "$digest" "$size" "$layers_json" >"$tmp/manifest.json"
    read -r digest size < <(add_blob "$tmp" "$tmp/manifest.json")
    printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"1"}}]}' \
        "$digest" "$size" >"$tmp/index.json"
    printf '{"imageLayoutVersion":"1.0.0"}' >"$tmp/oci-layout"
    rm -rf "$SRC"
    mv "$tmp" "$SRC"
}

# A reusable layout has its index, manifest and every blob at the size the manifest names.
layout_complete() {
    local m
    [[ -f $SRC/index.json && -f $SRC/oci-layout ]] || return 1
    m=$(jq -r '.manifests[0].digest' "$SRC/index.json" 2>/dev/null) || return 1
    [[ -f $(blob_path "$SRC" "$m") ]] || return 1
    jq -r '(.config, .layers[]) | "\(.digest) \(.size)"' "$(blob_path "$SRC" "$m")" | {
        local n=0 d s
        while read -r d s; do
            [[ -f $(blob_path "$SRC" "$d") && $(stat -c %s "$(blob_path "$SRC" "$d")") == "$s" ]] || return 1
            n=$((n + 1))
        done
        [[ $n -eq $((LAYERS + 1)) ]]
    }
}

if layout_complete; then
    echo "registry_bench: reusing source layout $SRC" >&2
else
    echo "registry_bench: generating a ${SIZE_MIB} MiB image ($LAYERS layers) in $SRC" >&2
    make_layout
    layout_complete || die "generated layout $SRC is incomplete"
fi
MANIFEST_DIGEST=$(jq -r '.manifests[0].digest' "$SRC/index.json")
MANIFEST_FILE=$(blob_path "$SRC" "$MANIFEST_DIGEST")
mapfile -t BLOB_DIGESTS < <(jq -r '(.config, .layers[]) | .digest' "$MANIFEST_FILE")
IMAGE_BYTES=$(jq '[(.config, .layers[]) | .size] | add' "$MANIFEST_FILE")

# --- TLS, auth and client configuration. ---
make_registry_config
SKOPEO_CERT_DIR=$CERTS_DIR/$HOSTPORT     # skopeo: a directory holding ca.crt
POLICY=$RUN/policy.json                  # skopeo: accept any image (no signature policy in play)
printf '{"default":[{"type":"insecureAcceptAnything"}]}\n' >"$POLICY"

# --- The registry: restarted on a given storage directory. ---


# --- Measurement: one command under GNU time; records seconds and peak RSS (MiB). ---
declare -A TIMES RSS
measure() {  # KEY LOGNAME COMMAND...
    local key=$1 log=$LOGS/$2.log start end kib
    shift 2
    sync  # earlier runs' dirty pages are not written back on this run's clock
    start=$(date +%s%N)
    /usr/bin/time -f '%M' -o "$LOGS/time.out" "$@" >"$log" 2>&1 || { tail -5 "$log" >&2; die "$key failed (see $log)"; }
    end=$(date +%s%N)
    kib=$(tail -1 "$LOGS/time.out")
    TIMES[$key]+="$(((end - start) / 1000000)) "
    RSS[$key]+="$((kib / 1024)) "
    printf '  %-16s %7.2f s  %6d MiB RSS\n' "$key" "$(((end - start) / 1000000))e-3" "$((kib / 1024))" >&2
}

# Each sets CMD to the command line to time (no wrapper shell, so the RSS is the tool's own).
eb_env=(env "ENVBUILDER_CERTS_DIR=$CERTS_DIR" "DOCKER_CONFIG=$DOCKER_CFG")
eb_push() { CMD=("${eb_env[@]}" "$EB" push "$SRC" "$HOSTPORT/$1"); }
sk_push() {
    CMD=(skopeo --policy "$POLICY" copy --preserve-digests --dest-cert-dir "$SKOPEO_CERT_DIR"
        --dest-creds "$USER_NAME:$USER_PASS" "oci:$SRC:1" "docker://$HOSTPORT/$1")
}
eb_pull() {  # REF DIR
    mkdir -p "$2/cache" "$2/layout"
    CMD=("${eb_env[@]}" "$EB" pull "$HOSTPORT/$1" --cache-dir "$2/cache" --oci-layout "$2/layout")
}
sk_pull() {  # REF DIR
    mkdir -p "$2/layout"
    CMD=(skopeo --policy "$POLICY" copy --preserve-digests --src-cert-dir "$SKOPEO_CERT_DIR"
        --src-creds "$USER_NAME:$USER_PASS" "docker://$HOSTPORT/$1" "oci:$2/layout:1")
}

# --- Checks. ---
# The registry serves REPO:1 as exactly the source manifest, and its storage holds every blob whole.
verify_push() {  # STORE REPO
    local store=$1 repo=$2 got d f
    got=$(curl -sSf --cacert "$PKI/ca.crt" -u "$USER_NAME:$USER_PASS" \
        -H 'Accept: application/vnd.oci.image.manifest.v1+json' "https://$HOSTPORT/v2/$repo/manifests/1" | sha256sum | cut -d' ' -f1) || die "cannot fetch $repo:1"
    [[ sha256:$got == "$MANIFEST_DIGEST" ]] || die "$repo:1 has manifest sha256:$got, not the source's $MANIFEST_DIGEST"
    for d in "${BLOB_DIGESTS[@]}"; do
        f=$store/docker/registry/v2/blobs/sha256/${d:7:2}/${d#sha256:}/data
        [[ -f $f && $(stat -c %s "$f") == $(stat -c %s "$(blob_path "$SRC" "$d")") ]] || die "$repo: blob $d not uploaded whole"
        [[ -f $store/docker/registry/v2/repositories/$repo/_layers/sha256/${d#sha256:}/link ]] || die "$repo: blob $d not linked"
    done
}

# Every blob of the pulled layout has the sha256 its name says, and the image is the source image.
verify_layout() {  # DIR
    local dir=$1 name sum d
    while read -r sum name; do
        [[ $sum == "${name##*/}" ]] || die "$dir: blob ${name##*/} has sha256 $sum"
    done < <(sha256sum "$dir"/blobs/sha256/*)
    [[ $(jq -r '.manifests[0].digest' "$dir/index.json") == "$MANIFEST_DIGEST" ]] || die "$dir: index.json names another manifest"
    for d in "$MANIFEST_DIGEST" "${BLOB_DIGESTS[@]}"; do
        [[ -f $(blob_path "$dir" "$d") ]] || die "$dir: blob $d is missing"
    done
}

echo "registry_bench: $EB_ID; load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "registry_bench: $SIZE_MIB MiB ($IMAGE_BYTES bytes, $LAYERS layers), $REPS runs each, registry on https://$HOSTPORT" >&2

# --- Push: each run into fresh registry storage and a fresh repository. ---
for ((rep = 1; rep <= REPS; rep++)); do
    for tool in eb sk; do
        store=$RUN/store-push-$tool-$rep
        start_registry "$store"
        "${tool}_push" "bench/$tool-push-$rep:1"
        measure "${tool}_push" "push-$tool-$rep" "${CMD[@]}"
        verify_push "$store" "bench/$tool-push-$rep"
        stop_registry
        rm -rf "$store"
    done
done
grep -q "pushed .* $MANIFEST_DIGEST" "$LOGS/push-eb-1.log" || die "envbuilder reported another pushed digest"

# --- Pull: envbuilder pulls what skopeo pushed and the other way round, each into empty dirs. ---
store=$RUN/store-pull
start_registry "$store"
eb_push bench/eb:1
"${CMD[@]}" >"$LOGS/setup-eb-push.log" 2>&1 || die "setup push by envbuilder failed"
sk_push bench/sk:1
"${CMD[@]}" >"$LOGS/setup-sk-push.log" 2>&1 || die "setup push by skopeo failed"
verify_push "$store" bench/eb
verify_push "$store" bench/sk
for ((rep = 1; rep <= REPS; rep++)); do
    dir=$RUN/pull-eb-$rep
    eb_pull bench/sk:1 "$dir"
    measure eb_pull "pull-eb-$rep" "${CMD[@]}"
    verify_layout "$dir/layout"
    rm -rf "$dir"
    dir=$RUN/pull-sk-$rep
    sk_pull bench/eb:1 "$dir"
    measure sk_pull "pull-sk-$rep" "${CMD[@]}"
    verify_layout "$dir/layout"
    rm -rf "$dir"
done
stop_registry
rm -rf "$store"

# --- Report. ---
python3 - "$EB_ID" "$(cut -d' ' -f1 /proc/loadavg)" "$SIZE_MIB" "$IMAGE_BYTES" "$LAYERS" "$REPS" "$(skopeo --version | awk '{print $3}')" \
    "$(dpkg-query -W -f '${Version}' docker-registry 2>/dev/null || echo unknown)" \
    "${TIMES[eb_push]}" "${TIMES[sk_push]}" "${TIMES[eb_pull]}" "${TIMES[sk_pull]}" \
    "${RSS[eb_push]}" "${RSS[sk_push]}" "${RSS[eb_pull]}" "${RSS[sk_pull]}" <<'EOF'
import json, statistics, sys
eb_id, load, size_mib, image_bytes, layers, reps, skopeo_v, registry_v = sys.argv[1:9]
times = [[int(x) / 1000 for x in a.split()] for a in sys.argv[9:13]]
rss = [[int(x) for x in a.split()] for a in sys.argv[13:17]]
mib = int(image_bytes) / 2**20
result = {"bench": "registry", "size_mib": int(size_mib), "image_bytes": int(image_bytes), "layers": int(layers),
          "runs": int(reps), "transport": "loopback TLS + Basic auth", "registry": "distribution " + registry_v,
          "envbuilder": eb_id, "skopeo": skopeo_v, "load_avg_1m_at_end": float(load)}
rows = []
for i, (direction, tool) in enumerate([("push", "envbuilder"), ("push", "skopeo"), ("pull", "envbuilder"), ("pull", "skopeo")]):
    med = statistics.median(times[i])
    fig = {"median_s": round(med, 3), "mib_per_s": round(mib / med, 1), "peak_rss_mib": max(rss[i]),
           "runs_s": times[i], "rss_mib": rss[i]}
    result.setdefault(direction, {})[tool] = fig
    rows.append((direction, tool, fig))
for direction in ("push", "pull"):
    d = result[direction]
    d["time_ratio_envbuilder_over_skopeo"] = round(d["envbuilder"]["median_s"] / d["skopeo"]["median_s"], 2)
print(f"Registry push/pull of a {size_mib} MiB image ({layers} incompressible layers), loopback TLS + Basic auth, "
      f"median of {reps} runs")
print(f"{'':6}{'tool':12}{'median s':>10}{'MiB/s':>9}{'peak RSS MiB':>14}   runs (s)")
for direction, tool, f in rows:
    print(f"{direction:6}{tool:12}{f['median_s']:>10.2f}{f['mib_per_s']:>9.1f}{f['peak_rss_mib']:>14}   "
          + " ".join(f"{t:.2f}" for t in f["runs_s"]))
print(f"envbuilder/skopeo time: push {result['push']['time_ratio_envbuilder_over_skopeo']:.2f}, "
      f"pull {result['pull']['time_ratio_envbuilder_over_skopeo']:.2f}")
print(json.dumps(result, separators=(",", ":")))
EOF
