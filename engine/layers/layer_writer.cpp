#include "layers/layer_writer.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "layers/apply.h"
#include "layers/confined_root.h"
#include "layers/gzip_encoder.h"
#include "layers/utf8_locale.h"

namespace envbuilder::layers {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view whiteout_prefix = ".wh.";
// File content is read in pieces this big: few syscalls for a big file, one buffer per layer.
constexpr size_t read_chunk_size = 1024 * 1024;
// What libarchive hands the compressor at a time.
constexpr size_t copy_chunk_size = 64 * 1024;
// Gzip level 1: a build writes a layer after every step and waits for it. Deflate's fast levels
// take a fraction of the default level's time for output only a few percent larger, and the
// registry (or the next pull) pays for those bytes once while every build pays for the time.
constexpr int gzip_level = 1;
// zstd's own default: already faster than gzip -1 with a better ratio.
constexpr const char* zstd_level = "3";

struct ArchiveWriteFree {
    void operator()(archive* a) const { archive_write_free(a); }
};
using ArchiveWriter = std::unique_ptr<archive, ArchiveWriteFree>;

struct EntryFree {
    void operator()(archive_entry* e) const { archive_entry_free(e); }
};
using Entry = std::unique_ptr<archive_entry, EntryFree>;

[[noreturn]] void archive_failure(archive* a, const std::string& what) {
    const char* reason = archive_error_string(a);
    throw LayerError("cannot write layer: " + what + (reason ? std::string(": ") + reason : ""));
}

// The compressing half of the pipeline, on a thread of its own: it takes the tar in pieces and
// runs them through the compressor into the blob store (whose digest and write happen there
// too), while the writing thread reads files and digests the tar. For a big layer the two
// halves cost about the same, so two cores write it in about half the time. A few pieces wait
// at most: memory stays bounded however big the layer.
class CompressionStage {
  public:
    CompressionStage(std::function<void(std::string_view)> consume, std::function<void()> finish)
        : consume_(std::move(consume)), finish_(std::move(finish)), thread_([this] { run(); }) {}
    ~CompressionStage() {
        {
            std::lock_guard lock(mutex_);
            closed_ = true;
            abandoned_ = true;
        }
        changed_.notify_all();
        if (thread_.joinable()) thread_.join();
    }
    CompressionStage(const CompressionStage&) = delete;
    CompressionStage& operator=(const CompressionStage&) = delete;

    // An empty buffer to fill: one the stage has finished with, so a layer of any size is
    // written with the same few buffers (no allocation per piece).
    std::string spare(size_t capacity) {
        {
            std::lock_guard lock(mutex_);
            if (!spares_.empty()) {
                std::string buffer = std::move(spares_.back());
                spares_.pop_back();
                return buffer;
            }
        }
        std::string buffer;
        buffer.reserve(capacity);
        return buffer;
    }
    // Throws when the stage has failed (the failure itself comes out of close()).
    void push(std::string piece) {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return queue_.size() < max_waiting || failure_; });
        if (failure_) throw LayerError("cannot write layer: the compressor stopped");
        queue_.push_back(std::move(piece));
        changed_.notify_all();
    }
    std::exception_ptr failure() {
        std::lock_guard lock(mutex_);
        return failure_;
    }
    // Waits until everything pushed is compressed and the stream finished; rethrows a failure.
    void close() {
        {
            std::lock_guard lock(mutex_);
            closed_ = true;
        }
        changed_.notify_all();
        thread_.join();
        if (failure_) std::rethrow_exception(failure_);
    }

  private:
    static constexpr size_t max_waiting = 4;

    void run() {
        try {
            for (;;) {
                std::string piece;
                {
                    std::unique_lock lock(mutex_);
                    changed_.wait(lock, [&] { return !queue_.empty() || closed_; });
                    if (queue_.empty() || abandoned_) break;
                    piece = std::move(queue_.front());
                    queue_.pop_front();
                }
                changed_.notify_all();
                consume_(piece);
                piece.clear();  // keeps its capacity for the next piece
                std::lock_guard lock(mutex_);
                spares_.push_back(std::move(piece));
            }
            if (!abandoned_) finish_();
        } catch (...) {
            std::lock_guard lock(mutex_);
            failure_ = std::current_exception();
        }
        changed_.notify_all();
    }

    std::function<void(std::string_view)> consume_;
    std::function<void()> finish_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<std::string> queue_;
    std::vector<std::string> spares_;
    bool closed_ = false, abandoned_ = false;
    std::exception_ptr failure_;
    std::thread thread_;  // last: started once everything it uses exists
};

// The pipeline's near end: the uncompressed tar is digested (diff_id) and handed to the
// compression stage in pieces. libarchive calls back into C++ here; exceptions must not cross
// its C frames, so they are kept and rethrown afterwards.
struct Pipeline {
    static constexpr size_t piece_size = 1024 * 1024;
    oci::Digester diff_id;
    std::string pending;
    CompressionStage* stage = nullptr;
    oci::BlobWriter* blob = nullptr;
    std::exception_ptr failure;             // of the tar side
    std::exception_ptr compressor_failure;  // of libarchive's zstd output (the stage's thread)

    static la_ssize_t tar_out(archive*, void* self, const void* buf, size_t n) {
        auto* p = static_cast<Pipeline*>(self);
        try {
            std::string_view bytes(static_cast<const char*>(buf), n);
            p->diff_id.update(bytes);
            // Within the buffer's capacity: a piece goes before it would outgrow it.
            if (!p->pending.empty() && p->pending.size() + n > piece_size) p->flush();
            p->pending.append(bytes);
            if (p->pending.size() >= piece_size) p->flush();
            return static_cast<la_ssize_t>(n);
        } catch (...) {
            if (!p->failure) p->failure = std::current_exception();
            return -1;
        }
    }
    void flush() {
        if (pending.empty()) return;
        std::string piece = stage->spare(piece_size + read_chunk_size);
        piece.swap(pending);
        stage->push(std::move(piece));
    }

    static la_ssize_t blob_out(archive*, void* self, const void* buf, size_t n) {
        auto* p = static_cast<Pipeline*>(self);
        try {
            p->blob->write(std::string_view(static_cast<const char*>(buf), n));
            return static_cast<la_ssize_t>(n);
        } catch (...) {
            if (!p->compressor_failure) p->compressor_failure = std::current_exception();
            return -1;
        }
    }

    void rethrow_failure() const {
        if (failure) std::rethrow_exception(failure);
    }
};

// What goes into the layer at one path.
enum class ItemKind { content, parent, whiteout, opaque };

struct Item {
    std::string path;  // for whiteouts, the deleted path (the entry is named after it)
    ItemKind kind;
};

// Tree order: a directory, then its whiteouts, then the rest of its content, each subtree
// contiguous. '/' becomes \x01 so that "a/b" sorts right after "a" and before "a.b"; a
// whiteout's last component gets a \x00 lead so it sorts before its siblings — an applier that
// processes in order must hide the lower entry before this layer puts its own in its place.
std::string sort_key(const std::string& path, bool whiteout) {
    std::string key = path;
    std::replace(key.begin(), key.end(), '/', '\x01');
    if (whiteout) {
        size_t slash = key.rfind('\x01');
        key.insert(slash == std::string::npos ? 0 : slash + 1, 1, '\0');
    }
    return key;
}

std::string whiteout_name(const std::string& path) {
    size_t slash = path.rfind('/');
    if (slash == std::string::npos) return std::string(whiteout_prefix) + path;
    return path.substr(0, slash + 1) + std::string(whiteout_prefix) + path.substr(slash + 1);
}

std::vector<std::string> components_of(const std::string& path) {
    std::string problem;
    auto components = split_entry_name(path, &problem);
    if (!components || components->empty())
        throw LayerError("cannot write layer: path \"" + path +
                         "\": " + (problem.empty() ? "names the root" : problem));
    return *components;
}

class LayerTarWriter {
  public:
    LayerTarWriter(const fs::path& root, const WriteOptions& options, archive* tar,
                   Pipeline& pipeline, std::vector<std::string>& warnings)
        : root_(root), options_(options), tar_(tar), pipeline_(pipeline), warnings_(warnings) {}

    void write(const Item& item);

  private:
    void write_whiteout(const std::string& path);
    void write_marker(const std::string& name);  // an empty file named for whiteouts' sake
    void set_times(archive_entry* entry, const struct stat& st) const;
    void add_xattrs(archive_entry* entry, int dir, const std::string& leaf) const;
    void write_header(archive_entry* entry, const std::string& path);
    void copy_content(int fd, uint64_t size, const std::string& path);

    ConfinedRoot root_;
    const WriteOptions& options_;
    archive* tar_;
    Pipeline& pipeline_;
    std::vector<std::string>& warnings_;
    // First path written for each multiply-linked inode; later ones become tar hard links.
    std::map<std::pair<dev_t, ino_t>, std::string> first_links_;
    std::string buffer_ = std::string(read_chunk_size, '\0');
};

void LayerTarWriter::write(const Item& item) {
    if (item.kind == ItemKind::whiteout) return write_whiteout(item.path);
    if (item.kind == ItemKind::opaque) return write_marker(item.path + "/.wh..wh..opq");
    const auto components = components_of(item.path);
    ParentAndLeaf at = root_.open_parent_beneath(components);
    auto st = stat_leaf(at.parent.get(), at.leaf);
    if (!st) {
        warnings_.push_back(item.path + ": gone since the snapshot, left out");
        return;
    }
    if (item.kind == ItemKind::parent && !S_ISDIR(st->st_mode)) return;
    if (S_ISSOCK(st->st_mode)) {
        warnings_.push_back(item.path + ": sockets cannot be stored in a layer, left out");
        return;
    }

    Entry entry(archive_entry_new());
    archive_entry_set_pathname(entry.get(), item.path.c_str());
    UniqueFd content;
    if (S_ISREG(st->st_mode)) {
        // The header describes the file we read, not what lstat saw a moment before
        // (O_NONBLOCK: should it have become a fifo meanwhile, fail instead of waiting).
        content = UniqueFd(::openat(at.parent.get(), at.leaf.c_str(),
                                    O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
        if (!content) throw_errno("cannot open " + item.path, errno);
        if (::fstat(content.get(), &*st) != 0) throw_errno("cannot stat " + item.path, errno);
        if (!S_ISREG(st->st_mode)) throw_errno("cannot read " + item.path, EINVAL);
    }
    archive_entry_set_mode(entry.get(), st->st_mode);
    archive_entry_set_uid(entry.get(), st->st_uid);
    archive_entry_set_gid(entry.get(), st->st_gid);
    set_times(entry.get(), *st);
    add_xattrs(entry.get(), at.parent.get(), at.leaf);

    if (S_ISREG(st->st_mode)) {
        if (st->st_nlink > 1) {
            auto [it, first] = first_links_.emplace(std::pair(st->st_dev, st->st_ino), item.path);
            if (!first) {
                archive_entry_set_hardlink(entry.get(), it->second.c_str());
                archive_entry_set_size(entry.get(), 0);
                return write_header(entry.get(), item.path);
            }
        }
        archive_entry_set_size(entry.get(), st->st_size);
        write_header(entry.get(), item.path);
        copy_content(content.get(), static_cast<uint64_t>(st->st_size), item.path);
        return;
    }
    if (S_ISLNK(st->st_mode)) {
        std::string target(PATH_MAX, '\0');
        ssize_t n = ::readlinkat(at.parent.get(), at.leaf.c_str(), target.data(), target.size());
        if (n < 0) throw_errno("cannot read symlink " + item.path, errno);
        target.resize(static_cast<size_t>(n));
        archive_entry_set_symlink(entry.get(), target.c_str());
    } else if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode)) {
        archive_entry_set_rdevmajor(entry.get(), major(st->st_rdev));
        archive_entry_set_rdevminor(entry.get(), minor(st->st_rdev));
    }
    archive_entry_set_size(entry.get(), 0);
    write_header(entry.get(), item.path);
}

void LayerTarWriter::write_whiteout(const std::string& path) {
    write_marker(whiteout_name(path));
}

void LayerTarWriter::write_marker(const std::string& name) {
    Entry entry(archive_entry_new());
    archive_entry_set_pathname(entry.get(), name.c_str());
    archive_entry_set_mode(entry.get(), AE_IFREG | 0644);
    archive_entry_set_size(entry.get(), 0);
    // A whiteout has no content worth dating; a fixed time keeps layers reproducible.
    archive_entry_set_mtime(entry.get(), options_.source_date_epoch.value_or(0), 0);
    write_header(entry.get(), name);
}

void LayerTarWriter::set_times(archive_entry* entry, const struct stat& st) const {
    int64_t seconds = st.st_mtim.tv_sec;
    long nanoseconds = st.st_mtim.tv_nsec;
    if (options_.source_date_epoch && seconds >= *options_.source_date_epoch) {
        seconds = *options_.source_date_epoch;
        nanoseconds = 0;
    }
    archive_entry_set_mtime(entry, seconds, nanoseconds);
}

void LayerTarWriter::add_xattrs(archive_entry* entry, int dir, const std::string& leaf) const {
    const std::string path = xattr_path(dir, leaf);
    ssize_t size = ::llistxattr(path.c_str(), nullptr, 0);
    if (size <= 0) return;  // none, or a filesystem without them
    std::string list(static_cast<size_t>(size), '\0');
    size = ::llistxattr(path.c_str(), list.data(), list.size());
    if (size < 0) throw_errno("cannot list extended attributes of " + leaf, errno);
    list.resize(static_cast<size_t>(size));
    std::vector<std::string> names;
    for (size_t start = 0; start < list.size();) {
        size_t end = list.find('\0', start);
        if (end == std::string::npos) end = list.size();
        std::string name = list.substr(start, end - start);
        // overlayfs's bookkeeping (of a layer tree read directly) is never layer content.
        if (!name.empty() && name.rfind("trusted.overlay.", 0) != 0 &&
            name.rfind("user.overlay.", 0) != 0)
            names.push_back(std::move(name));
        start = end + 1;
    }
    // Listing order is the filesystem's; sorted, identical trees give identical bytes.
    std::sort(names.begin(), names.end());
    for (const auto& name : names) {
        ssize_t length = ::lgetxattr(path.c_str(), name.c_str(), nullptr, 0);
        if (length < 0) {
            if (errno == ENODATA) continue;  // removed meanwhile
            throw_errno("cannot read extended attribute " + name + " of " + leaf, errno);
        }
        std::string value(static_cast<size_t>(length), '\0');
        length = ::lgetxattr(path.c_str(), name.c_str(), value.data(), value.size());
        if (length < 0)
            throw_errno("cannot read extended attribute " + name + " of " + leaf, errno);
        archive_entry_xattr_add_entry(entry, name.c_str(), value.data(),
                                      static_cast<size_t>(length));
    }
}

void LayerTarWriter::write_header(archive_entry* entry, const std::string& path) {
    int status = archive_write_header(tar_, entry);
    pipeline_.rethrow_failure();
    if (status < ARCHIVE_WARN) archive_failure(tar_, "entry \"" + path + "\"");
}

void LayerTarWriter::copy_content(int fd, uint64_t size, const std::string& path) {
    std::string& buffer = buffer_;
    uint64_t copied = 0;
    while (copied < size) {
        size_t want = static_cast<size_t>(std::min<uint64_t>(buffer.size(), size - copied));
        ssize_t n = ::read(fd, buffer.data(), want);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw_errno("cannot read " + path, errno);
        if (n == 0) {
            // The file shrank after its header went out: the tar needs the announced size.
            warnings_.push_back(path + ": shrank while being written, padded with zeros");
            std::fill(buffer.begin(), buffer.end(), '\0');
            n = static_cast<ssize_t>(want);
        }
        la_ssize_t written = archive_write_data(tar_, buffer.data(), static_cast<size_t>(n));
        pipeline_.rethrow_failure();
        if (written != n) archive_failure(tar_, "content of \"" + path + "\"");
        copied += static_cast<uint64_t>(n);
    }
}

std::vector<Item> layer_items(const std::vector<Change>& changes) {
    std::map<std::string, Item> items;  // by sort key
    for (const auto& change : changes) {
        if (change.kind == Change::Kind::deleted) {
            items.insert_or_assign(sort_key(change.path, true),
                                   Item{change.path, ItemKind::whiteout});
        } else if (change.kind == Change::Kind::opaque) {
            items.insert_or_assign(sort_key(change.path, false),
                                   Item{change.path, ItemKind::content});
            // First among the directory's entries: an empty name after the whiteout lead.
            items.insert_or_assign(sort_key(change.path, false) + std::string("\x01\0", 2),
                                   Item{change.path, ItemKind::opaque});
        } else {
            items.insert_or_assign(sort_key(change.path, false),
                                   Item{change.path, ItemKind::content});
        }
    }
    for (const auto& change : changes) {
        for (size_t slash = change.path.find('/'); slash != std::string::npos;
             slash = change.path.find('/', slash + 1)) {
            std::string parent = change.path.substr(0, slash);
            items.emplace(sort_key(parent, false), Item{parent, ItemKind::parent});
        }
    }
    std::vector<Item> ordered;
    ordered.reserve(items.size());
    for (auto& [key, item] : items) ordered.push_back(std::move(item));
    return ordered;
}

}  // namespace

LayerBlob write_layer(const fs::path& root, const std::vector<Change>& changes,
                      oci::BlobStore& store, const WriteOptions& options) {
    ScopedUtf8Locale utf8;  // before the archives exist: they pick their charset once
    LayerBlob result;
    Pipeline pipeline;
    oci::BlobWriter blob(store, "sha256", std::nullopt, std::nullopt);
    pipeline.blob = &blob;

    ArchiveWriter compressor;
    std::optional<GzipEncoder> gzip;
    std::function<void(std::string_view)> consume;
    std::function<void()> finish = [] {};
    if (options.compression == Compression::gzip) {
        result.media_type = "application/vnd.oci.image.layer.v1.tar+gzip";
        gzip.emplace([&blob](std::string_view bytes) { blob.write(bytes); }, gzip_level);
        consume = [&gzip](std::string_view piece) { gzip->write(piece); };
        finish = [&gzip] { gzip->finish(); };
    } else if (options.compression == Compression::zstd) {
        // A raw-format archive is libarchive's bare compressor: one "entry", no headers.
        compressor.reset(archive_write_new());
        archive* c = compressor.get();
        if (archive_write_set_format_raw(c) != ARCHIVE_OK)
            archive_failure(c, "setting up the compressor");
        result.media_type = "application/vnd.oci.image.layer.v1.tar+zstd";
        if (archive_write_add_filter_zstd(c) != ARCHIVE_OK ||
            archive_write_set_filter_option(c, "zstd", "compression-level", zstd_level) !=
                ARCHIVE_OK)
            archive_failure(c, "setting up zstd");
        archive_write_set_bytes_per_block(c, static_cast<int>(copy_chunk_size));
        archive_write_set_bytes_in_last_block(c, 1);  // no zero padding after the stream
        if (archive_write_open(c, &pipeline, nullptr, &Pipeline::blob_out, nullptr) != ARCHIVE_OK)
            archive_failure(c, "starting the compressor");
        Entry stream(archive_entry_new());
        archive_entry_set_pathname(stream.get(), "layer.tar");
        archive_entry_set_filetype(stream.get(), AE_IFREG);
        if (archive_write_header(c, stream.get()) != ARCHIVE_OK)
            archive_failure(c, "starting the compressor");
        auto check = [&pipeline, c](la_ssize_t status, const char* what) {
            if (pipeline.compressor_failure) std::rethrow_exception(pipeline.compressor_failure);
            if (status < 0) archive_failure(c, what);
        };
        consume = [c, check](std::string_view piece) {
            check(archive_write_data(c, piece.data(), piece.size()), "compressing");
        };
        finish = [c, check] { check(archive_write_close(c), "finishing the compression"); };
    } else {
        result.media_type = "application/vnd.oci.image.layer.v1.tar";
        consume = [&blob](std::string_view piece) { blob.write(piece); };
    }
    CompressionStage stage(consume, finish);
    pipeline.stage = &stage;
    pipeline.pending.reserve(Pipeline::piece_size + read_chunk_size);

    ArchiveWriter tar(archive_write_new());
    if (archive_write_set_format_pax(tar.get()) != ARCHIVE_OK)
        archive_failure(tar.get(), "setting up the tar format");
    // Extended attributes under the SCHILY.xattr keys GNU tar, Docker and containerd read (not
    // also libarchive's own copy of each).
    archive_write_set_format_option(tar.get(), "pax", "xattrheader", "SCHILY");
    // Unblocked: content goes to the digests and the compressor as written, without a copy.
    archive_write_set_bytes_per_block(tar.get(), 0);
    archive_write_set_bytes_in_last_block(tar.get(), 1);
    if (archive_write_open(tar.get(), &pipeline, nullptr, &Pipeline::tar_out, nullptr) !=
        ARCHIVE_OK)
        archive_failure(tar.get(), "starting the tar stream");

    try {
        LayerTarWriter writer(root, options, tar.get(), pipeline, result.warnings);
        for (const Item& item : layer_items(changes)) writer.write(item);

        int status = archive_write_close(tar.get());
        pipeline.rethrow_failure();
        if (status != ARCHIVE_OK) archive_failure(tar.get(), "finishing the tar stream");
        pipeline.flush();
        stage.close();
    } catch (...) {
        // The writing side only sees that the compressor stopped; say why it did.
        if (auto why = stage.failure()) std::rethrow_exception(why);
        throw;
    }

    result.diff_id = pipeline.diff_id.finish();
    result.size = blob.written();
    result.digest = blob.commit();
    return result;
}

LayerBlob write_tree_layer(const fs::path& root, oci::BlobStore& store,
                           const WriteOptions& options) {
    const Snapshot tree = Snapshot::scan(root);
    std::vector<Change> changes;
    changes.reserve(tree.entries.size());
    for (const auto& [path, state] : tree.entries) changes.push_back({Change::Kind::added, path});
    return write_layer(root, changes, store, options);
}

}  // namespace envbuilder::layers
