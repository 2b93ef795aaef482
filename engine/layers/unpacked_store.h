#pragma once
// Layers unpacked once and kept, as overlayfs lower directories: a build on a base it has seen
// before mounts what is already there instead of unpacking the base again.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "oci/digest.h"

namespace envbuilder::layers {

// <dir>/<algorithm>-<hex> is the layer with that (compressed) digest unpacked in overlay format
// (apply_layer's overlay_format), <dir>/<algorithm>-<hex>.boot the boot it was made in. Trees
// are not synced to disk (that would cost every step a flush of all it wrote): one made in an
// earlier boot may have lost data in a crash, so it is unpacked again from its blob, which the
// blob store keeps durable. Trees appear by rename, complete or not at all; several processes
// may unpack the same layer at once (one rename wins).
class UnpackedLayers {
  public:
    // Removes what dead processes left. `user_attributes`: trees for user-namespace overlayfs
    // (user.overlay.* attributes), which belong in a directory of their own.
    UnpackedLayers(std::filesystem::path dir, bool user_attributes);

    // The tree of `layer` if it is here and trustworthy.
    std::optional<std::filesystem::path> find(const oci::Digest& layer) const;

    // The tree of `layer`, unpacked from `blob` first when it is not here. `lowers`: the trees
    // of the layers below (topmost first), where hard links to lower files are resolved.
    // Warnings of the unpacking are appended to `warnings`. Throws LayerError.
    std::filesystem::path ensure(const oci::Digest& layer, const std::filesystem::path& blob,
                                 const std::vector<std::filesystem::path>& lowers,
                                 std::vector<std::string>& warnings);

    // Takes `tree` (an overlay upper directory that holds exactly `layer`, on the same
    // filesystem) in as the layer's tree; when one is already here, `tree` is removed instead.
    std::filesystem::path adopt(const oci::Digest& layer, const std::filesystem::path& tree);

    const std::filesystem::path& dir() const { return dir_; }

  private:
    std::filesystem::path dir_;
    std::string boot_id_;
    bool user_attributes_;

    std::filesystem::path tree_of(const oci::Digest& layer) const;
    std::filesystem::path temporary() const;
    // Records the boot, then moves `tree` into place; false when another process was first.
    bool install(const oci::Digest& layer, const std::filesystem::path& tree);
};

}  // namespace envbuilder::layers
