#include "layers/overlay.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <system_error>

#include "layers/confined_root.h"

namespace envbuilder::layers {

namespace fs = std::filesystem;

namespace {

bool in_initial_user_namespace() {
    std::ifstream map("/proc/self/uid_map");
    uint64_t inside = 1, outside = 1, count = 0;
    map >> inside >> outside >> count;
    return inside == 0 && outside == 0 && count == 4294967295ULL;
}

// Mount options take ',' and ':' as separators; our own paths never have them, and anything
// else would be misread rather than refused by the kernel.
void check_option_path(const fs::path& p) {
    if (p.string().find_first_of(",:\\") != std::string::npos)
        throw std::system_error(
            EINVAL, std::generic_category(),
            "overlayfs cannot take the path " + p.string() + " (it has ',', ':' or '\\')");
}

// mount(2) takes the options as one page: lower directories are named relative to their common
// parent, which a forked child enters (the builder's own working directory stays put).
void mount_overlay(std::vector<fs::path> lowers, fs::path upper, fs::path work, fs::path target,
                   OverlayAttributes attributes) {
    // The child changes directory: every path must stand on its own.
    for (auto& l : lowers) l = fs::absolute(l);
    if (!upper.empty()) upper = fs::absolute(upper), work = fs::absolute(work);
    target = fs::absolute(target);
    fs::path common = lowers.front().parent_path();
    for (const auto& l : lowers)
        if (l.parent_path() != common) common.clear();
    std::string options = "lowerdir=";
    for (size_t i = 0; i < lowers.size(); ++i) {
        check_option_path(lowers[i]);
        if (i) options += ':';
        options += common.empty() ? lowers[i].string() : lowers[i].filename().string();
    }
    if (!upper.empty()) {
        check_option_path(upper);
        check_option_path(work);
        options += ",upperdir=" + upper.string() + ",workdir=" + work.string();
    }
    // nofollow: redirects are neither made nor honoured (a layer tree never has one).
    options += ",redirect_dir=nofollow,index=off,metacopy=off";
    if (attributes == OverlayAttributes::user) options += ",userxattr";
    // volatile: no sync of the upper directory, neither the RUN's own fsync calls (package
    // managers make thousands) nor the one at unmount. A crash loses the build anyway, and the
    // trees made from upper directories are only trusted within the boot that wrote them.
    static std::atomic<bool> volatile_refused{false};
    const bool try_volatile = !upper.empty() && !volatile_refused;
    if (options.size() + 16 >= static_cast<size_t>(::sysconf(_SC_PAGESIZE)))
        throw std::system_error(E2BIG, std::generic_category(),
                                "overlayfs mount of " + std::to_string(lowers.size()) +
                                    " layers: the options exceed a page");
    auto attempt = [&](const std::string& with) {
        const pid_t child = ::fork();
        if (child < 0) throw std::system_error(errno, std::generic_category(), "fork");
        if (child == 0) {
            if (!common.empty() && ::chdir(common.c_str()) != 0) ::_exit(errno & 0xff);
            if (::mount("overlay", target.c_str(), "overlay", 0, with.c_str()) != 0)
                ::_exit(errno & 0xff);
            ::_exit(0);
        }
        int status = 0;
        while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
        }
        return WIFEXITED(status) ? WEXITSTATUS(status) : EIO;
    };
    int error = attempt(try_volatile ? options + ",volatile" : options);
    if (error == EINVAL && try_volatile) {  // a kernel before 5.10
        error = attempt(options);
        if (error == 0) volatile_refused = true;
    }
    if (error != 0)
        throw std::system_error(error, std::generic_category(),
                                "cannot mount overlayfs on " + target.string());
}

bool is_whiteout(const struct stat& st) {
    return S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0);
}

// The extended attributes of a path, overlayfs's own left out.
std::map<std::string, std::string> attributes_of(const std::string& path) {
    std::map<std::string, std::string> found;
    ssize_t size = ::llistxattr(path.c_str(), nullptr, 0);
    if (size <= 0) return found;
    std::string names(static_cast<size_t>(size), '\0');
    size = ::llistxattr(path.c_str(), names.data(), names.size());
    if (size <= 0) return found;
    names.resize(static_cast<size_t>(size));
    for (size_t start = 0; start < names.size();) {
        size_t end = names.find('\0', start);
        if (end == std::string::npos) end = names.size();
        std::string name = names.substr(start, end - start);
        start = end + 1;
        if (name.empty() || name.rfind("trusted.overlay.", 0) == 0 ||
            name.rfind("user.overlay.", 0) == 0)
            continue;
        ssize_t length = ::lgetxattr(path.c_str(), name.c_str(), nullptr, 0);
        std::string value(length > 0 ? static_cast<size_t>(length) : 0, '\0');
        if (length > 0) ::lgetxattr(path.c_str(), name.c_str(), value.data(), value.size());
        found.emplace(std::move(name), std::move(value));
    }
    return found;
}

bool is_opaque(int dir, const std::string& leaf, OverlayAttributes attributes) {
    char value[2] = {};
    ssize_t n = ::lgetxattr(xattr_path(dir, leaf).c_str(), opaque_attribute(attributes), value,
                            sizeof value);
    return n == 1 && value[0] == 'y';
}

struct UpperWalk {
    const std::set<std::string>& excluded;
    OverlayAttributes attributes;
    std::vector<Change> changes;

    // Returns whether anything at or under `path` changed.
    bool entry(int upper_dir, int view_dir, const std::string& leaf, const std::string& path) {
        if (excluded.count(path)) return false;
        auto st = stat_leaf(upper_dir, leaf);
        if (!st) return false;  // removed while we looked
        std::optional<struct stat> before =
            view_dir >= 0 ? stat_leaf(view_dir, leaf) : std::nullopt;
        if (is_whiteout(*st)) {
            if (!before) return false;  // hides nothing
            changes.push_back({Change::Kind::deleted, path});
            return true;
        }
        if (!S_ISDIR(st->st_mode)) {
            if (before && S_ISDIR(before->st_mode)) {
                changes.push_back({Change::Kind::deleted, path});
                before.reset();
            }
            changes.push_back({before ? Change::Kind::modified : Change::Kind::added, path});
            return true;
        }
        const bool had_directory = before && S_ISDIR(before->st_mode);
        const bool opaque = had_directory && is_opaque(upper_dir, leaf, attributes);
        UniqueFd sub(
            ::openat(upper_dir, leaf.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!sub) throw_errno("cannot open directory " + path, errno);
        // Below an opaque directory nothing of the lower layers shows: every entry is new.
        UniqueFd view_sub;
        if (had_directory && !opaque)
            view_sub = UniqueFd(
                ::openat(view_dir, leaf.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        const size_t at = changes.size();
        bool beneath = false;
        for (const auto& name : list_names(sub.get()))
            beneath |= entry(sub.get(), view_sub ? view_sub.get() : -1, name, path + "/" + name);
        if (had_directory && !opaque && !beneath) {
            const struct stat& was = before.value();
            if (was.st_mode == st->st_mode && was.st_uid == st->st_uid &&
                was.st_gid == st->st_gid && was.st_mtim.tv_sec == st->st_mtim.tv_sec &&
                was.st_mtim.tv_nsec == st->st_mtim.tv_nsec &&
                attributes_of(xattr_path(upper_dir, leaf)) ==
                    attributes_of(xattr_path(view_dir, leaf)))
                return false;  // only copied up (an ACL or attribute set on it would show)
        }
        std::vector<Change> own;
        if (before && !had_directory) own.push_back({Change::Kind::deleted, path});
        own.push_back({opaque          ? Change::Kind::opaque
                       : had_directory ? Change::Kind::modified
                                       : Change::Kind::added,
                       path});
        changes.insert(changes.begin() + static_cast<std::ptrdiff_t>(at), own.begin(), own.end());
        return true;
    }
};

}  // namespace

const char* opaque_attribute(OverlayAttributes attributes) {
    return attributes == OverlayAttributes::user ? "user.overlay.opaque" : "trusted.overlay.opaque";
}

OverlaySupport probe_overlay(const fs::path& scratch) {
    OverlaySupport support;
    if (::geteuid() != 0) {
        support.unavailable = "the build does not run as root (of a user namespace)";
        return support;
    }
    if (!in_initial_user_namespace()) support.attributes = OverlayAttributes::user;
    const fs::path base = scratch / ("overlay-probe-" + std::to_string(::getpid()));
    std::error_code ec;
    fs::remove_all(base, ec);
    for (const char* d : {"lower", "upper", "work", "merged"}) fs::create_directories(base / d, ec);
    if (ec) {
        support.unavailable = "cannot create " + base.string() + ": " + ec.message();
        return support;
    }
    try {
        mount_overlay({base / "lower"}, base / "upper", base / "work", base / "merged",
                      support.attributes);
        // Whiteouts and opaque markers are what the lower directories are made of.
        if (::mknod((base / "lower" / "w").c_str(), S_IFCHR, makedev(0, 0)) != 0 ||
            ::setxattr((base / "lower").c_str(), opaque_attribute(support.attributes), "y", 1, 0) !=
                0)
            support.unavailable =
                std::string("cannot make overlay whiteouts here: ") + std::strerror(errno);
        ::umount2((base / "merged").c_str(), MNT_DETACH);
    } catch (const std::system_error& e) {
        support.unavailable = e.what();
    }
    fs::remove_all(base, ec);
    return support;
}

OverlayMount::OverlayMount(const std::vector<fs::path>& lowers, const fs::path& upper,
                           const fs::path& work, const fs::path& target,
                           OverlayAttributes attributes)
    : target_(target) {
    if (lowers.empty())
        throw std::system_error(EINVAL, std::generic_category(), "overlayfs needs a lower layer");
    std::vector<fs::path> stack = lowers;
    if (upper.empty() && stack.size() == 1) {
        empty_ = target.string() + ".empty";
        fs::create_directories(empty_);
        stack.push_back(empty_);
    }
    fs::create_directories(target);
    mount_overlay(stack, upper, work, target, attributes);
}

OverlayMount::~OverlayMount() {
    ::umount2(target_.c_str(), MNT_DETACH);
    std::error_code ec;
    if (!empty_.empty()) fs::remove(empty_, ec);
}

std::vector<Change> upper_changes(const fs::path& upper, const fs::path& lower_view,
                                  const std::set<std::string>& excluded,
                                  OverlayAttributes attributes) {
    std::set<std::string> skip;
    for (std::string p : excluded) {
        while (!p.empty() && p.front() == '/') p.erase(0, 1);
        while (!p.empty() && p.back() == '/') p.pop_back();
        if (!p.empty()) skip.insert(p);
    }
    UniqueFd upper_fd(::open(upper.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!upper_fd) throw_errno("cannot open " + upper.string(), errno);
    UniqueFd view_fd(::open(lower_view.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!view_fd) throw_errno("cannot open " + lower_view.string(), errno);
    UpperWalk walk{skip, attributes, {}};
    for (const auto& name : list_names(upper_fd.get()))
        walk.entry(upper_fd.get(), view_fd.get(), name, name);
    // diff()'s order: by path, a deletion before an addition at the same path.
    std::stable_sort(walk.changes.begin(), walk.changes.end(),
                     [](const Change& a, const Change& b) { return a.path < b.path; });
    return walk.changes;
}

}  // namespace envbuilder::layers
