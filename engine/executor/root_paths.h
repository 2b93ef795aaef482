#pragma once
// Paths and users inside a stage's root filesystem, seen the way the container sees them.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace envbuilder::executor {

// The host path under `root` for `path` inside the image: symlinks are followed as the container
// would follow them (absolute targets start again at the root, ".." stops at the root), so the
// result is always inside `root`. The last component is followed only when `follow_last`; missing
// components are kept as written. Throws std::runtime_error on a symlink loop.
std::filesystem::path resolve_in_root(const std::filesystem::path& root, std::string_view path,
                                      bool follow_last = true);

struct UserIds {
    uint32_t uid = 0;
    uint32_t gid = 0;
    std::vector<uint32_t> groups;  // supplementary, from /etc/group
};

// USER's value ("name", "uid", "name:group", "uid:gid") resolved through the root's /etc/passwd
// and /etc/group as a container runtime does: a numeric user missing from passwd gets gid 0.
// Throws std::runtime_error naming what was not found.
UserIds resolve_user(const std::filesystem::path& root, std::string_view user);

// The home directory /etc/passwd gives the user of a USER value ("name" or "uid", a ":group"
// ignored), or "" when the user is not there (as `getent passwd USER | cut -d: -f6` would).
std::string home_of(const std::filesystem::path& root, std::string_view user);

// COPY/ADD --chown's value: as USER, except that a user without a group gets the same number as
// its gid when numeric, or its primary group when named (Docker's rule).
UserIds resolve_chown(const std::filesystem::path& root, std::string_view owner);

}  // namespace envbuilder::executor
