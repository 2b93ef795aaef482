#!/usr/bin/env bash
# Build benchmark: `envbuilder build` against buildah (Debian's), build + push, in one run, on this machine.
#
# Goals it checks (from the project's targets):
#   - every cold and every warm build (+ push) takes at most half the time of the fastest peer on the
#     same Dockerfile (time ratio envbuilder/buildah <= 0.5);
#   - a warm rebuild (+ push) of a 10-step Dockerfile takes under 1 s;
#   - peak RSS under 100 MiB (measured while a RUN writes a 1 GiB incompressible file that must be
#     snapshotted, compressed and pushed as a layer).
#
# What it measures, per workload and tool, the median of REPS runs (default 3): wall time of
#   cold    build + push with empty caches: a fresh envbuilder --cache-dir, a fresh buildah --root,
#           and fresh registry storage (holding only the base images), so every layer is built and
#           uploaded;
#   warm    the same build + push again, nothing changed;
#   change  build + push after one file of the build context changed (workloads B and C);
# and the peak RSS (GNU time %M: the largest single process of the tree, not the sum) of every command.
# Workloads (Dockerfiles and contexts written here; each starts `ARG BASE` / `FROM ${BASE}`):
#   A  busybox base, five RUN steps writing 8 MiB of /dev/urandom each (40 MiB of layers);
#   B  debian (debootstrap minbase) base, stage 1: COPY of a generated 2,000-file context and a RUN
#      deleting base files (whiteouts); stage 2: COPY --from stage 1 and a RUN deleting base files;
#   C  busybox base, 10 steps (ENV/RUN/COPY/WORKDIR), the "warm rebuild under 1 s" case;
#   big busybox base, one RUN writing BIG_MIB (1024) MiB of /dev/urandom (zeros would compress to
#      nothing and measure no layer writing or upload): cold build + push time and peak RSS.
# Peers: buildah bud --isolation chroot with --storage-driver vfs and overlay, each with and without
# --layers (without --layers nothing is cached, so its warm rebuild is a full rebuild: reported as
# measured; and all steps are committed as one layer), then `buildah push`; the buildah time is bud + push. The table names the fastest buildah
# variant per row; the JSON has all of them. If overlay does not work here, the reason is printed and
# those variants are skipped.
#
# Why this way: both tools pull the same base images from, and push to, the same local registry
# (Debian's Distribution 2.8 on loopback, TLS with our own CA, htpasswd Basic auth), so the figures
# are the builders' own cost, not the network's. Each (workload, tool, run) sequence cold -> warm ->
# change gets a fresh copy of a registry storage seeded with the base images (pushed by `envbuilder
# push`), so nothing can be skipped as already uploaded by an earlier run. Runs alternate envbuilder,
# buildah variants, envbuilder, ... so background noise hits all tools alike. Wall time includes
# process start-up, as a user would see it. Each push is checked: the registry serves the digest the
# tool reported, with every blob, and a change rebuild must push a different layer set.
# Note: buildah keeps a blob-info cache in /var/lib/containers/cache whatever --root says; with fresh
# registry storage per sequence it can only name blobs the registry does not have.
#
# Usage: bench/build_bench.sh   (env: REPS=3, QUICK=1 for one run of A and C only, WORKLOADS="A B C",
#        BIG_MIB=1024 (256 with QUICK; 0 skips), BUILDAH_VARIANTS="vfs vfs-layers overlay overlay-layers",
#        BENCH_WORK=/tmp/eb-build-bench work dir, ENVBUILDER=build/envbuilder, REGISTRY_PORT)
# Needs root (buildah chroot isolation, base images) and docker-registry, buildah, busybox-static,
# debootstrap, umoci, skopeo. Base image layouts are kept in the work dir (and the debootstrap
# tarball in /var/cache/envbuilder-test) for later runs; everything else is removed at the end.
# Prints a table, then one line of JSON with every figure.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
WORK=${BENCH_WORK:-/tmp/eb-build-bench}
QUICK=${QUICK:-0}
if [[ $QUICK == 1 ]]; then
    REPS=${REPS:-1}
    WORKLOADS=${WORKLOADS:-A C}
    BIG_MIB=${BIG_MIB:-256}
else
    REPS=${REPS:-3}
    WORKLOADS=${WORKLOADS:-A B C}
    BIG_MIB=${BIG_MIB:-1024}
fi
BUILDAH_VARIANTS=${BUILDAH_VARIANTS:-vfs vfs-layers overlay overlay-layers}
USER_NAME=bench
USER_PASS=bench-pass-$RANDOM$RANDOM

for tool in docker-registry buildah openssl htpasswd curl jq python3 sha256sum; do
    command -v "$tool" >/dev/null || { echo "build_bench: $tool is not installed" >&2; exit 1; }
done
[[ -x /usr/bin/time ]] || { echo "build_bench: GNU time (/usr/bin/time) is not installed" >&2; exit 1; }
[[ $EUID -eq 0 ]] || { echo "build_bench: must run as root (buildah chroot isolation, base images)" >&2; exit 1; }
[[ $REPS =~ ^[1-9][0-9]*$ && $BIG_MIB =~ ^[0-9]+$ ]] || { echo "build_bench: bad REPS or BIG_MIB" >&2; exit 1; }
for w in $WORKLOADS; do [[ $w == [ABC] ]] || { echo "build_bench: bad workload '$w'" >&2; exit 1; }; done
for v in $BUILDAH_VARIANTS; do
    [[ $v =~ ^(vfs|overlay)(-layers)?$ ]] || { echo "build_bench: bad buildah variant '$v'" >&2; exit 1; }
done

mkdir -p "$WORK"
RUN=$WORK/run
LOGS=$RUN/logs
REG_PID=

# Unmounts whatever is mounted under DIR (buildah's overlay driver bind-mounts its home, and a failed
# build may leave layers mounted), then removes DIR without crossing into other filesystems.
wipe_dir() {
    local dir=$1 mnt
    [[ -e $dir ]] || return 0
    dir=$(readlink -f "$dir")
    while read -r mnt; do
        umount -l "$mnt" 2>/dev/null || true
    done < <(awk -v d="$dir" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/mounts | sort -r)
    rm -rf --one-file-system "$dir"
}

cleanup() {
    local rc=$? d
    stop_registry
    for d in "$RUN"/state-* "$RUN"/store*; do wipe_dir "$d"; done
    if [[ $rc -eq 0 ]]; then
        wipe_dir "$RUN"
    else
        rm -rf "$RUN/envbuilder" "$RUN/wl"
        echo "build_bench: failed; logs in $LOGS" >&2
    fi
}

wipe_dir "$RUN"
mkdir -p "$LOGS"
trap cleanup EXIT
trap 'exit 130' INT TERM

die() { echo "build_bench: $*" >&2; exit 1; }
note() { echo "build_bench: $*" >&2; }

# --- envbuilder binary: a private copy (see lib.sh). ---
copy_envbuilder
BUILDAH_ID="buildah $(dpkg-query -W -f '${Version}' buildah 2>/dev/null || buildah --version | awk '{print $3}')"
REGISTRY_ID="distribution $(dpkg-query -W -f '${Version}' docker-registry 2>/dev/null || echo unknown)"

# --- Base images (OCI layouts, kept in the work dir between runs). ---
BASES=$WORK/bases
need_debian=0
[[ " $WORKLOADS " == *" B "* ]] && need_debian=1
bash "$ROOT/tests/support/base_images.sh" "$BASES" busybox >"$LOGS/base-busybox.log" 2>&1 ||
    { tail -5 "$LOGS/base-busybox.log" >&2; die "base_images.sh busybox failed"; }
if [[ $need_debian == 1 ]]; then
    note "debian base image (debootstrap the first time: minutes)"
    bash "$ROOT/tests/support/base_images.sh" "$BASES" debian >"$LOGS/base-debian.log" 2>&1 ||
        { tail -5 "$LOGS/base-debian.log" >&2; die "base_images.sh debian failed"; }
fi

# --- TLS, auth and client configuration. ---
make_registry_config
BUILDAH_CERT_DIR=$CERTS_DIR/$HOSTPORT    # buildah: a directory holding ca.crt
eb_env=(env "ENVBUILDER_CERTS_DIR=$CERTS_DIR" "DOCKER_CONFIG=$DOCKER_CFG")

# --- The registry: restarted on a given storage directory. ---

# Seed storage: the base images, pushed once; every sequence starts from a copy of it.
SEED=$RUN/store-seed
start_registry "$SEED"
"${eb_env[@]}" "$EB" push "$BASES/busybox" "$HOSTPORT/base/busybox:latest" >"$LOGS/seed.log" 2>&1 || die "pushing the busybox base failed"
BASE_BUSYBOX=$HOSTPORT/base/busybox:latest
BASE_DEBIAN=
if [[ $need_debian == 1 ]]; then
    "${eb_env[@]}" "$EB" push "$BASES/debian" "$HOSTPORT/base/debian:bookworm" >>"$LOGS/seed.log" 2>&1 || die "pushing the debian base failed"
    BASE_DEBIAN=$HOSTPORT/base/debian:bookworm
fi
stop_registry

STORE=$RUN/store
fresh_registry() {
    stop_registry
    rm -rf "$STORE"
    cp -a "$SEED" "$STORE"
    start_registry "$STORE"
}

# --- Workloads: WL/<name>/Dockerfile, WL/<name>/context; CHANGE_FILE is the file a change edits. ---
WL=$RUN/wl
declare -A WL_BASE WL_CHANGE WL_MIN_LAYERS
write_workloads() {
    local w
    mkdir -p "$WL"
    # A: five RUN steps, 8 MiB of random data each.
    w=$WL/A
    mkdir -p "$w/context"
    {
        printf 'ARG BASE\nFROM ${BASE}\n'
        for i in 1 2 3 4 5; do printf 'RUN dd if=/dev/urandom of=/f%d bs=1M count=8 2>/dev/null\n' "$i"; done
    } >"$w/Dockerfile"
    WL_BASE[A]=$BASE_BUSYBOX WL_CHANGE[A]= WL_MIN_LAYERS[A]=6

    # B: a 2,000-file context copied in, whiteouts, a second stage copying from the first.
    w=$WL/B
    mkdir -p "$w/context"
    cat >"$w/Dockerfile" <<'EOF'
ARG BASE
FROM ${BASE} AS build
COPY src/ /srv/app/
RUN rm -rf /usr/share/doc /usr/share/man /usr/share/info /usr/share/locale \
 && find /srv/app -type f | wc -l > /srv/app/FILES
FROM ${BASE}
COPY --from=build /srv/app /srv/app
RUN rm -rf /usr/share/doc /usr/share/man /usr/share/info /usr/share/locale /var/cache/debconf
EOF
    python3 - "$w/context/src" <<'EOF'
import os, random, sys
root = sys.argv[1]
rng = random.Random(20240601)
words = [f"w{n:04d}" for n in range(5000)]
for i in range(2000):
    d = os.path.join(root, f"pkg{i // 100:02d}", f"mod{i % 10}")
    os.makedirs(d, exist_ok=True)
    n = rng.randint(40, 1200)  # words: ~0.2 to 6 KiB per file, ~6 MiB in all
    with open(os.path.join(d, f"file{i:04d}.txt"), "w") as f:
        f.write(" ".join(rng.choice(words) for _ in range(n)) + "\n")
EOF
    WL_BASE[B]=$BASE_DEBIAN WL_CHANGE[B]=src/pkg07/mod3/file0713.txt WL_MIN_LAYERS[B]=3

    # C: ten steps after FROM; the change hits the COPY at step 6.
    w=$WL/C
    mkdir -p "$w/context/bin" "$w/context/etc"
    cat >"$w/Dockerfile" <<'EOF'
ARG BASE
FROM ${BASE}
ENV APP_HOME=/app LANG=C.UTF-8
RUN mkdir -p /app/bin /app/etc && echo built > /app/BUILD
COPY bin/ /app/bin/
ENV PATH=/app/bin:$PATH
RUN chmod 0755 /app/bin/* && ls /app/bin > /app/bin.list
COPY etc/app.conf /app/etc/app.conf
WORKDIR /app
RUN wc -c /app/etc/app.conf > /app/etc/app.size
ENV APP_READY=1
RUN echo done > /app/READY
EOF
    for i in 1 2 3 4 5; do printf '#!/bin/sh\necho tool %d "$@"\n' "$i" >"$w/context/bin/tool$i"; done
    printf 'name = bench\nlevel = 1\n' >"$w/context/etc/app.conf"
    WL_BASE[C]=$BASE_BUSYBOX WL_CHANGE[C]=etc/app.conf WL_MIN_LAYERS[C]=6

    # big: one RUN writing BIG_MIB MiB of random data.
    w=$WL/big
    mkdir -p "$w/context"
    printf 'ARG BASE\nFROM ${BASE}\nRUN dd if=/dev/urandom of=/big bs=1M count=%d 2>/dev/null\n' "$BIG_MIB" >"$w/Dockerfile"
    WL_BASE[big]=$BASE_BUSYBOX WL_CHANGE[big]= WL_MIN_LAYERS[big]=2

    # Originals of the files a change edits, restored (with their mtimes) after every sequence.
    for w in B C; do
        [[ -n ${WL_CHANGE[$w]} && -f $WL/$w/context/${WL_CHANGE[$w]} ]] && cp -p "$WL/$w/context/${WL_CHANGE[$w]}" "$WL/$w/change.orig"
    done
    return 0
}
write_workloads

# --- Measurement: each command under GNU time; a measure may be several commands (buildah bud +
#     push): times add up, the RSS is the largest. Results go to RESULTS as TSV lines. ---
RESULTS=$RUN/results.tsv
: >"$RESULTS"
M_MS=0 M_KIB=0
timed() {  # LOG COMMAND...
    local log=$1 start end kib
    shift
    start=$(date +%s%N)
    /usr/bin/time -f '%M' -o "$LOGS/time.out" "$@" >>"$log" 2>&1 || { tail -5 "$log" >&2; die "command failed (see $log): $*"; }
    end=$(date +%s%N)
    kib=$(tail -1 "$LOGS/time.out")
    M_MS=$((M_MS + (end - start) / 1000000))
    ((kib > M_KIB)) && M_KIB=$kib
    return 0
}

record() {  # WORKLOAD MEASURE TOOL REP
    printf '%s\t%s\t%s\t%s\t%d\t%d\n' "$1" "$2" "$3" "$4" "$M_MS" "$((M_KIB / 1024))" >>"$RESULTS"
    printf '  %-4s %-7s %-24s %7.2f s  %6d MiB RSS\n' "$1" "$2" "$3" "${M_MS}e-3" "$((M_KIB / 1024))" >&2
}

# Layer digests of the manifest DIGEST in REPO, after checking it and its blobs are in the registry.
check_push() {  # REPO DIGEST MIN_LAYERS
    local repo=$1 digest=$2 min=$3 manifest d code
    [[ $digest == sha256:* ]] || die "$repo: no manifest digest reported ('$digest')"
    manifest=$(curl -sSf --cacert "$PKI/ca.crt" -u "$USER_NAME:$USER_PASS" \
        -H 'Accept: application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' \
        "https://$HOSTPORT/v2/$repo/manifests/$digest") || die "$repo@$digest is not in the registry"
    [[ sha256:$(printf '%s' "$manifest" | sha256sum | cut -d' ' -f1) == "$digest" ]] || die "$repo@$digest: manifest digest mismatch"
    (($(jq '.layers | length' <<<"$manifest") >= min)) || die "$repo@$digest: fewer than $min layers"
    for d in $(jq -r '(.config, .layers[]) | .digest' <<<"$manifest"); do
        code=$(curl -s -o /dev/null -w '%{http_code}' -I --cacert "$PKI/ca.crt" -u "$USER_NAME:$USER_PASS" \
            "https://$HOSTPORT/v2/$repo/blobs/$d")
        [[ $code == 200 ]] || die "$repo@$digest: blob $d missing ($code)"
    done
    jq -r '[.layers[].digest] | join(",")' <<<"$manifest"
}

# Tool drivers. STATE is the tool's private directory for one sequence (cache dir / buildah root).
# build_push TOOL WORKLOAD STATE REPO LOG: runs the build and the push under `timed`; sets PUSHED.
build_push() {
    local tool=$1 w=$2 state=$3 repo=$4 log=$5 driver layers=() digest_file=$state/digest
    rm -f "$digest_file"
    M_MS=0 M_KIB=0
    if [[ $tool == envbuilder ]]; then
        timed "$log" "${eb_env[@]}" "$EB" build --dockerfile "$WL/$w/Dockerfile" --context "$WL/$w/context" \
            --build-arg "BASE=${WL_BASE[$w]}" --image "$HOSTPORT/$repo:1" --cache-dir "$state/cache" \
            --digest-file "$digest_file"
    else
        driver=${tool#buildah-}
        driver=${driver%-layers}
        [[ $tool == *-layers ]] && layers=(--layers)
        local bh=(buildah --storage-driver "$driver" --root "$state/root" --runroot "$state/runroot")
        timed "$log" "${bh[@]}" bud --isolation chroot "${layers[@]}" --cert-dir "$BUILDAH_CERT_DIR" \
            --creds "$USER_NAME:$USER_PASS" --build-arg "BASE=${WL_BASE[$w]}" -f "$WL/$w/Dockerfile" \
            -t "localhost/$repo:1" "$WL/$w/context"
        timed "$log" "${bh[@]}" push --cert-dir "$BUILDAH_CERT_DIR" --creds "$USER_NAME:$USER_PASS" \
            --digestfile "$digest_file" "localhost/$repo:1" "docker://$HOSTPORT/$repo:1"
    fi
    # buildah without --layers commits all steps as one layer on top of the base.
    local min=${WL_MIN_LAYERS[$w]}
    [[ $tool == buildah-* && $tool != *-layers ]] && min=2
    PUSHED=$(check_push "$repo" "$(cat "$digest_file" 2>/dev/null)" "$min")
}

# One sequence for TOOL on WORKLOAD: cold, warm, (change), each pushed to fresh registry storage.
declare -A WARM_REUSE
sequence() {  # TOOL WORKLOAD REP
    local tool=$1 w=$2 rep=$3 state=$RUN/state-$1 repo=bench/${2,,}-$1-$3 log cold warm
    wipe_dir "$state"
    mkdir -p "$state"
    fresh_registry
    log=$LOGS/$w-$tool-$rep.log
    : >"$log"
    sync  # earlier runs' dirty pages are not written back on this run's clock
    echo "== cold" >>"$log"
    build_push "$tool" "$w" "$state" "$repo" "$log"
    cold=$PUSHED
    record "$w" cold "$tool" "$rep"
    if [[ $w != big ]]; then
        sync
        echo "== warm" >>"$log"
        build_push "$tool" "$w" "$state" "$repo" "$log"
        warm=$PUSHED
        record "$w" warm "$tool" "$rep"
        [[ $warm == "$cold" ]] && WARM_REUSE[$tool]+="1 " || WARM_REUSE[$tool]+="0 "
        if [[ -n ${WL_CHANGE[$w]} ]]; then
            echo "changed by build_bench run $rep at $(date +%s%N)" >>"$WL/$w/context/${WL_CHANGE[$w]}"
            sync
            echo "== change" >>"$log"
            build_push "$tool" "$w" "$state" "$repo" "$log"
            [[ $PUSHED != "$warm" ]] || die "$w/$tool: a changed context pushed the same layers"
            record "$w" change "$tool" "$rep"
            cp -p "$WL/$w/change.orig" "$WL/$w/context/${WL_CHANGE[$w]}"
        fi
    fi
    stop_registry
    wipe_dir "$state"
    rm -rf "$STORE"
}

# --- Does buildah's overlay driver work here? (A one-step build on busybox.) ---
TOOLS=(envbuilder)
OVERLAY_SKIP=
if [[ " $BUILDAH_VARIANTS " == *" overlay"* ]]; then
    probe=$RUN/state-probe
    mkdir -p "$probe/ctx"
    printf 'ARG BASE\nFROM ${BASE}\nRUN echo probe > /probe\n' >"$probe/ctx/Dockerfile"
    fresh_registry
    if ! buildah --storage-driver overlay --root "$probe/root" --runroot "$probe/runroot" bud --isolation chroot \
        --cert-dir "$BUILDAH_CERT_DIR" --creds "$USER_NAME:$USER_PASS" --build-arg "BASE=$BASE_BUSYBOX" \
        -t localhost/probe:1 "$probe/ctx" >"$LOGS/overlay-probe.log" 2>&1; then
        OVERLAY_SKIP=$(grep -iE 'error|fail' "$LOGS/overlay-probe.log" | tail -1 | cut -c1-300)
        [[ -n $OVERLAY_SKIP ]] || OVERLAY_SKIP=$(tail -1 "$LOGS/overlay-probe.log" | cut -c1-300)
        note "buildah overlay storage does not work here, skipping it: $OVERLAY_SKIP"
    fi
    stop_registry
    rm -rf "$STORE"
    wipe_dir "$probe"
fi
for v in $BUILDAH_VARIANTS; do
    [[ $v == overlay* && -n $OVERLAY_SKIP ]] && continue
    TOOLS+=("buildah-$v")
done
((${#TOOLS[@]} > 1)) || die "no buildah variant left to compare with"
# The 1 GiB RSS test: one buildah run per storage driver (--layers makes no difference to one step).
BIG_TOOLS=(envbuilder)
for t in "${TOOLS[@]:1}"; do
    [[ $t == *-layers ]] && continue
    BIG_TOOLS+=("$t")
done
((${#BIG_TOOLS[@]} > 1)) || BIG_TOOLS=("${TOOLS[@]}")

note "$EB_ID; $BUILDAH_ID; $REGISTRY_ID; load average $(cut -d' ' -f1-3 /proc/loadavg)"
note "workloads $WORKLOADS$( ((BIG_MIB > 0)) && echo ", big ${BIG_MIB} MiB"); $REPS runs each; tools ${TOOLS[*]}; registry on https://$HOSTPORT"

# --- The runs: rep-major, tools alternating within each workload. ---
for ((rep = 1; rep <= REPS; rep++)); do
    for w in $WORKLOADS; do
        for tool in "${TOOLS[@]}"; do sequence "$tool" "$w" "$rep"; done
    done
    if ((BIG_MIB > 0)); then
        for tool in "${BIG_TOOLS[@]}"; do sequence "$tool" big "$rep"; done
    fi
done

# --- Report. ---
reuse_json=$(for t in "${!WARM_REUSE[@]}"; do printf '%s\t%s\n' "$t" "${WARM_REUSE[$t]}"; done)
python3 - "$RESULTS" "$EB_ID" "$BUILDAH_ID" "$REGISTRY_ID" "$(cut -d' ' -f1 /proc/loadavg)" "$REPS" "$BIG_MIB" \
    "$OVERLAY_SKIP" "$reuse_json" "$QUICK" <<'EOF'
import collections, json, statistics, sys
path, eb_id, bh_id, reg_id, load, reps, big_mib, overlay_skip, reuse_tsv, quick = sys.argv[1:11]
runs = collections.defaultdict(list)   # (workload, measure, tool) -> [(s, rss)]
for line in open(path):
    w, m, tool, rep, ms, rss = line.rstrip("\n").split("\t")
    runs[(w, m, tool)].append((int(ms) / 1000, int(rss)))
reuse = {}
for line in reuse_tsv.splitlines():
    if line.strip():
        t, flags = line.split("\t")
        reuse[t] = [f == "1" for f in flags.split()]
figs = {}
for (w, m, tool), rs in runs.items():
    figs.setdefault(w, {}).setdefault(m, {})[tool] = {
        "median_s": round(statistics.median(s for s, _ in rs), 3),
        "peak_rss_mib": max(r for _, r in rs), "runs_s": [s for s, _ in rs]}
result = {"bench": "build", "runs": int(reps), "quick": quick == "1", "big_mib": int(big_mib),
          "registry": reg_id + ", loopback TLS + Basic auth", "envbuilder": eb_id, "buildah": bh_id,
          "buildah_overlay_skipped": overlay_skip or None, "load_avg_1m_at_end": float(load),
          "warm_rebuild_pushed_same_layers": reuse, "workloads": figs, "rows": [], "goals": {}}
order = [w for w in ("A", "B", "C", "big") if w in figs]
names = {"A": "A 5xRUN 40MiB", "B": "B debian 2k files", "C": "C 10 steps", "big": f"big RUN {big_mib}MiB"}
print(f"Build + push, envbuilder vs buildah (bud --isolation chroot + push), local registry over TLS, "
      f"median of {reps} run(s)")
print(f"{'workload':20}{'measure':9}{'envbuilder s':>13}{'buildah s':>11}  {'fastest buildah':24}{'ratio':>7}"
      f"{'eb RSS':>8}{'bh RSS':>8}")
ratios_ok, warm_c = True, None
for w in order:
    for m in ("cold", "warm", "change"):
        if m not in figs[w]:
            continue
        d = figs[w][m]
        peers = {t: f for t, f in d.items() if t != "envbuilder"}
        if "envbuilder" not in d or not peers:
            continue
        best = min(peers, key=lambda t: peers[t]["median_s"])
        eb, bh = d["envbuilder"], peers[best]
        ratio = eb["median_s"] / bh["median_s"]
        row = {"workload": w, "measure": m, "envbuilder_s": eb["median_s"], "buildah_best": best,
               "buildah_s": bh["median_s"], "ratio": round(ratio, 2), "envbuilder_rss_mib": eb["peak_rss_mib"],
               "buildah_rss_mib": bh["peak_rss_mib"]}
        result["rows"].append(row)
        if m in ("cold", "warm") and ratio > 0.5:
            ratios_ok = False
        if w == "C" and m == "warm":
            warm_c = eb["median_s"]
        print(f"{names[w]:20}{m:9}{eb['median_s']:>13.2f}{bh['median_s']:>11.2f}  {best:24}{ratio:>7.2f}"
              f"{eb['peak_rss_mib']:>8}{bh['peak_rss_mib']:>8}")
print("RSS in MiB: the largest process (GNU time %M) over all runs of the row.")
print("All buildah variants (median s):")
for w in order:
    for m in ("cold", "warm", "change"):
        if m in figs[w]:
            print(f"  {w:4}{m:7}" + "  ".join(f"{t}={f['median_s']:.2f}" for t, f in sorted(figs[w][m].items())))
eb_rss = max(f["envbuilder"]["peak_rss_mib"] for w in figs.values() for f in w.values() if "envbuilder" in f)
big_rss = figs.get("big", {}).get("cold", {}).get("envbuilder", {}).get("peak_rss_mib")
result["goals"] = {
    "cold_and_warm_at_most_half_of_fastest_buildah": ratios_ok,
    "warm_rebuild_10_steps_under_1s": None if warm_c is None else warm_c < 1.0,
    "warm_rebuild_10_steps_s": warm_c,
    "peak_rss_under_100mib": eb_rss < 100, "envbuilder_peak_rss_mib": eb_rss, "envbuilder_big_rss_mib": big_rss}
g = result["goals"]
fmt = lambda b: "n/a" if b is None else ("met" if b else "NOT met")
print(f"Goals: cold/warm <= 0.5x fastest buildah: {fmt(g['cold_and_warm_at_most_half_of_fastest_buildah'])}; "
      f"10-step warm rebuild < 1 s: {fmt(g['warm_rebuild_10_steps_under_1s'])}"
      + (f" ({warm_c:.2f} s)" if warm_c is not None else "")
      + f"; peak RSS < 100 MiB: {fmt(g['peak_rss_under_100mib'])} ({eb_rss} MiB)")
if overlay_skip:
    print(f"buildah overlay skipped: {overlay_skip}")
print(json.dumps(result, separators=(",", ":")))
EOF
