#include "executor/copy_files.h"

#include <fcntl.h>
#include <fnmatch.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>

#include "layers/apply.h"
#include "layers/confined_root.h"
#include "oci/digest.h"
#include "syntax/path_components.h"

namespace envbuilder::executor {

namespace fs = std::filesystem;

namespace {

bool has_wildcard(const std::string& s) {
    return s.find_first_of("*?[") != std::string::npos;
}

// A source entry found for the copy: where it is and its path relative to the source root.
struct Match {
    fs::path host;
    std::string relative;
};

std::string joined(const std::string& relative, const std::string& name) {
    return relative.empty() ? name : relative + "/" + name;
}

// Expands one source (wildcards per path segment, as filepath.Match does) inside the root.
// Every directory on the way is found with resolve_in_root: a symlink is followed inside the
// source's own root (an absolute target starts again at that root: the stage's /etc, never the
// host's; for the context, the context directory is the root, as BuildKit has it), so neither a
// path nor a glob can pass through a link to somewhere on the host. The last component is left
// as it is (follow_top_level decides about it).
std::vector<Match> expand_source(const CopySpec& spec, const std::string& source) {
    std::string cleaned = clean_path(source);
    while (!cleaned.empty() && cleaned[0] == '/') cleaned.erase(0, 1);
    if (cleaned == "." || cleaned.empty()) return {{spec.source_root, ""}};
    std::vector<std::string> current{""};  // paths relative to the source root, as matched
    for (std::string_view part : dockerfile::path_components(cleaned, /*drop_dots=*/true)) {
        const std::string segment(part);
        if (segment == "..")
            throw CopyError("COPY source '" + source + "' is outside the build context");
        std::vector<std::string> next;
        for (const std::string& relative : current) {
            if (!has_wildcard(segment)) {
                next.push_back(joined(relative, segment));
                continue;
            }
            const fs::path dir = resolve_in_root(spec.source_root, relative);
            std::error_code ec;
            std::vector<std::string> names;
            for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator();
                 it.increment(ec))
                names.push_back(it->path().filename().string());
            std::sort(names.begin(), names.end());
            for (const auto& name : names)
                if (::fnmatch(segment.c_str(), name.c_str(), 0) == 0)
                    next.push_back(joined(relative, name));
        }
        current = std::move(next);
    }
    std::vector<Match> matches;
    for (auto& relative : current)
        matches.push_back(
            {resolve_in_root(spec.source_root, relative, false), std::move(relative)});
    return matches;
}

bool ignored(const CopySpec& spec, const std::string& relative) {
    if (!relative.empty() && spec.from_context && spec.ignore && spec.ignore->excludes(relative))
        return true;
    for (const auto& pattern : spec.excludes)
        if (match_path_pattern(clean_path(pattern), relative)) return true;
    return false;
}

const char* source_kind(const CopySpec& spec) {
    return spec.from_context ? "the build context" : "the source stage";
}

// A top-level source that is a symbolic link is followed (as Docker does), inside the source's
// root like every other link on the way: never to the host's file of that name.
fs::path follow_top_level(const CopySpec& spec, const Match& m, const std::string& source) {
    struct stat st;
    if (::lstat(m.host.c_str(), &st) != 0)
        throw CopyError("COPY source '" + source + "' not found in " + source_kind(spec));
    if (!S_ISLNK(st.st_mode)) return m.host;
    fs::path target = resolve_in_root(spec.source_root, m.relative);
    if (::lstat(target.c_str(), &st) != 0) {
        std::error_code ec;
        throw CopyError("COPY source '" + source + "' is a symbolic link to '" +
                        fs::read_symlink(m.host, ec).string() + "', which is outside " +
                        source_kind(spec) +
                        " (links are followed inside it, as if it were the root of the "
                        "filesystem, and there is no such file there; nothing outside it is read)");
    }
    return target;
}

// Opens a source file for reading with the kernel resolving its path inside the source root
// (openat2 RESOLVE_IN_ROOT): whatever changed on the path since it was planned, the bytes read
// are the root's own, never a host file a link points at.
layers::UniqueFd open_source(const CopySpec& spec, const fs::path& host) {
    const fs::path relative = host.lexically_relative(spec.source_root);
    std::vector<std::string> components;
    for (const auto& part : relative)
        if (!part.empty() && part != ".") components.push_back(part.string());
    if (components.empty() || components.front() == "..")
        throw CopyError("cannot read " + host.string() + ": it is not inside " +
                        spec.source_root.string());
    try {
        layers::ConfinedRoot root(spec.source_root);
        auto at = root.find_parent_in_root(components);
        if (!at) throw CopyError("cannot read " + host.string() + ": it is gone");
        layers::UniqueFd fd(
            ::openat(at->parent.get(), at->leaf.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
        if (!fd)
            throw CopyError("cannot read " + host.string() + ": " + std::strerror(errno) +
                            (errno == ELOOP ? " (it became a symbolic link)" : ""));
        return fd;
    } catch (const std::system_error& e) {
        throw CopyError("cannot read " + host.string() + ": " + e.what());
    }
}

struct Entry {
    fs::path host;          // what to read
    std::string relative;   // from the source root, for ignore rules
    std::string dest_name;  // path under the destination directory (or the destination itself)
};

// Every file and directory the copy will write, in a stable order.
struct Plan {
    std::vector<Entry> entries;
    bool destination_is_directory = false;
};

void walk(const CopySpec& spec, const fs::path& dir, const std::string& relative,
          const std::string& dest_prefix, std::vector<Entry>& out) {
    std::vector<fs::path> children;
    std::error_code ec;
    for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator();
         it.increment(ec))
        children.push_back(it->path());
    std::sort(children.begin(), children.end());
    for (const auto& child : children) {
        std::string name = child.filename().string();
        std::string rel = relative.empty() ? name : relative + "/" + name;
        std::string dest = dest_prefix.empty() ? name : dest_prefix + "/" + name;
        bool is_dir = fs::is_directory(fs::symlink_status(child, ec));
        // An ignored directory is still walked when a '!' pattern may bring back something inside.
        bool skip = ignored(spec, rel);
        if (skip && !(is_dir && spec.ignore && spec.ignore->has_exclusions())) continue;
        if (!skip) out.push_back({child, rel, dest});
        if (is_dir) walk(spec, child, rel, dest, out);
    }
}

Plan plan_copy(const CopySpec& spec) {
    Plan plan;
    std::vector<std::pair<Match, std::string>> matches;  // with the source as written
    for (const auto& source : spec.sources) {
        auto found = expand_source(spec, source);
        std::erase_if(found, [&](const Match& m) { return ignored(spec, m.relative); });
        if (found.empty())
            throw CopyError(has_wildcard(source)
                                ? "COPY source '" + source + "' matches no file in " +
                                      source_kind(spec)
                                : "COPY source '" + source + "' not found in " + source_kind(spec) +
                                      std::string(spec.from_context && spec.ignore
                                                      ? " (or excluded by .dockerignore)"
                                                      : ""));
        for (auto& m : found) matches.emplace_back(std::move(m), source);
    }
    plan.destination_is_directory =
        spec.destination.ends_with("/") || matches.size() + spec.inline_sources.size() > 1;
    for (const auto& [m, source] : matches) {
        fs::path host = follow_top_level(spec, m, source);
        std::error_code ec;
        std::string base = m.relative.empty() ? "" : fs::path(m.relative).filename().string();
        std::string dest = spec.parents ? m.relative : base;
        if (fs::is_directory(host, ec)) {
            plan.destination_is_directory = true;
            if (spec.parents && !m.relative.empty())
                plan.entries.push_back({host, m.relative, dest});
            walk(spec, host, m.relative, spec.parents ? dest : "", plan.entries);
        } else {
            plan.entries.push_back({host, m.relative, dest});
        }
    }
    return plan;
}

void hash_stream(oci::Digester& d, int fd) {
    std::string buffer(1 << 16, '\0');
    for (;;) {
        ssize_t n = ::read(fd, buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0)
            throw CopyError(std::string("cannot read a COPY source: ") + std::strerror(errno));
        if (n == 0) return;
        d.update(std::string_view(buffer.data(), static_cast<size_t>(n)));
    }
}

void hash_file(oci::Digester& d, const fs::path& path) {
    layers::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) throw CopyError("cannot read " + path.string() + ": " + std::strerror(errno));
    hash_stream(d, fd.get());
}

// Copies the open source `from` into a new file `target`.
void copy_content(int from, const fs::path& target) {
    layers::UniqueFd to(
        ::open(target.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!to) throw CopyError("cannot create " + target.string() + ": " + std::strerror(errno));
    std::string buffer(1 << 16, '\0');
    for (;;) {
        ssize_t n = ::read(from, buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0)
            throw CopyError("cannot read the source of " + target.string() + ": " +
                            std::strerror(errno));
        if (n == 0) return;
        for (ssize_t done = 0; done < n;) {
            ssize_t w = ::write(to.get(), buffer.data() + done, static_cast<size_t>(n - done));
            if (w < 0 && errno == EINTR) continue;
            if (w < 0)
                throw CopyError("cannot write " + target.string() + ": " + std::strerror(errno));
            done += w;
        }
    }
}

void set_metadata(const fs::path& path, const struct stat& source, const CopySpec& spec,
                  bool is_link) {
    // Files from the context become root's; files from a stage or image keep their owners (as
    // BuildKit does), unless --chown says otherwise.
    uint32_t uid = spec.owner ? spec.owner->uid : spec.from_context ? 0 : source.st_uid;
    uint32_t gid = spec.owner ? spec.owner->gid : spec.from_context ? 0 : source.st_gid;
    // EINVAL: a user namespace without that uid mapped (a rootless build with no subuid range).
    if (::lchown(path.c_str(), uid, gid) != 0 && ::geteuid() == 0 && errno != EINVAL)
        throw CopyError("cannot set the owner of " + path.string() + ": " + std::strerror(errno));
    if (!is_link) {
        const mode_t mode = spec.mode
                                ? spec.mode->apply(source.st_mode & 07777, S_ISDIR(source.st_mode))
                                : (source.st_mode & 07777);
        ::chmod(path.c_str(), mode);
    }
    timespec times[2] = {source.st_mtim, source.st_mtim};
    ::utimensat(AT_FDCWD, path.c_str(), times, AT_SYMLINK_NOFOLLOW);
}

// Creates the missing directories of `inside` (a path in the image), owned as the copy says.
fs::path make_directories(const CopySpec& spec, const std::string& inside) {
    fs::path host = resolve_in_root(spec.root, inside);
    std::vector<fs::path> missing;
    for (fs::path p = host; p != spec.root && !fs::exists(fs::symlink_status(p));
         p = p.parent_path())
        missing.push_back(p);
    for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
        if (::mkdir(it->c_str(), 0755) != 0 && errno != EEXIST)
            throw CopyError("cannot create " + it->lexically_relative(spec.root).string() + ": " +
                            std::strerror(errno));
        if (spec.owner) ::lchown(it->c_str(), spec.owner->uid, spec.owner->gid);
    }
    if (!fs::is_directory(host))
        throw CopyError("the destination /" + host.lexically_relative(spec.root).string() +
                        " exists and is not a directory");
    return host;
}

void remove_existing(const fs::path& target, bool keep_directory) {
    struct stat st;
    if (::lstat(target.c_str(), &st) != 0) return;
    if (S_ISDIR(st.st_mode) && keep_directory) return;
    std::error_code ec;
    fs::remove_all(target, ec);
}

void write_entry(const CopySpec& spec, const fs::path& host, const fs::path& target) {
    struct stat st;
    if (::lstat(host.c_str(), &st) != 0)
        throw CopyError("cannot read " + host.string() + ": " + std::strerror(errno));
    if (S_ISDIR(st.st_mode)) {
        remove_existing(target, true);
        if (::mkdir(target.c_str(), 0755) != 0 && errno != EEXIST)
            throw CopyError("cannot create " + target.string() + ": " + std::strerror(errno));
        set_metadata(target, st, spec, false);
    } else if (S_ISLNK(st.st_mode)) {
        remove_existing(target, false);
        std::error_code ec;
        fs::create_symlink(fs::read_symlink(host, ec), target, ec);
        if (ec) throw CopyError("cannot create the link " + target.string() + ": " + ec.message());
        set_metadata(target, st, spec, true);
    } else if (S_ISREG(st.st_mode)) {
        layers::UniqueFd source = open_source(spec, host);
        if (::fstat(source.get(), &st) != 0 || !S_ISREG(st.st_mode))
            throw CopyError("cannot copy " + host.string() + ": it is no longer a file");
        remove_existing(target, false);
        copy_content(source.get(), target);
        set_metadata(target, st, spec, false);
    }
    // Sockets, fifos and devices in a build context are not copied, as Docker does not.
}

bool is_tar_archive(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    unsigned char head[512] = {};
    in.read(reinterpret_cast<char*>(head), sizeof head);
    size_t n = static_cast<size_t>(in.gcount());
    if (n >= 2 && head[0] == 0x1f && head[1] == 0x8b) return true;                  // gzip
    if (n >= 3 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h') return true;  // bzip2
    if (n >= 6 && std::memcmp(head,
                              "\xfd"
                              "7zXZ",
                              5) == 0)
        return true;  // xz
    if (n >= 4 && head[0] == 0x28 && head[1] == 0xb5 && head[2] == 0x2f && head[3] == 0xfd)
        return true;                                              // zstd
    return n >= 262 && std::memcmp(head + 257, "ustar", 5) == 0;  // tar
}

}  // namespace

std::string copy_inputs_digest(const CopySpec& spec) {
    oci::Digester d;
    Plan plan = plan_copy(spec);
    for (const auto& entry : plan.entries) {
        struct stat st;
        if (::lstat(entry.host.c_str(), &st) != 0) continue;
        d.update(entry.dest_name + "\n" + std::to_string(st.st_mode) + " " +
                 std::to_string(st.st_size) + " " + std::to_string(st.st_mtim.tv_sec) + "\n");
        if (S_ISLNK(st.st_mode))
            d.update(fs::read_symlink(entry.host).string());
        else if (S_ISREG(st.st_mode))
            hash_stream(d, open_source(spec, entry.host).get());
    }
    for (const auto& inline_source : spec.inline_sources) {
        d.update(inline_source.name + "\n" + inline_source.content);
        if (inline_source.file) hash_file(d, *inline_source.file);
    }
    d.update(std::to_string(plan.destination_is_directory));
    return d.finish().str();
}

void copy_into_root(const CopySpec& spec) {
    Plan plan = plan_copy(spec);
    std::string destination = spec.destination.empty() ? "/" : spec.destination;
    if (plan.destination_is_directory) {
        make_directories(spec, destination);
    } else {
        fs::path parent = fs::path(destination).parent_path();
        make_directories(spec, parent.empty() ? "/" : parent.string());
    }
    // A single file whose destination is an existing directory goes inside it.
    fs::path resolved_destination = resolve_in_root(spec.root, destination);
    if (!plan.destination_is_directory && fs::is_directory(resolved_destination))
        plan.destination_is_directory = true;

    auto target_for = [&](const std::string& name) -> fs::path {
        if (!plan.destination_is_directory) return resolve_in_root(spec.root, destination, false);
        fs::path dir = resolve_in_root(spec.root, destination);
        fs::path relative(name);
        if (relative.has_parent_path())
            dir = make_directories(spec, (fs::path(destination) / relative.parent_path()).string());
        return dir / relative.filename();
    };
    for (const auto& entry : plan.entries) {
        if (spec.extract_archives && fs::is_regular_file(fs::symlink_status(entry.host))) {
            // Read through the descriptor opened inside the source root, never by the path.
            layers::UniqueFd archive = open_source(spec, entry.host);
            const fs::path opened = "/proc/self/fd/" + std::to_string(archive.get());
            if (is_tar_archive(opened)) {
                fs::path dir = plan.destination_is_directory
                                   ? resolve_in_root(spec.root, destination)
                                   : make_directories(spec, destination);
                layers::ApplyOptions options;
                options.label = entry.relative;
                options.budget = spec.unpack_budget;
                try {
                    layers::apply_layer(opened, dir, options);
                } catch (const std::exception& e) {
                    throw CopyError("cannot unpack " + entry.relative + ": " + e.what());
                }
                continue;
            }
        }
        write_entry(spec, entry.host, target_for(entry.dest_name));
    }
    for (const auto& source : spec.inline_sources) {
        fs::path target = target_for(source.name);
        remove_existing(target, false);
        if (source.file) {
            std::error_code ec;
            fs::copy_file(*source.file, target, fs::copy_options::overwrite_existing, ec);
            if (ec) throw CopyError("cannot write " + target.string() + ": " + ec.message());
        } else {
            std::ofstream out(target, std::ios::binary);
            out << source.content;
            if (!out) throw CopyError("cannot write " + target.string());
        }
        struct stat st {};
        st.st_mode = S_IFREG | source.mode;
        int64_t when = source.mtime ? *source.mtime
                       : spec.mtime ? *spec.mtime
                                    : std::chrono::duration_cast<std::chrono::seconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count();
        st.st_mtim.tv_sec = when;
        set_metadata(target, st, spec, false);
    }
}

}  // namespace envbuilder::executor
