#include "layers/apply.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <map>
#include <memory>
#include <set>
#include <system_error>

#include "layers/archive_entries.h"
#include "layers/confined_root.h"
#include "layers/layer_stream.h"
#include "layers/overlay.h"
#include "layers/utf8_locale.h"

namespace envbuilder::layers {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view whiteout_prefix = ".wh.";
constexpr std::string_view opaque_marker = ".wh..wh..opq";
// Big enough to keep syscalls few, small enough that a layer never weighs on memory.
constexpr size_t read_block_size = 64 * 1024;

struct ArchiveReadFree {
    void operator()(archive* a) const { archive_read_free(a); }
};
using ArchiveReader = std::unique_ptr<archive, ArchiveReadFree>;

// A directory's mode and times wait until the whole layer is in: creating its content would
// change the mtime, and a read-only mode would stop an unprivileged apply from filling it.
struct PendingDirectory {
    std::vector<std::string> components;
    mode_t mode = 0;
    timespec mtime{};
};

class LayerApplier {
  public:
    LayerApplier(const fs::path& layer_file, const fs::path& root, const ApplyOptions& options)
        : layer_file_(layer_file),
          name_(options.label.empty() ? layer_file.string() : options.label),
          root_(root),
          options_(options) {}

    ApplyResult run();

  private:
    [[noreturn]] void refuse(const std::string& entry, const std::string& why) const {
        throw LayerError("layer " + name_ + ": entry \"" + entry + "\": " + why);
    }
    [[noreturn]] void out_of_space(const std::string& entry) const {
        throw LayerError("layer " + name_ + ": no space left on the filesystem of " +
                         root_.path().string() + " (writing entry \"" + entry +
                         "\"); the layer was not unpacked. Free space there and build again");
    }
    void warn(const std::string& entry, const std::string& what) {
        result_.warnings.push_back("layer " + name_ + ": entry \"" + entry + "\": " + what);
    }
    // An owner this process cannot give (a uid outside a user namespace's mapping): the entry
    // keeps the build's own, and the layer says so once.
    void unrepresentable_owner(const std::string& entry, int error) {
        if (error != EINVAL && error != EPERM) throw_errno("cannot change owner", error);
        if (!owner_warned_)
            warn(entry,
                 "owner not representable in this user namespace (no subuid range); "
                 "entries keep the build user's ownership");
        owner_warned_ = true;
    }
    bool owner_warned_ = false;

    void apply_entry(archive* reader, archive_entry* entry, const std::string& name);
    void apply_whiteout(const std::vector<std::string>& target);
    void apply_opaque(const std::vector<std::string>& marker);
    void remove_lower(int dir, const std::string& leaf, const std::string& path);
    bool layer_has_at_or_under(const std::string& path) const;

    void make_directory(archive_entry* entry, const std::vector<std::string>& components,
                        const ParentAndLeaf& at, const std::optional<struct stat>& existing);
    void make_regular_file(archive* reader, archive_entry* entry, const ParentAndLeaf& at);
    void make_hard_link(archive_entry* entry, const std::string& name, const ParentAndLeaf& at);
    // overlay_format: a hard link to a file of a lower layer becomes a copy of that file.
    bool copy_from_lower(const std::vector<std::string>& target, const ParentAndLeaf& at);
    // overlay_format: creates the parents of `components` the layer has not put in place with
    // the metadata they have below (0755 when nothing below has them), and turns a whiteout of
    // this layer that a later entry goes through into an opaque directory.
    void prepare_parents(const std::vector<std::string>& components, size_t count);
    void mark_opaque(int dir, const std::string& leaf);
    std::set<std::string> whited_out_;  // overlay_format: paths this layer's whiteouts name
    void make_special(archive_entry* entry, const std::string& name, const ParentAndLeaf& at);
    void set_owner(int dir, const std::string& leaf, archive_entry* entry);
    void set_xattrs(int dir, const std::string& leaf, archive_entry* entry,
                    const std::string& name);
    void finish_directories();

    fs::path layer_file_;
    std::string name_;  // the layer in messages
    ConfinedRoot root_;
    ApplyOptions options_;
    ApplyResult result_;
    // Paths (entry names, components joined by '/') this layer has put in place: whiteouts and
    // opaque markers only hide what lower layers left, never these.
    std::set<std::string> this_layer_;
    std::map<std::string, PendingDirectory> directories_;
};

// The tar reader's source: the layer's uncompressed stream. Errors cannot cross libarchive's C
// frames as exceptions, so the stream's is kept and rethrown once the reader gives up.
struct TarSource {
    explicit TarSource(LayerStream& from) : stream(from) {}
    LayerStream& stream;
    std::string buffer = std::string(read_block_size, '\0');
    std::exception_ptr error;

    static la_ssize_t read(archive* a, void* self, const void** block) {
        auto* source = static_cast<TarSource*>(self);
        try {
            *block = source->buffer.data();
            return static_cast<la_ssize_t>(
                source->stream.read(source->buffer.data(), source->buffer.size()));
        } catch (...) {
            source->error = std::current_exception();
            archive_set_error(a, EIO, "the layer stream failed");
            return ARCHIVE_FATAL;
        }
    }
};

ApplyResult LayerApplier::run() {
    ScopedUtf8Locale utf8;  // before the archive exists: it picks its charset once
    LayerStream stream(layer_file_, name_, options_.budget);
    TarSource source(stream);
    ArchiveReader reader(archive_read_new());
    if (!reader) throw LayerError("layer " + name_ + ": out of memory");
    archive_read_support_format_tar(reader.get());
    archive_read_support_format_empty(reader.get());
    auto reader_failed = [&](const std::string& what) {
        if (source.error) std::rethrow_exception(source.error);
        throw LayerError("layer " + name_ + ": " + what + ": " + error_of(reader.get()));
    };
    if (archive_read_open(reader.get(), &source, nullptr, &TarSource::read, nullptr) != ARCHIVE_OK)
        reader_failed("cannot read it as a tar archive");

    for (;;) {
        archive_entry* entry = nullptr;
        int status = archive_read_next_header(reader.get(), &entry);
        if (status == ARCHIVE_EOF) break;
        if (status == ARCHIVE_RETRY) continue;
        if (status < ARCHIVE_WARN) reader_failed("cannot read the next entry");
        const std::string name = pathname_of(entry);
        if (status == ARCHIVE_WARN) warn(name, error_of(reader.get()));
        ++result_.entries;
        try {
            apply_entry(reader.get(), entry, name);
        } catch (const std::system_error& e) {
            if (source.error) std::rethrow_exception(source.error);
            if (e.code().value() == ENOSPC) out_of_space(name);
            refuse(name, e.what());
        } catch (const LayerError&) {
            if (source.error) std::rethrow_exception(source.error);
            throw;
        }
    }
    try {
        finish_directories();
    } catch (const std::system_error& e) {
        throw LayerError("layer " + name_ + ": " + e.what());
    }
    result_.diff_id = stream.finish();
    result_.uncompressed_bytes = stream.bytes();
    if (options_.expected_diff_id && result_.diff_id != *options_.expected_diff_id)
        throw LayerError("layer " + name_ + ": its uncompressed content has digest " +
                         result_.diff_id.str() + ", but the image config gives its diff_id as " +
                         options_.expected_diff_id->str() +
                         "; the image is corrupt or was tampered with; refused");
    return std::move(result_);
}

void LayerApplier::apply_entry(archive* reader, archive_entry* entry, const std::string& name) {
    std::string problem;
    auto components = split_entry_name(name, &problem);
    if (!components) refuse(name, problem + "; refused");
    const mode_t type = archive_entry_filetype(entry);
    const char* hardlink = hardlink_of(entry);

    if (components->empty()) {
        // "./" as a directory is common (tar -C dir .); the root is the caller's, left as is.
        if (type == AE_IFDIR && !hardlink) return;
        refuse(name, "the entry would replace the root itself; refused");
    }

    const std::string& leaf = components->back();
    if (starts_with(leaf, whiteout_prefix)) {
        if (leaf == opaque_marker) return apply_opaque(*components);
        // Other .wh..wh. names are aufs bookkeeping (hard link directories), not content.
        if (starts_with(leaf, ".wh..wh.")) return;
        std::vector<std::string> target = *components;
        target.back() = leaf.substr(whiteout_prefix.size());
        if (target.back().empty() || target.back() == "." || target.back() == "..")
            refuse(name, "the whiteout names no entry; refused");
        return apply_whiteout(target);
    }

    this_layer_.insert(join_components(*components, components->size()));
    if (options_.overlay_format) prepare_parents(*components, components->size() - 1);
    ParentAndLeaf at = root_.open_parent_in_root(*components);
    auto existing = stat_leaf(at.parent.get(), at.leaf);

    if (hardlink) {
        make_hard_link(entry, name, at);
        return;
    }
    if (type == AE_IFDIR) return make_directory(entry, *components, at, existing);

    // A non-directory takes the place of whatever is there, a directory with its whole tree.
    if (type == AE_IFCHR || type == AE_IFBLK) {
        if (!options_.privileged) return warn(name, "device node skipped (not privileged)");
    } else if (type != AE_IFREG && type != AE_IFLNK && type != AE_IFIFO) {
        return warn(name, "entry of an unsupported type skipped");
    }
    if (existing) remove_tree_at(at.parent.get(), at.leaf);
    if (type == AE_IFREG) return make_regular_file(reader, entry, at);
    make_special(entry, name, at);
}

void LayerApplier::make_directory(archive_entry* entry, const std::vector<std::string>& components,
                                  const ParentAndLeaf& at,
                                  const std::optional<struct stat>& existing) {
    const int dir = at.parent.get();
    if (existing && !S_ISDIR(existing->st_mode)) remove_tree_at(dir, at.leaf);
    if (!existing || !S_ISDIR(existing->st_mode)) {
        if (::mkdirat(dir, at.leaf.c_str(), 0700) != 0)
            throw_errno("cannot create directory", errno);
    }
    set_owner(dir, at.leaf, entry);
    set_xattrs(dir, at.leaf, entry, join_components(components, components.size()));
    // `.wh.d` and `d/` in one layer: the lower d is gone, this layer's d stands alone.
    if (options_.overlay_format &&
        whited_out_.count(join_components(components, components.size())))
        mark_opaque(dir, at.leaf);
    directories_[join_components(components, components.size())] = PendingDirectory{
        components, static_cast<mode_t>(archive_entry_perm(entry) & 07777), mtime_of(entry)};
}

void LayerApplier::make_regular_file(archive* reader, archive_entry* entry,
                                     const ParentAndLeaf& at) {
    UniqueFd file(::openat(at.parent.get(), at.leaf.c_str(),
                           O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!file) throw_errno("cannot create file", errno);
    for (;;) {
        const void* block = nullptr;
        size_t size = 0;
        la_int64_t offset = 0;
        int status = archive_read_data_block(reader, &block, &size, &offset);
        if (status == ARCHIVE_EOF) break;
        if (status < ARCHIVE_WARN)
            throw LayerError("layer " + name_ + ": entry \"" + pathname_of(entry) +
                             "\": cannot read its content: " + error_of(reader));
        // Blocks come with their offset: sparse files leave holes that stay holes.
        const char* bytes = static_cast<const char*>(block);
        while (size > 0) {
            ssize_t n = ::pwrite(file.get(), bytes, size, offset);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) throw_errno("cannot write file", errno);
            bytes += n;
            size -= static_cast<size_t>(n);
            offset += n;
        }
    }
    if (::ftruncate(file.get(), archive_entry_size(entry)) != 0)
        throw_errno("cannot size file", errno);
    // chown first: it clears setuid/setgid bits and file capabilities set before it.
    if (options_.privileged && ::fchown(file.get(), static_cast<uid_t>(archive_entry_uid(entry)),
                                        static_cast<gid_t>(archive_entry_gid(entry))) != 0)
        unrepresentable_owner(pathname_of(entry), errno);
    if (::fchmod(file.get(), archive_entry_perm(entry) & 07777) != 0)
        throw_errno("cannot change mode", errno);
    set_xattrs(at.parent.get(), at.leaf, entry, pathname_of(entry));
    const timespec times[2] = {mtime_of(entry), mtime_of(entry)};
    if (::futimens(file.get(), times) != 0) throw_errno("cannot set times", errno);
}

void LayerApplier::make_hard_link(archive_entry* entry, const std::string& name,
                                  const ParentAndLeaf& at) {
    const std::string target_name = hardlink_of(entry);
    std::string problem;
    auto target = split_entry_name(target_name, &problem);
    if (!target) refuse(name, "hard link target \"" + target_name + "\": " + problem + "; refused");
    if (target->empty()) refuse(name, "hard link to the root itself; refused");
    auto target_at = root_.find_parent_in_root(*target);
    auto target_stat =
        target_at ? stat_leaf(target_at->parent.get(), target_at->leaf) : std::nullopt;
    if (!target_stat && options_.overlay_format && copy_from_lower(*target, at)) return;
    if (!target_stat)
        refuse(name, "hard link target \"" + target_name + "\" does not exist in the root");
    if (S_ISDIR(target_stat->st_mode))
        refuse(name, "hard link target \"" + target_name + "\" is a directory; refused");
    // Linking a name to the inode it already has is a no-op, not a removal.
    auto existing = stat_leaf(at.parent.get(), at.leaf);
    if (existing && existing->st_ino == target_stat->st_ino &&
        existing->st_dev == target_stat->st_dev)
        return;
    if (existing) remove_tree_at(at.parent.get(), at.leaf);
    // Flags 0: a link to a symlink is a link to the symlink itself, as tar means it.
    if (::linkat(target_at->parent.get(), target_at->leaf.c_str(), at.parent.get(), at.leaf.c_str(),
                 0) != 0)
        throw_errno("cannot create hard link to \"" + target_name + "\"", errno);
}

bool LayerApplier::copy_from_lower(const std::vector<std::string>& target,
                                   const ParentAndLeaf& at) {
    if (options_.lower_view.empty()) return false;
    ConfinedRoot lower(options_.lower_view);
    auto found = lower.find_parent_in_root(target);
    auto st = found ? stat_leaf(found->parent.get(), found->leaf) : std::nullopt;
    if (!st || !S_ISREG(st->st_mode)) return false;
    UniqueFd from(
        ::openat(found->parent.get(), found->leaf.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (!from) throw_errno("cannot open the hard link target in a lower layer", errno);
    if (stat_leaf(at.parent.get(), at.leaf)) remove_tree_at(at.parent.get(), at.leaf);
    UniqueFd to(::openat(at.parent.get(), at.leaf.c_str(),
                         O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!to) throw_errno("cannot create file", errno);
    for (off_t left = st->st_size; left > 0;) {
        ssize_t n =
            ::copy_file_range(from.get(), nullptr, to.get(), nullptr, static_cast<size_t>(left), 0);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw_errno("cannot copy the hard link target", errno);
        if (n == 0) break;
        left -= n;
    }
    if (options_.privileged && ::fchown(to.get(), st->st_uid, st->st_gid) != 0)
        unrepresentable_owner(at.leaf, errno);
    if (::fchmod(to.get(), st->st_mode & 07777) != 0) throw_errno("cannot change mode", errno);
    copy_attributes(xattr_path(found->parent.get(), found->leaf),
                    xattr_path(at.parent.get(), at.leaf));
    const timespec times[2] = {st->st_mtim, st->st_mtim};
    if (::futimens(to.get(), times) != 0) throw_errno("cannot set times", errno);
    result_.used_lower_view = true;
    return true;
}

void LayerApplier::mark_opaque(int dir, const std::string& leaf) {
    const OverlayAttributes attributes =
        options_.overlay_user_attributes ? OverlayAttributes::user : OverlayAttributes::trusted;
    if (::lsetxattr(xattr_path(dir, leaf).c_str(), opaque_attribute(attributes), "y", 1, 0) != 0)
        throw_errno("cannot mark the directory opaque", errno);
}

void LayerApplier::prepare_parents(const std::vector<std::string>& components, size_t count) {
    if (count == 0) return;
    // Usual case, at the cost of one lookup: the parents are there, the layer listed them first.
    const std::vector<std::string> parent(components.begin(),
                                          components.begin() + static_cast<long>(count));
    if (auto at = root_.find_parent_in_root(parent)) {
        auto st = stat_leaf(at->parent.get(), at->leaf);
        if (st && S_ISDIR(st->st_mode)) return;
    }
    std::optional<ConfinedRoot> lower;
    if (!options_.lower_view.empty()) lower.emplace(options_.lower_view);
    bool below = lower.has_value();  // the path so far is a directory below too
    for (size_t n = 1; n <= count; ++n) {
        const std::vector<std::string> prefix(components.begin(),
                                              components.begin() + static_cast<long>(n));
        const std::string path = join_components(prefix, n);
        ParentAndLeaf at = root_.open_parent_in_root(prefix);
        auto here = stat_leaf(at.parent.get(), at.leaf);
        std::optional<struct stat> there;
        std::optional<ParentAndLeaf> lower_at;
        if (below) {
            lower_at = lower->find_parent_in_root(prefix);
            if (lower_at) there = stat_leaf(lower_at->parent.get(), lower_at->leaf);
            below = there && S_ISDIR(there->st_mode);
        }
        if (here) {
            if (S_ISCHR(here->st_mode) && here->st_rdev == makedev(0, 0) &&
                whited_out_.count(path)) {
                // `.wh.d` then `d/f`: d is this layer's own directory now, hiding the lower one.
                remove_tree_at(at.parent.get(), at.leaf);
                if (::mkdirat(at.parent.get(), at.leaf.c_str(), 0755) != 0)
                    throw_errno("cannot create directory", errno);
                mark_opaque(at.parent.get(), at.leaf);
                below = false;
            }
            continue;  // this layer's own, or prepared by an earlier entry
        }
        if (there && !S_ISDIR(there->st_mode))
            throw NeedsMergedRoot("layer " + name_ + ": \"" + path +
                                  "\" is not a directory in the layers below (a symlink?), and "
                                  "the layer puts entries under it");
        if (::mkdirat(at.parent.get(), at.leaf.c_str(), 0755) != 0)
            throw_errno("cannot create directory", errno);
        if (!there) continue;  // new: 0755, owned by the build, as on a merged root
        // As below: owner and attributes now, mode and times once the layer is in.
        if (options_.privileged && ::fchownat(at.parent.get(), at.leaf.c_str(), there->st_uid,
                                              there->st_gid, AT_SYMLINK_NOFOLLOW) != 0)
            unrepresentable_owner(path, errno);
        copy_attributes(xattr_path(lower_at->parent.get(), lower_at->leaf),
                        xattr_path(at.parent.get(), at.leaf));
        directories_.emplace(
            path,
            PendingDirectory{prefix, static_cast<mode_t>(there->st_mode & 07777), there->st_mtim});
        result_.used_lower_view = true;
    }
}

void LayerApplier::make_special(archive_entry* entry, const std::string& name,
                                const ParentAndLeaf& at) {
    const int dir = at.parent.get();
    const char* leaf = at.leaf.c_str();
    const mode_t type = archive_entry_filetype(entry);
    if (type == AE_IFLNK) {
        const char* target = symlink_of(entry);
        if (!target) refuse(name, "symlink without a target");
        if (::symlinkat(target, dir, leaf) != 0) throw_errno("cannot create symlink", errno);
    } else {
        dev_t device = type == AE_IFIFO ? 0
                                        : makedev(archive_entry_rdevmajor(entry),
                                                  archive_entry_rdevminor(entry));
        if (::mknodat(dir, leaf, type | 0600, device) != 0) {
            // In a user namespace root may not make devices: skip, as an unprivileged apply does.
            if (errno == EPERM && type != AE_IFIFO)
                return warn(name, "device node skipped (not permitted here)");
            throw_errno("cannot create node", errno);
        }
    }
    set_owner(dir, at.leaf, entry);
    // Symlinks have no mode of their own; for nodes, the leaf was just created by us, so
    // following it (fchmodat has no working NOFOLLOW) reaches the node itself.
    if (type != AE_IFLNK && ::fchmodat(dir, leaf, archive_entry_perm(entry) & 07777, 0) != 0)
        throw_errno("cannot change mode", errno);
    set_xattrs(dir, at.leaf, entry, name);
    const timespec times[2] = {mtime_of(entry), mtime_of(entry)};
    if (::utimensat(dir, leaf, times, AT_SYMLINK_NOFOLLOW) != 0)
        throw_errno("cannot set times", errno);
}

void LayerApplier::set_owner(int dir, const std::string& leaf, archive_entry* entry) {
    if (!options_.privileged) return;
    if (::fchownat(dir, leaf.c_str(), static_cast<uid_t>(archive_entry_uid(entry)),
                   static_cast<gid_t>(archive_entry_gid(entry)), AT_SYMLINK_NOFOLLOW) != 0)
        unrepresentable_owner(pathname_of(entry), errno);
}

void LayerApplier::set_xattrs(int dir, const std::string& leaf, archive_entry* entry,
                              const std::string& name) {
    if (archive_entry_xattr_reset(entry) == 0) return;
    const std::string path = xattr_path(dir, leaf);
    const char* key = nullptr;
    const void* value = nullptr;
    size_t size = 0;
    while (archive_entry_xattr_next(entry, &key, &value, &size) == ARCHIVE_OK) {
        if (starts_with(key, "trusted.overlay.") || starts_with(key, "user.overlay.")) {
            warn(name, std::string("extended attribute ") + key +
                           " not kept: overlayfs's own attributes never come from a layer");
            continue;
        }
        if (::lsetxattr(path.c_str(), key, value, size, 0) == 0) continue;
        // The filesystem or our privileges may not allow an attribute (user.* on a symlink,
        // trusted.* unprivileged): the content is still right, so say it and go on.
        if (errno == ENOTSUP || errno == EPERM || errno == EACCES) {
            warn(name,
                 std::string("extended attribute ") + key + " not kept: " + std::strerror(errno));
            continue;
        }
        throw_errno(std::string("cannot set extended attribute ") + key, errno);
    }
}

void LayerApplier::apply_whiteout(const std::vector<std::string>& target) {
    if (options_.overlay_format) {
        const std::string path = join_components(target, target.size());
        whited_out_.insert(path);
        prepare_parents(target, target.size() - 1);
        ParentAndLeaf at = root_.open_parent_in_root(target);
        auto existing = stat_leaf(at.parent.get(), at.leaf);
        if (layer_has_at_or_under(path)) {
            // This layer's own entry stays; a directory of it stands alone over the lower one.
            if (existing && S_ISDIR(existing->st_mode)) mark_opaque(at.parent.get(), at.leaf);
            return;
        }
        if (existing) remove_tree_at(at.parent.get(), at.leaf);
        if (::mknodat(at.parent.get(), at.leaf.c_str(), S_IFCHR | 0, makedev(0, 0)) != 0)
            throw_errno("cannot create the overlay whiteout", errno);
        return;
    }
    auto at = root_.find_parent_in_root(target);
    if (!at) return;  // nothing below to hide
    remove_lower(at->parent.get(), at->leaf, join_components(target, target.size()));
}

void LayerApplier::apply_opaque(const std::vector<std::string>& marker) {
    if (options_.overlay_format) {
        if (marker.size() == 1)
            throw NeedsMergedRoot("layer " + name_ +
                                  ": an opaque marker for the root hides every layer below");
        prepare_parents(marker, marker.size() - 1);
        ParentAndLeaf at = root_.open_parent_in_root(marker);
        mark_opaque(at.parent.get(), ".");
        return;
    }
    // The marker's parent is the opaque directory; resolve it as any entry's parent would be.
    ParentAndLeaf at = root_.open_parent_in_root(marker);
    const int dir = at.parent.get();
    const std::string dir_path =
        marker.size() > 1 ? join_components(marker, marker.size() - 1) : "";
    for (const auto& n : list_names(dir))
        remove_lower(dir, n, dir_path.empty() ? n : dir_path + "/" + n);
}

bool LayerApplier::layer_has_at_or_under(const std::string& path) const {
    if (this_layer_.count(path)) return true;
    const std::string prefix = path + "/";
    auto it = this_layer_.lower_bound(prefix);
    return it != this_layer_.end() && starts_with(*it, prefix);
}

void LayerApplier::remove_lower(int dir, const std::string& leaf, const std::string& path) {
    if (!layer_has_at_or_under(path)) return remove_tree_at(dir, leaf);
    // This layer put something here: keep it, and remove only what lower layers left beside
    // it inside a directory.
    auto st = stat_leaf(dir, leaf);
    if (!st || !S_ISDIR(st->st_mode)) return;
    UniqueFd sub(::openat(dir, leaf.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!sub) throw_errno("cannot open directory " + path, errno);
    for (const auto& n : list_names(sub.get())) remove_lower(sub.get(), n, path + "/" + n);
}

void LayerApplier::finish_directories() {
    // Deepest first, so a parent's restrictive mode never blocks reaching its children.
    for (auto it = directories_.rbegin(); it != directories_.rend(); ++it) {
        const PendingDirectory& pending = it->second;
        auto at = root_.find_parent_in_root(pending.components);
        if (!at) continue;  // replaced by a later entry of this layer
        UniqueFd dir(::openat(at->parent.get(), at->leaf.c_str(),
                              O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!dir) continue;
        if (::fchmod(dir.get(), pending.mode) != 0)
            throw_errno("cannot change the mode of " + it->first, errno);
        const timespec times[2] = {pending.mtime, pending.mtime};
        if (::futimens(dir.get(), times) != 0)
            throw_errno("cannot set the times of " + it->first, errno);
    }
}

}  // namespace

ApplyResult apply_layer(const fs::path& layer_file, const fs::path& root,
                        const ApplyOptions& options) {
    std::unique_ptr<LayerApplier> applier;
    try {
        applier = std::make_unique<LayerApplier>(layer_file, root, options);
    } catch (const std::system_error& e) {
        throw LayerError("layer " + layer_file.string() + ": " + e.what());
    }
    return applier->run();
}

}  // namespace envbuilder::layers
