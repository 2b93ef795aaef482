#include "layers/confined_root.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "syntax/path_components.h"

namespace envbuilder::layers {

namespace {

// Linux resolves at most 40 symlinks per lookup; the same bound for the ones we follow by hand.
constexpr int max_symlink_hops = 40;

int openat2_retrying(int dir, const std::string& path, uint64_t flags, uint64_t resolve) {
    open_how how{};
    how.flags = flags | O_CLOEXEC;
    how.resolve = resolve;
    for (int attempt = 0;; ++attempt) {
        long fd = ::syscall(SYS_openat2, dir, path.c_str(), &how, sizeof how);
        // EAGAIN: a concurrent rename raced a ".." lookup; the kernel asks us to try again.
        if (fd < 0 && (errno == EAGAIN || errno == EINTR) && attempt < 16) continue;
        return static_cast<int>(fd);
    }
}

}  // namespace

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
    if (this != &other) {
        reset();
        fd_ = other.release();
    }
    return *this;
}

int UniqueFd::release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
}

void UniqueFd::reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

void throw_errno(const std::string& what, int error) {
    throw std::system_error(error, std::generic_category(), what);
}

std::optional<std::vector<std::string>> split_entry_name(std::string_view name,
                                                         std::string* problem) {
    if (name.empty()) {
        *problem = "the name is empty";
        return std::nullopt;
    }
    if (name.front() == '/') {
        *problem = "the name is absolute";
        return std::nullopt;
    }
    std::vector<std::string> components;
    for (std::string_view part : dockerfile::path_components(name, /*drop_dots=*/true)) {
        if (part == "..") {
            *problem = "the name has a '..' component";
            return std::nullopt;
        }
        components.emplace_back(part);
    }
    return components;
}

std::string join_components(const std::vector<std::string>& components, size_t count) {
    std::string joined;
    for (size_t i = 0; i < count && i < components.size(); ++i) {
        if (i) joined += '/';
        joined += components[i];
    }
    return joined.empty() ? "." : joined;
}

ConfinedRoot::ConfinedRoot(const std::filesystem::path& root)
    : path_(root), root_(::open(root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC)) {
    if (!root_) throw_errno("cannot open " + root.string(), errno);
}

ParentAndLeaf ConfinedRoot::open_parent_in_root(const std::vector<std::string>& components) const {
    if (components.empty()) throw_errno("no parent for the root itself", EINVAL);
    const uint64_t in_root = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
    std::vector<std::string> pending(components.begin(), components.end() - 1);
    ParentAndLeaf result{UniqueFd(), components.back()};

    // The common case: every parent exists.
    result.parent = UniqueFd(openat2_retrying(fd(), join_components(pending, pending.size()),
                                              O_PATH | O_DIRECTORY, in_root));
    if (result.parent) return result;
    if (errno != ENOENT)
        throw_errno("cannot open the parent of " + join_components(components, components.size()),
                    errno);

    // Walk the prefixes from the root, creating what is missing. A dangling symlink on the way
    // is replaced by the components of its target and the walk starts over, as a `mkdir -p`
    // inside the container would create the directory the link points to.
    int hops = 0;
    UniqueFd dir(openat2_retrying(fd(), ".", O_PATH | O_DIRECTORY, in_root));
    if (!dir) throw_errno("cannot open " + path_.string(), errno);
    for (size_t i = 0; i < pending.size();) {
        const std::string prefix = join_components(pending, i + 1);
        UniqueFd next(openat2_retrying(fd(), prefix, O_PATH | O_DIRECTORY, in_root));
        if (next) {
            dir = std::move(next);
            ++i;
            continue;
        }
        if (errno != ENOENT) throw_errno("cannot open " + prefix, errno);
        auto st = stat_leaf(dir.get(), pending[i]);
        if (!st) {
            if (::mkdirat(dir.get(), pending[i].c_str(), 0755) != 0 && errno != EEXIST)
                throw_errno("cannot create directory " + prefix, errno);
            continue;  // open it on the next round
        }
        if (!S_ISLNK(st->st_mode)) throw_errno("cannot open " + prefix, ENOTDIR);
        if (++hops > max_symlink_hops) throw_errno("cannot resolve " + prefix, ELOOP);
        std::string target(PATH_MAX, '\0');
        ssize_t n = ::readlinkat(dir.get(), pending[i].c_str(), target.data(), target.size());
        if (n < 0) throw_errno("cannot read symlink " + prefix, errno);
        target.resize(static_cast<size_t>(n));
        std::vector<std::string> spliced;
        if (target.empty() || target.front() != '/')
            spliced.assign(pending.begin(), pending.begin() + static_cast<ptrdiff_t>(i));
        for (std::string_view part : dockerfile::path_components(target, /*drop_dots=*/true))
            spliced.emplace_back(part);
        spliced.insert(spliced.end(), pending.begin() + static_cast<ptrdiff_t>(i) + 1,
                       pending.end());
        pending = std::move(spliced);
        dir = UniqueFd(openat2_retrying(fd(), ".", O_PATH | O_DIRECTORY, in_root));
        if (!dir) throw_errno("cannot open " + path_.string(), errno);
        i = 0;
    }
    result.parent = std::move(dir);
    return result;
}

std::optional<ParentAndLeaf> ConfinedRoot::find_parent_in_root(
    const std::vector<std::string>& components) const {
    if (components.empty()) throw_errno("no parent for the root itself", EINVAL);
    const std::string parent = join_components(components, components.size() - 1);
    UniqueFd dir(openat2_retrying(fd(), parent, O_PATH | O_DIRECTORY,
                                  RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS));
    if (dir) return ParentAndLeaf{std::move(dir), components.back()};
    if (errno == ENOENT || errno == ENOTDIR) return std::nullopt;
    throw_errno("cannot open " + parent + " in " + path_.string(), errno);
}

ParentAndLeaf ConfinedRoot::open_parent_beneath(const std::vector<std::string>& components) const {
    if (components.empty()) throw_errno("no parent for the root itself", EINVAL);
    const std::string parent = join_components(components, components.size() - 1);
    UniqueFd dir(openat2_retrying(fd(), parent, O_PATH | O_DIRECTORY,
                                  RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS));
    if (!dir) throw_errno("cannot open " + parent + " in " + path_.string(), errno);
    return {std::move(dir), components.back()};
}

std::optional<struct stat> stat_leaf(int dir, const std::string& leaf) {
    struct stat st {};
    if (::fstatat(dir, leaf.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) return st;
    if (errno == ENOENT) return std::nullopt;
    throw_errno("cannot stat " + leaf, errno);
}

std::vector<std::string> list_names(int dir) {
    UniqueFd listing(::openat(dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    DIR* d = listing ? ::fdopendir(listing.get()) : nullptr;
    if (!d) throw_errno("cannot list a directory", errno);
    listing.release();  // owned by d now
    std::vector<std::string> names;
    while (dirent* e = ::readdir(d)) {
        std::string name = e->d_name;
        if (name != "." && name != "..") names.push_back(std::move(name));
    }
    ::closedir(d);
    return names;
}

void remove_tree_at(int dir, const std::string& leaf) {
    auto st = stat_leaf(dir, leaf);
    if (!st) return;
    if (S_ISDIR(st->st_mode)) {
        UniqueFd sub(::openat(dir, leaf.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!sub) throw_errno("cannot open directory " + leaf, errno);
        // Names first, removals after: deleting while readdir() walks is not portable.
        const std::vector<std::string> names = list_names(sub.get());
        for (const auto& name : names) remove_tree_at(sub.get(), name);
        if (::unlinkat(dir, leaf.c_str(), AT_REMOVEDIR) != 0 && errno != ENOENT)
            throw_errno("cannot remove directory " + leaf, errno);
        return;
    }
    if (::unlinkat(dir, leaf.c_str(), 0) != 0 && errno != ENOENT)
        throw_errno("cannot remove " + leaf, errno);
}

std::string xattr_path(int dir, const std::string& leaf) {
    return "/proc/self/fd/" + std::to_string(dir) + "/" + leaf;
}

}  // namespace envbuilder::layers
