#!/usr/bin/env bash
# base_images.sh - build the executor tests' base images locally, offline
# (only Debian's apt mirror is needed, and only for the debian image).
#
# Usage: tests/support/base_images.sh OUT_DIR [busybox|busybox-arm64|debian|all]
#        (default: all = busybox and debian)
#
# Produces OCI image layouts (https://github.com/opencontainers/image-spec):
#   OUT_DIR/busybox  tag "latest"    rootfs from Debian's busybox-static, with
#                                    /etc/passwd (root, daemon, nobody, app=1000)
#   OUT_DIR/debian   tag "bookworm"  debootstrap --variant=minbase bookworm
#   OUT_DIR/busybox-arm64  tag "latest"  the busybox image for linux/arm64, from
#                                    Debian's arm64 busybox-static .deb (same
#                                    version as the installed one, fetched from
#                                    the mirror and cached) - for builds under
#                                    an emulator
#
# Each image has a single tar+gzip layer written deterministically (sorted
# names, mtime 0, numeric owners, no atime/ctime, gzip -n) and a fixed
# "created" date, so the busybox layout is byte-identical on every run, and
# the debian one is byte-identical for the same cached debootstrap tarball.
#
# The debootstrap rootfs is cached as a tarball in
# ${BASE_IMAGE_CACHE:-/var/cache/envbuilder-test} (debootstrap takes minutes).
# An image already present in OUT_DIR and valid is left untouched.
# Each image is validated with `skopeo inspect` and `umoci unpack`.
#
# Needs root (ownership in the layers, debootstrap, umoci unpack) and the
# Debian packages: busybox-static debootstrap umoci skopeo jq (gzip, tar).
#
# Environment:
#   BASE_IMAGE_CACHE   where the debootstrap tarball is cached
#   DEBIAN_MIRROR      default http://deb.debian.org/debian
#   DEBIAN_SUITE       default bookworm (also the debian image's tag)
set -euo pipefail

readonly ENV_PATH="PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
readonly EPOCH_DATE="1970-01-01T00:00:00Z"
readonly MT_INDEX="application/vnd.oci.image.index.v1+json"
readonly MT_MANIFEST="application/vnd.oci.image.manifest.v1+json"
readonly MT_CONFIG="application/vnd.oci.image.config.v1+json"
readonly MT_LAYER_GZ="application/vnd.oci.image.layer.v1.tar+gzip"

CACHE_DIR="${BASE_IMAGE_CACHE:-/var/cache/envbuilder-test}"
DEBIAN_MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
DEBIAN_SUITE="${DEBIAN_SUITE:-bookworm}"

log() { printf 'base_images: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

usage() {
    echo "usage: $0 OUT_DIR [busybox|debian|all]" >&2
    exit 2
}

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

need() {
    local tool=$1 pkg=$2
    command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found: apt-get install $pkg"
}

# dpkg architecture -> Go/OCI architecture (and variant, if any)
oci_arch() {
    local deb
    deb=${IMAGE_DEB_ARCH:-$(dpkg --print-architecture)}
    case "$deb" in
        amd64) echo "amd64 " ;;
        arm64) echo "arm64 v8" ;;
        armhf) echo "arm v7" ;;
        armel) echo "arm v5" ;;
        i386) echo "386 " ;;
        ppc64el) echo "ppc64le " ;;
        mips64el) echo "mips64le " ;;
        s390x | riscv64) echo "$deb " ;;
        *) die "unsupported dpkg architecture: $deb" ;;
    esac
}

# Unmount whatever a failed debootstrap may have left mounted under DIR, then
# remove DIR without crossing into other filesystems.
remove_tree() {
    local dir=$1 mnt
    [[ -e "$dir" ]] || return 0
    dir=$(readlink -f "$dir")
    while read -r mnt; do
        umount -l "$mnt" 2>/dev/null || true
    done < <(awk -v d="$dir/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r)
    rm -rf --one-file-system "$dir"
}

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }
size_of() { stat -c %s "$1"; }

# Move FILE into LAYOUT/blobs/sha256/<digest> and print the digest hex.
put_blob() {
    local layout=$1 file=$2 hex
    hex=$(sha256_of "$file")
    mv -f "$file" "$layout/blobs/sha256/$hex"
    chmod 0644 "$layout/blobs/sha256/$hex"
    echo "$hex"
}

# Write a deterministic one-layer OCI image layout.
#   make_layout LAYOUT TAG ROOTFS CMD_JSON CREATED_BY [TAR_EXCLUDE...]
make_layout() {
    local layout=$1 tag=$2 rootfs=$3 cmd_json=$4 created_by=$5
    shift 5
    local arch variant
    read -r arch variant <<<"$(oci_arch)"

    rm -rf "$layout"
    mkdir -p "$layout/blobs/sha256"
    local work="$layout/.work"
    mkdir -p "$work"

    # The layer. Ownership comes from the rootfs itself (built as root),
    # stored numerically; every other varying field is pinned.
    local excludes=() pat
    for pat in "$@"; do excludes+=("--exclude=$pat"); done
    tar --create --file="$work/layer.tar" --directory="$rootfs" \
        --format=posix \
        --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
        --sort=name --mtime=@0 --numeric-owner \
        --no-acls --no-xattrs --no-selinux \
        "${excludes[@]}" .
    local diff_id
    diff_id=$(sha256_of "$work/layer.tar")
    gzip -n -6 -c "$work/layer.tar" >"$work/layer.tar.gz"
    rm -f "$work/layer.tar"
    local layer_size layer_hex
    layer_size=$(size_of "$work/layer.tar.gz")
    layer_hex=$(put_blob "$layout" "$work/layer.tar.gz")

    # The image config.
    jq -cn \
        --arg created "$EPOCH_DATE" --arg arch "$arch" --arg variant "$variant" \
        --arg env "$ENV_PATH" --argjson cmd "$cmd_json" \
        --arg diff "sha256:$diff_id" --arg by "$created_by" \
        '{created: $created, architecture: $arch}
         + (if $variant == "" then {} else {variant: $variant} end)
         + {os: "linux",
            config: {Env: [$env], Cmd: $cmd},
            rootfs: {type: "layers", diff_ids: [$diff]},
            history: [{created: $created, created_by: $by}]}' \
        | tr -d '\n' >"$work/config.json"
    local config_size config_hex
    config_size=$(size_of "$work/config.json")
    config_hex=$(put_blob "$layout" "$work/config.json")

    # The manifest.
    jq -cn \
        --arg mt "$MT_MANIFEST" \
        --arg cmt "$MT_CONFIG" --arg cdig "sha256:$config_hex" --argjson csize "$config_size" \
        --arg lmt "$MT_LAYER_GZ" --arg ldig "sha256:$layer_hex" --argjson lsize "$layer_size" \
        '{schemaVersion: 2, mediaType: $mt,
          config: {mediaType: $cmt, digest: $cdig, size: $csize},
          layers: [{mediaType: $lmt, digest: $ldig, size: $lsize}]}' \
        | tr -d '\n' >"$work/manifest.json"
    local manifest_size manifest_hex
    manifest_size=$(size_of "$work/manifest.json")
    manifest_hex=$(put_blob "$layout" "$work/manifest.json")

    # index.json and oci-layout.
    jq -cn \
        --arg imt "$MT_INDEX" --arg mt "$MT_MANIFEST" \
        --arg dig "sha256:$manifest_hex" --argjson size "$manifest_size" \
        --arg tag "$tag" --arg arch "$arch" --arg variant "$variant" \
        '{schemaVersion: 2, mediaType: $imt,
          manifests: [{mediaType: $mt, digest: $dig, size: $size,
                       platform: ({architecture: $arch, os: "linux"}
                                  + (if $variant == "" then {} else {variant: $variant} end)),
                       annotations: {"org.opencontainers.image.ref.name": $tag}}]}' \
        | tr -d '\n' >"$layout/index.json"
    printf '{"imageLayoutVersion":"1.0.0"}' >"$layout/oci-layout"
    chmod 0644 "$layout/index.json" "$layout/oci-layout"
    rmdir "$work"
}

# Cheap validity check, used to decide whether to skip a build: the layout
# parses, skopeo can read the tag, and every blob matches its digest.
layout_ok() {
    local layout=$1 tag=$2 blob
    [[ -f "$layout/index.json" && -f "$layout/oci-layout" ]] || return 1
    skopeo inspect "oci:$layout:$tag" >/dev/null 2>&1 || return 1
    for blob in "$layout"/blobs/sha256/*; do
        [[ -f "$blob" ]] || return 1
        [[ "$(sha256_of "$blob")" == "$(basename "$blob")" ]] || return 1
    done
}

# Full validation: skopeo inspect and umoci unpack into a scratch bundle.
validate_layout() {
    local layout=$1 tag=$2 bundle
    skopeo inspect "oci:$layout:$tag" >/dev/null ||
        die "skopeo inspect oci:$layout:$tag failed"
    bundle=$(mktemp -d "${TMPDIR:-/tmp}/base-images-bundle.XXXXXX")
    rmdir "$bundle"
    if ! umoci unpack --image "$layout:$tag" "$bundle" >/dev/null; then
        rm -rf "$bundle"
        die "umoci unpack --image $layout:$tag failed"
    fi
    [[ -f "$bundle/config.json" && -d "$bundle/rootfs" ]] ||
        die "umoci unpack of $layout:$tag made no bundle"
    rm -rf "$bundle"
}

# Build into a temp layout next to the final one, validate, then swap it in.
#   build_image NAME TAG BUILDER_FUNCTION
build_image() {
    local name=$1 tag=$2 builder=$3 start
    local final="$OUT_DIR/$name"
    start=$(now)
    if layout_ok "$final" "$tag"; then
        echo "$name: $final:$tag already present and valid ($(elapsed "$start"))"
        return 0
    fi
    local tmp="$OUT_DIR/.$name.tmp"
    remove_tree "$tmp"
    mkdir -p "$tmp"
    CLEANUP_DIR=$tmp
    "$builder" "$tmp/layout" "$tag" "$tmp"
    validate_layout "$tmp/layout" "$tag"
    rm -rf "$final"
    mv "$tmp/layout" "$final"
    remove_tree "$tmp"
    CLEANUP_DIR=
    echo "$name: built $final:$tag in $(elapsed "$start")"
}

# ---- busybox ---------------------------------------------------------------

build_busybox() {
    local layout=$1 tag=$2 scratch=$3
    need busybox busybox-static
    dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'ok installed' ||
        die "busybox-static is not installed: apt-get install busybox-static"
    local bb bbver host_bb
    host_bb=$(readlink -f "$(command -v busybox)")
    bb=${BUSYBOX_BINARY:-$host_bb}
    bbver=$(dpkg-query -W -f='${Version}' busybox-static)

    local root="$scratch/rootfs"
    mkdir -p "$root"
    chmod 0755 "$root"
    local d
    for d in bin sbin usr usr/bin usr/sbin usr/local usr/local/bin etc home var; do
        install -d -m 0755 -o 0 -g 0 "$root/$d"
    done
    install -d -m 0755 -o 0 -g 0 "$root/dev"
    install -d -m 0555 -o 0 -g 0 "$root/proc" "$root/sys"
    install -d -m 1777 -o 0 -g 0 "$root/tmp" "$root/var/tmp"
    install -d -m 0700 -o 0 -g 0 "$root/root"
    install -d -m 0755 -o 1000 -g 1000 "$root/home/app"

    install -m 0755 -o 0 -g 0 "$bb" "$root/bin/busybox"
    local applet
    while IFS= read -r applet; do
        [[ -n "$applet" && "$applet" != "bin/busybox" ]] || continue
        mkdir -p "$root/$(dirname "$applet")"
        ln -sfn /bin/busybox "$root/$applet"
    done < <("$host_bb" --list-full | LC_ALL=C sort)  # the same version's applets

    cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
app:x:1000:1000:app:/home/app:/bin/sh
EOF
    cat >"$root/etc/group" <<'EOF'
root:x:0:
daemon:x:1:
nogroup:x:65534:
app:x:1000:
EOF
    cat >"$root/etc/shadow" <<'EOF'
root:*:0:0:99999:7:::
daemon:*:0:0:99999:7:::
nobody:*:0:0:99999:7:::
app:*:0:0:99999:7:::
EOF
    chmod 0644 "$root/etc/passwd" "$root/etc/group"
    chmod 0640 "$root/etc/shadow"
    chown -R 0:0 "$root/etc"

    make_layout "$layout" "$tag" "$root" '["sh"]' \
        "busybox rootfs from Debian busybox-static $bbver (tests/support/base_images.sh)"
}

# The busybox image for another architecture: the same busybox-static version
# built for it, from the mirror's pool (the .deb cached in CACHE_DIR).
build_busybox_foreign() {
    local layout=$1 tag=$2 scratch=$3 deb_arch=$4
    need curl curl
    need dpkg-deb dpkg
    local filename deb
    filename=$(apt-cache show --no-all-versions busybox-static 2>/dev/null |
        sed -n 's/^Filename: //p' | head -n 1)
    [[ -n "$filename" ]] || die "apt-cache knows no busybox-static (apt-get update first)"
    filename=${filename%_*.deb}_$deb_arch.deb
    deb="$CACHE_DIR/$(basename "$filename")"
    if [[ ! -s "$deb" ]]; then
        mkdir -p "$CACHE_DIR"
        curl -fsSL -o "$deb.tmp.$$" "$DEBIAN_MIRROR/$filename" ||
            die "cannot fetch $DEBIAN_MIRROR/$filename"
        mv -f "$deb.tmp.$$" "$deb"
    fi
    mkdir -p "$scratch/deb"
    dpkg-deb -x "$deb" "$scratch/deb"
    [[ -x "$scratch/deb/bin/busybox" ]] || die "$deb has no bin/busybox"
    BUSYBOX_BINARY="$scratch/deb/bin/busybox" IMAGE_DEB_ARCH=$deb_arch \
        build_busybox "$layout" "$tag" "$scratch"
}
build_busybox_arm64() { build_busybox_foreign "$1" "$2" "$3" arm64; }

# ---- debian ----------------------------------------------------------------

# Make (or reuse) the cached debootstrap rootfs tarball; prints its path.
debian_rootfs_tarball() {
    local scratch=$1 deb_arch
    deb_arch=$(dpkg --print-architecture)
    local cached="$CACHE_DIR/debian-$DEBIAN_SUITE-minbase-$deb_arch.tar.gz"
    if [[ -s "$cached" ]] && gzip -t "$cached" 2>/dev/null; then
        log "reusing cached debootstrap rootfs $cached"
        echo "$cached"
        return 0
    fi
    need debootstrap debootstrap
    mkdir -p "$CACHE_DIR"
    local root="$scratch/debootstrap"
    remove_tree "$root"
    log "debootstrap --variant=minbase $DEBIAN_SUITE (takes a few minutes)..."
    if ! debootstrap --variant=minbase "$DEBIAN_SUITE" "$root" "$DEBIAN_MIRROR" \
        >"$CACHE_DIR/debootstrap.log" 2>&1; then
        tail -n 30 "$CACHE_DIR/debootstrap.log" >&2
        die "debootstrap failed (full log: $CACHE_DIR/debootstrap.log)"
    fi
    # Host-specific and cache files that do not belong in an image.
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/cache/apt/*.bin \
        "$root"/var/lib/apt/lists/* "$root"/debootstrap
    mkdir -p "$root/var/lib/apt/lists/partial"
    rm -f "$root/etc/resolv.conf" "$root/etc/hostname"
    : >"$root/etc/resolv.conf"
    chmod 0644 "$root/etc/resolv.conf"
    tar --create --directory="$root" --numeric-owner --sort=name \
        --exclude='./proc/*' --exclude='./sys/*' --exclude='./dev/*' . |
        gzip -n >"$cached.tmp.$$"
    mv -f "$cached.tmp.$$" "$cached"
    remove_tree "$root"
    echo "$cached"
}

build_debian() {
    local layout=$1 tag=$2 scratch=$3 tarball
    tarball=$(debian_rootfs_tarball "$scratch")
    local root="$scratch/rootfs"
    mkdir -p "$root"
    tar --extract --file="$tarball" --directory="$root" \
        --numeric-owner --same-owner --preserve-permissions
    local d
    for d in proc sys dev; do mkdir -p "$root/$d"; done
    # Host-specific files (also cleaned when the cache is made).
    rm -f "$root/etc/resolv.conf" "$root/etc/hostname"
    : >"$root/etc/resolv.conf"
    chmod 0644 "$root/etc/resolv.conf"
    local ver
    ver=$(cat "$root/etc/debian_version" 2>/dev/null || echo unknown)
    make_layout "$layout" "$tag" "$root" '["bash"]' \
        "debootstrap --variant=minbase $DEBIAN_SUITE ($ver) (tests/support/base_images.sh)" \
        './proc/*' './sys/*' './dev/*'
}

# ---- main ------------------------------------------------------------------

[[ $# -ge 1 && $# -le 2 ]] || usage
OUT_DIR=$1
WHICH=${2:-all}
case "$WHICH" in busybox | busybox-arm64 | debian | all) ;; *) usage ;; esac

[[ $EUID -eq 0 ]] || die "must run as root (layer ownership, debootstrap, umoci unpack)"
need tar tar
need gzip gzip
need jq jq
need skopeo skopeo
need umoci umoci
need sha256sum coreutils
need dpkg dpkg

umask 022
CLEANUP_DIR=
trap '[[ -z $CLEANUP_DIR ]] || remove_tree "$CLEANUP_DIR"' EXIT
mkdir -p "$OUT_DIR"
OUT_DIR=$(cd "$OUT_DIR" && pwd)

# Serialise concurrent runs on the same OUT_DIR.
if command -v flock >/dev/null 2>&1; then
    exec 9>"$OUT_DIR/.base_images.lock"
    flock 9
fi

total_start=$(now)
if [[ "$WHICH" == busybox || "$WHICH" == all ]]; then
    build_image busybox latest build_busybox
fi
if [[ "$WHICH" == busybox-arm64 ]]; then
    build_image busybox-arm64 latest build_busybox_arm64
fi
if [[ "$WHICH" == debian || "$WHICH" == all ]]; then
    build_image debian "$DEBIAN_SUITE" build_debian
fi
echo "total: $(elapsed "$total_start")"
