#pragma once
// Layers unpacked once and kept, as overlayfs lower directories: a build on a base it has seen
// before mounts what is already there instead of unpacking the base again.
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "layers/apply.h"
#include "oci/digest.h"

namespace envbuilder::layers {

// <dir>/<algorithm>-<hex> is the layer with that (compressed) digest unpacked in overlay format
// (apply_layer's overlay_format). A layer that leaves parent directories out, or hard-links to
// files below it, takes those from the layers below: its tree then fits only that stack and is
// kept as <algorithm>-<hex>@<chain> instead, <chain> naming the layers below.
// <tree>.boot records the boot the tree was made in. Trees are not synced to disk (that would
// cost every step a flush of all it wrote): one made in an earlier boot may have lost data in a
// crash, so it is unpacked again from its blob, which the blob store keeps durable. Trees
// appear by rename, complete or not at all; several processes may unpack the same layer at
// once (one rename wins); what a killed process was unpacking is found by its unheld lock and
// removed.
class UnpackedLayers {
  public:
    // `user_attributes`: trees for user-namespace overlayfs (user.overlay.* attributes), which
    // belong in a directory of their own. Throws std::runtime_error when the boot cannot be told.
    UnpackedLayers(std::filesystem::path dir, bool user_attributes);

    // The tree of `layer` over the layers `chain` names, if it is here and trustworthy.
    std::optional<std::filesystem::path> find(const oci::Digest& layer,
                                              const std::string& chain) const;

    // The tree of `layer` (over the layers `chain` names), unpacked from `blob` first when it is
    // not here; `lower_view` gives a read-only view of the layers below when unpacking needs one
    // (empty path: nothing below). Warnings of the unpacking are appended to `warnings`.
    // `checks` carries the label, expected diff_id and budget for the unpacking (its other
    // fields are the store's own); the diff_id a tree was unpacked with is kept beside it
    // (<tree>.diff_id), so a tree found here is checked against the expected one too. Throws
    // LayerError (NeedsMergedRoot when the layer cannot be a tree of its own); what was being
    // unpacked is removed.
    std::filesystem::path ensure(const oci::Digest& layer, const std::filesystem::path& blob,
                                 const std::string& chain,
                                 const std::function<std::filesystem::path()>& lower_view,
                                 std::vector<std::string>& warnings, const ApplyOptions& checks);

    // Takes `tree` (an overlay upper directory that holds exactly `layer`, on the same
    // filesystem) in as the layer's tree; when one is already here, `tree` is removed instead.
    // `diff_id`: the digest of the layer's tar, as the layer writer computed it.
    std::filesystem::path adopt(const oci::Digest& layer, const std::filesystem::path& tree,
                                const oci::Digest& diff_id);

    const std::filesystem::path& dir() const { return dir_; }

  private:
    std::filesystem::path dir_;
    std::string boot_id_;
    bool user_attributes_;

    std::filesystem::path tree_of(const oci::Digest& layer, const std::string& chain = {}) const;
    std::optional<std::filesystem::path> trusted(const std::filesystem::path& tree) const;
    // Records the boot (and the diff_id, when known), then moves `tree` into place; false when
    // another process was first.
    bool install(const std::filesystem::path& tree, const std::filesystem::path& target,
                 const std::optional<oci::Digest>& diff_id = std::nullopt);
};

}  // namespace envbuilder::layers
