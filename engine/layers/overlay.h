#pragma once
// Stage roots as overlayfs mounts: unpacked layers as read-only lower directories and a fresh
// upper directory that, once a step has run, holds exactly what the step changed — no scan of
// the whole tree before and after.
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "layers/snapshot.h"

namespace envbuilder::layers {

// Where overlayfs keeps its own attributes (opaque markers): trusted.overlay.* as real root;
// user.overlay.* (mount option userxattr) inside a user namespace, which cannot write trusted.*.
// Layer trees of one kind do not work as the other.
enum class OverlayAttributes { trusted, user };
const char* opaque_attribute(OverlayAttributes attributes);

struct OverlaySupport {
    std::optional<std::string> unavailable;  // why not, when overlayfs cannot be used here
    OverlayAttributes attributes = OverlayAttributes::trusted;
};
// Whether stage roots can be overlayfs mounts here: root, or root of a user namespace with a
// kernel that mounts overlayfs there; tried for real (mount with an upper directory, whiteout,
// opaque marker) under `scratch`.
OverlaySupport probe_overlay(const std::filesystem::path& scratch);

// An overlayfs mount, unmounted (lazily) when destroyed.
class OverlayMount {
  public:
    // `lowers`: topmost first, at least one. With `upper` and `work` empty, a read-only view of
    // the lowers (an empty directory is stacked below a single lower, as overlayfs wants two).
    // Renames of lower directories fail with EXDEV (redirect_dir=nofollow), so the upper directory
    // never needs redirect attributes interpreted. Throws std::system_error.
    OverlayMount(const std::vector<std::filesystem::path>& lowers,
                 const std::filesystem::path& upper, const std::filesystem::path& work,
                 const std::filesystem::path& target,
                 OverlayAttributes attributes = OverlayAttributes::trusted);
    ~OverlayMount();
    OverlayMount(const OverlayMount&) = delete;
    OverlayMount& operator=(const OverlayMount&) = delete;

    const std::filesystem::path& target() const { return target_; }

  private:
    std::filesystem::path target_;
    std::filesystem::path empty_;  // the extra lower of a one-layer view, removed with the mount
};

// A step's change set read from the upper directory of its mount, with `lower_view` (a view of
// the lowers alone) telling what was there before: whiteouts become `deleted`, directories
// marked opaque over a directory below become `opaque`, a non-directory over a directory below
// becomes `deleted` + `added`, every other entry `added` or `modified`. Directories the kernel
// only copied up (same type, mode, owner and mtime as below, nothing changed beneath) are left
// out. `excluded` paths (mount points of the sandbox) and what is under them are skipped.
std::vector<Change> upper_changes(const std::filesystem::path& upper,
                                  const std::filesystem::path& lower_view,
                                  const std::set<std::string>& excluded = {},
                                  OverlayAttributes attributes = OverlayAttributes::trusted);

}  // namespace envbuilder::layers
