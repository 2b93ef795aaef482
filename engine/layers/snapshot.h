#pragma once
// What a filesystem tree looks like (lstat of every path), and what changed between two looks:
// how a RUN step's effect on a rootfs becomes the content of a new layer.
#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace envbuilder::layers {

struct FileState {
    uint32_t mode = 0;  // st_mode (type and permissions)
    uint32_t uid = 0, gid = 0;
    uint64_t size = 0;
    int64_t mtime_ns = 0, ctime_ns = 0;
    uint64_t ino = 0, dev = 0;
    uint64_t nlink = 0;
    std::string link_target;  // symlinks
};

// Every path under a root (relative, '/'-separated, e.g. "etc/passwd"; the root itself not
// included), from lstat; `excluded` paths (and everything under them) are left out (e.g. mount
// points a RUN step needed). Symlinks are recorded, never followed.
struct Snapshot {
    std::map<std::string, FileState> entries;
    static Snapshot scan(const std::filesystem::path& root,
                         const std::set<std::string>& excluded = {});
};

struct Change {
    // opaque: a directory (in the layer, as added) whose content in lower layers is hidden; the
    // layer carries an opaque marker for it.
    enum class Kind { added, modified, deleted, opaque };
    Kind kind;
    std::string path;
};

// What changed from `before` to `after`, sorted by path. A path counts as modified when type,
// mode, owner, size, mtime, ctime, inode or link target differ (ctime catches chmod/chown and
// content rewrites that restore mtime). A deleted directory is reported once (not its
// children); a path whose type changed from directory to something else is `deleted` + `added`
// (in that order).
std::vector<Change> diff(const Snapshot& before, const Snapshot& after);

}  // namespace envbuilder::layers
