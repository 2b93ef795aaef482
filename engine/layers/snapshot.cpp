#include "layers/snapshot.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>

#include "layers/confined_root.h"

namespace envbuilder::layers {

namespace {

int64_t nanoseconds(const timespec& t) {
    return static_cast<int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

// "/proc/", "proc" and "proc/" all name the same excluded path.
std::set<std::string> normalized(const std::set<std::string>& paths) {
    std::set<std::string> result;
    for (std::string p : paths) {
        while (!p.empty() && p.front() == '/') p.erase(0, 1);
        while (!p.empty() && p.back() == '/') p.pop_back();
        if (!p.empty()) result.insert(std::move(p));
    }
    return result;
}

void scan_directory(int dir, const std::string& prefix, const std::set<std::string>& excluded,
                    Snapshot& out) {
    for (const std::string& name : list_names(dir)) {
        const std::string path = prefix.empty() ? name : prefix + "/" + name;
        if (excluded.count(path)) continue;
        struct stat st {};
        if (::fstatat(dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
            if (errno == ENOENT) continue;  // removed while we looked
            throw_errno("cannot stat " + path, errno);
        }
        FileState state;
        state.mode = st.st_mode;
        state.uid = st.st_uid;
        state.gid = st.st_gid;
        state.size = static_cast<uint64_t>(st.st_size);
        state.mtime_ns = nanoseconds(st.st_mtim);
        state.ctime_ns = nanoseconds(st.st_ctim);
        state.ino = st.st_ino;
        state.dev = st.st_dev;
        state.nlink = st.st_nlink;
        if (S_ISLNK(st.st_mode)) {
            std::string target(PATH_MAX, '\0');
            ssize_t n = ::readlinkat(dir, name.c_str(), target.data(), target.size());
            if (n < 0) throw_errno("cannot read symlink " + path, errno);
            target.resize(static_cast<size_t>(n));
            state.link_target = std::move(target);
        }
        const bool is_directory = S_ISDIR(st.st_mode);
        out.entries.emplace(path, std::move(state));
        if (is_directory) {
            UniqueFd sub(
                ::openat(dir, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
            if (!sub) throw_errno("cannot open directory " + path, errno);
            scan_directory(sub.get(), path, excluded, out);
        }
    }
}

bool is_directory(const FileState& s) {
    return S_ISDIR(s.mode);
}

bool differs(const FileState& a, const FileState& b) {
    return a.mode != b.mode || a.uid != b.uid || a.gid != b.gid || a.size != b.size ||
           a.mtime_ns != b.mtime_ns || a.ctime_ns != b.ctime_ns || a.ino != b.ino ||
           a.dev != b.dev || a.link_target != b.link_target;
}

std::string parent_of(const std::string& path) {
    size_t slash = path.rfind('/');
    return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

}  // namespace

Snapshot Snapshot::scan(const std::filesystem::path& root, const std::set<std::string>& excluded) {
    UniqueFd dir(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!dir) throw_errno("cannot open " + root.string(), errno);
    Snapshot snapshot;
    scan_directory(dir.get(), "", normalized(excluded), snapshot);
    return snapshot;
}

std::vector<Change> diff(const Snapshot& before, const Snapshot& after) {
    std::vector<Change> changes;
    // Reported once: a deleted path whose parent directory is gone (or no longer a directory)
    // went with it.
    auto went_with_parent = [&](const std::string& path) {
        const std::string parent = parent_of(path);
        if (parent.empty()) return false;
        auto now = after.entries.find(parent);
        return now == after.entries.end() || !is_directory(now->second);
    };
    auto b = before.entries.begin();
    auto a = after.entries.begin();
    while (b != before.entries.end() || a != after.entries.end()) {
        if (a == after.entries.end() || (b != before.entries.end() && b->first < a->first)) {
            if (!went_with_parent(b->first)) changes.push_back({Change::Kind::deleted, b->first});
            ++b;
        } else if (b == before.entries.end() || a->first < b->first) {
            changes.push_back({Change::Kind::added, a->first});
            ++a;
        } else {
            if (is_directory(b->second) && !is_directory(a->second)) {
                changes.push_back({Change::Kind::deleted, a->first});
                changes.push_back({Change::Kind::added, a->first});
            } else if (differs(b->second, a->second)) {
                changes.push_back({Change::Kind::modified, a->first});
            }
            ++a;
            ++b;
        }
    }
    return changes;
}

}  // namespace envbuilder::layers
