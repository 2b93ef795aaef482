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

// Why stage roots cannot be overlayfs mounts here (nullopt when they can): needs root outside
// any user namespace (the lower directories carry trusted.overlay.* attributes) and a kernel
// that mounts overlayfs with an upper directory under `scratch`, which is tried for real.
std::optional<std::string> overlay_unavailable(const std::filesystem::path& scratch);

// An overlayfs mount, unmounted (lazily) when destroyed.
class OverlayMount {
  public:
    // `lowers`: topmost first, at least one. With `upper` and `work` empty, a read-only view of
    // the lowers (an empty directory is stacked below a single lower, as overlayfs wants two).
    // Renames of lower directories fail with EXDEV (redirect_dir=off), so the upper directory
    // never needs redirect attributes interpreted. Throws std::system_error.
    OverlayMount(const std::vector<std::filesystem::path>& lowers,
                 const std::filesystem::path& upper, const std::filesystem::path& work,
                 const std::filesystem::path& target);
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
                                  const std::set<std::string>& excluded = {});

}  // namespace envbuilder::layers
