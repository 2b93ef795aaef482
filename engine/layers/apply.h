#pragma once
// Unpacks an image layer onto a root filesystem, as a container runtime does when it builds a
// rootfs from an image: OCI whiteouts honoured, metadata kept, and every path confined to the
// root however hostile the layer is.
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "layers/unpack_limits.h"
#include "oci/digest.h"

namespace envbuilder::layers {

class LayerError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// overlay_format only: the layer cannot be a tree of its own (an entry goes through a symlink
// of a lower layer, or the whole root is made opaque); the caller unpacks onto a merged root.
class NeedsMergedRoot : public LayerError {
  public:
    using LayerError::LayerError;
};

struct ApplyOptions {
    // chown entries and create device nodes; otherwise skip devices with a warning and keep the
    // caller's ownership
    bool privileged = ::geteuid() == 0;
    // Unpack into an empty directory that will be an overlayfs lower layer: whiteouts become
    // 0:0 character devices and opaque markers the trusted.overlay.opaque attribute, instead of
    // removing what lies below (which is in other directories).
    // (with overlay_format) which attribute marks opaque directories
    bool overlay_user_attributes = false;
    bool overlay_format = false;
    // overlay_format only: a read-only view of the layers below (their overlayfs merge), where
    // a parent directory the layer does not list takes its metadata from, and a hard link whose
    // target is not in this layer finds the file to copy (overlayfs cannot link across
    // layers). Empty: nothing below.
    std::filesystem::path lower_view;

    // How messages name the layer (its digest); empty: by its file.
    std::string label;
    // The layer's diff_id from the image config: the digest of its uncompressed tar, computed
    // as the layer streams in. A different one is refused once the stream ends (the caller
    // drops the tree it was unpacking into).
    std::optional<oci::Digest> expected_diff_id;
    // Limits on the uncompressed size, counted as the layer is decompressed: one layer's
    // (budget's max_layer_bytes, default kDefaultMaxLayerSize when no budget) and the whole
    // build's (shared by every layer charged to the same budget).
    UnpackBudget* budget = nullptr;
};

struct ApplyResult {
    uint64_t entries = 0;
    std::vector<std::string> warnings;
    // overlay_format: something was taken from lower_view, so the tree fits only those layers
    bool used_lower_view = false;
    // The digest of the uncompressed tar (the layer's diff_id) and its size.
    oci::Digest diff_id;
    uint64_t uncompressed_bytes = 0;
};

// Applies one layer file (tar, tar+gzip or tar+zstd, detected from its content) onto `root`,
// streaming (never the whole layer in memory).
// OCI whiteouts: `.wh.NAME` removes NAME (file or whole tree) of lower layers; `.wh..wh..opq` in
// a directory removes what lower layers put in it (entries of this same layer stay, whatever
// their order in the tar).
// Keeps regular files, directories, symlinks, hard links (to entries already in root), fifos,
// device nodes (privileged only), modes incl. setuid/setgid/sticky, uid/gid (privileged), mtimes
// (directories' mtimes set after their content), and xattrs (incl. security.capability).
// Safety: every path is resolved inside `root` (openat2 RESOLVE_IN_ROOT semantics), so nothing
// is ever created, changed or removed outside `root`. Refused with a LayerError that names the
// layer file and the entry: an entry name containing a `..` component or that is absolute, a
// hard link whose target name has `..` or is absolute or does not exist in root, an entry
// replacing root itself. Replacing an existing directory with a non-directory removes the
// directory tree (as Docker does); an existing non-directory is replaced by a directory.
// A directory entry for the root itself ("./") is accepted and leaves the root untouched: the
// root belongs to the caller. Refused too: a layer whose uncompressed content goes over the
// limits (naming the limit and how to raise it), or does not have the expected diff_id; a full
// disk is a LayerError that says so. Extended attributes in overlayfs's own namespaces
// (trusted.overlay.*, user.overlay.*) are never taken from a layer: they would steer the mount.
ApplyResult apply_layer(const std::filesystem::path& layer_file, const std::filesystem::path& root,
                        const ApplyOptions& options = {});

}  // namespace envbuilder::layers
