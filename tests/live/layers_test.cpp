// Layers: applying layers onto a root (whiteouts, metadata, confinement against hostile entries),
// snapshots and their diff, and writing change sets as layer blobs that we, GNU tar and a
// reproducible build all read the same way.
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#include "layers/apply.h"
#include "layers/gzip_encoder.h"
#include "layers/layer_writer.h"
#include "layers/overlay.h"
#include "layers/snapshot.h"
#include "oci/blob_store.h"
#include "skip.h"

using namespace envbuilder;
using namespace envbuilder::layers;
namespace fs = std::filesystem;

namespace {

// A fresh directory under /tmp, removed with everything in it at the end of the test.
struct TempDir {
    fs::path path;
    explicit TempDir(const std::string& name)
        : path(fs::temp_directory_path() /
               ("eb-layers-" + name + "-" + std::to_string(::getpid()))) {
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    fs::path operator/(const std::string& sub) const { return path / sub; }
};

void write_file(const fs::path& path, const std::string& content, mode_t mode = 0644) {
    fs::create_directories(path.parent_path());
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out << content;
    }
    REQUIRE(::chmod(path.c_str(), mode) == 0);
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void set_xattr(const fs::path& path, const std::string& name, const std::string& value) {
    REQUIRE(::lsetxattr(path.c_str(), name.c_str(), value.data(), value.size(), 0) == 0);
}

std::string get_xattr(const fs::path& path, const std::string& name) {
    char buf[256];
    ssize_t n = ::lgetxattr(path.c_str(), name.c_str(), buf, sizeof buf);
    return n < 0 ? std::string("<none>") : std::string(buf, static_cast<size_t>(n));
}

void set_mtime(const fs::path& path, time_t seconds) {
    const timespec times[2] = {{seconds, 0}, {seconds, 0}};
    REQUIRE(::utimensat(AT_FDCWD, path.c_str(), times, AT_SYMLINK_NOFOLLOW) == 0);
}

struct CommandResult {
    int status;
    std::string output;
};

CommandResult run(const std::string& command) {
    CommandResult result{-1, {}};
    FILE* p = ::popen((command + " 2>&1").c_str(), "r");
    if (!p) return result;
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) result.output.append(buf, n);
    result.status = ::pclose(p);
    return result;
}

std::string content_digest(const fs::path& path) {
    oci::Digester digester;
    std::ifstream in(path, std::ios::binary);
    std::string chunk(1 << 16, '\0');
    while (in) {
        in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        digester.update(std::string_view(chunk.data(), static_cast<size_t>(in.gcount())));
    }
    return digester.finish().str();
}

// Everything a layer must carry, per path, independent of our own snapshot code: type, mode,
// owner, size, mtime, content, link target, device, xattrs, and which paths share an inode.
std::map<std::string, std::string> describe_tree(const fs::path& root) {
    std::vector<std::string> paths;
    for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator();
         ++it)
        paths.push_back(fs::relative(it->path(), root).string());
    std::sort(paths.begin(), paths.end());
    std::map<std::string, std::string> tree;
    std::map<std::pair<dev_t, ino_t>, std::string> first_link;
    for (const auto& rel : paths) {
        const fs::path full = root / rel;
        struct stat st {};
        REQUIRE(::lstat(full.c_str(), &st) == 0);
        char head[160];
        std::snprintf(head, sizeof head, "mode=%o uid=%u gid=%u size=%lld mtime=%lld.%09ld",
                      st.st_mode, st.st_uid, st.st_gid,
                      S_ISDIR(st.st_mode) ? 0LL : static_cast<long long>(st.st_size),
                      static_cast<long long>(st.st_mtim.tv_sec), st.st_mtim.tv_nsec);
        std::string d = head;
        if (S_ISREG(st.st_mode)) d += " content=" + content_digest(full);
        if (S_ISLNK(st.st_mode)) d += " target=" + fs::read_symlink(full).string();
        if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
            d += " rdev=" + std::to_string(major(st.st_rdev)) + "," +
                 std::to_string(minor(st.st_rdev));
        if (S_ISREG(st.st_mode) && st.st_nlink > 1) {
            auto [it, fresh] = first_link.emplace(std::pair(st.st_dev, st.st_ino), rel);
            d += " inode-of=" + it->second;
        }
        char names[1024];
        ssize_t n = ::llistxattr(full.c_str(), names, sizeof names);
        std::vector<std::string> xattrs;
        for (ssize_t i = 0; i < n; i += static_cast<ssize_t>(std::strlen(names + i)) + 1)
            xattrs.push_back(names + i);
        std::sort(xattrs.begin(), xattrs.end());
        for (const auto& x : xattrs) d += " xattr:" + x + "=" + get_xattr(full, x);
        tree[rel] = d;
    }
    return tree;
}

// A layer entry made with libarchive, for layers our writer would never produce.
struct TarEntry {
    std::string name;
    mode_t type = AE_IFREG;
    mode_t perm = 0644;
    std::string content;
    std::string symlink;   // target, for AE_IFLNK
    std::string hardlink;  // when set, a hard link to this name
    unsigned rdev_major = 0, rdev_minor = 0;
    la_int64_t uid = 0, gid = 0;
};

TarEntry tar_file(std::string name, std::string content = {}) {
    TarEntry e;
    e.name = std::move(name);
    e.content = std::move(content);
    return e;
}
TarEntry tar_dir(std::string name, mode_t perm = 0755) {
    TarEntry e;
    e.name = std::move(name);
    e.type = AE_IFDIR;
    e.perm = perm;
    return e;
}
TarEntry tar_symlink(std::string name, std::string target) {
    TarEntry e;
    e.name = std::move(name);
    e.type = AE_IFLNK;
    e.symlink = std::move(target);
    return e;
}
TarEntry tar_hardlink(std::string name, std::string target) {
    TarEntry e;
    e.name = std::move(name);
    e.hardlink = std::move(target);
    return e;
}
TarEntry tar_node(std::string name, mode_t type, unsigned major_number = 0,
                  unsigned minor_number = 0) {
    TarEntry e;
    e.name = std::move(name);
    e.type = type;
    e.perm = 0666;
    e.rdev_major = major_number;
    e.rdev_minor = minor_number;
    return e;
}

void make_tar(const fs::path& out, const std::vector<TarEntry>& entries) {
    archive* a = archive_write_new();
    archive_write_set_format_pax_restricted(a);
    REQUIRE(archive_write_open_filename(a, out.c_str()) == ARCHIVE_OK);
    for (const auto& e : entries) {
        archive_entry* entry = archive_entry_new();
        archive_entry_set_pathname(entry, e.name.c_str());
        archive_entry_set_filetype(entry, e.type);
        archive_entry_set_perm(entry, e.perm);
        archive_entry_set_mtime(entry, 1'600'000'000, 0);
        if (!e.symlink.empty()) archive_entry_set_symlink(entry, e.symlink.c_str());
        if (!e.hardlink.empty()) archive_entry_set_hardlink(entry, e.hardlink.c_str());
        archive_entry_set_rdevmajor(entry, e.rdev_major);
        archive_entry_set_rdevminor(entry, e.rdev_minor);
        archive_entry_set_uid(entry, e.uid);
        archive_entry_set_gid(entry, e.gid);
        archive_entry_set_size(entry, e.type == AE_IFREG && e.hardlink.empty()
                                          ? static_cast<la_int64_t>(e.content.size())
                                          : 0);
        REQUIRE(archive_write_header(a, entry) == ARCHIVE_OK);
        if (!e.content.empty()) archive_write_data(a, e.content.data(), e.content.size());
        archive_entry_free(entry);
    }
    REQUIRE(archive_write_close(a) == ARCHIVE_OK);
    archive_write_free(a);
}

// A file capability granting cap_net_raw, in the kernel's v2 on-disk format.
const std::string net_raw_capability = std::string(
    "\x01\x00\x00\x02"
    "\x00\x20\x00\x00"
    "\x00\x00\x00\x00"
    "\x00\x00\x00\x00"
    "\x00\x00\x00\x00",
    20);

// A tree with every kind of entry and metadata a layer has to carry.
void build_sample_tree(const fs::path& root) {
    write_file(root / "etc/hostname", "sample\n");
    write_file(root / "usr/bin/tool", "#!/bin/sh\necho tool\n", 04755);
    set_xattr(root / "usr/bin/tool", "security.capability", net_raw_capability);
    write_file(root / "home/dev/notes.txt", "notes", 0600);
    REQUIRE(::chown((root / "home/dev/notes.txt").c_str(), 1234, 5678) == 0);
    REQUIRE(::chown((root / "home/dev").c_str(), 1234, 5678) == 0);
    set_xattr(root / "home/dev/notes.txt", "user.comment", "kept");
    set_xattr(root / "home/dev", "user.dir", "also kept");
    fs::create_directories(root / "tmp");
    REQUIRE(::chmod((root / "tmp").c_str(), 01777) == 0);
    fs::create_directories(root / "srv/shared");
    REQUIRE(::chmod((root / "srv/shared").c_str(), 02775) == 0);
    fs::create_directories(root / "empty");
    fs::create_symlink("hostname", root / "etc/alias");
    fs::create_symlink("/etc/hostname", root / "etc/absolute");
    fs::create_symlink(std::string(150, 'x') + "/long/target", root / "etc/long-link");
    fs::create_hard_link(root / "etc/hostname", root / "etc/hostname.hard");
    fs::create_hard_link(root / "etc/hostname", root / "usr/hostname.elsewhere");
    REQUIRE(::mkfifo((root / "run.fifo").c_str(), 0620) == 0);
    fs::create_directories(root / "dev");
    REQUIRE(::mknod((root / "dev/null").c_str(), S_IFCHR | 0666, makedev(1, 3)) == 0);
    write_file(root / (std::string(120, 'd') + "/" + std::string(130, 'f')), "long name");
    write_file(root / "données/café.txt", "utf-8 names");
    write_file(root / "ro/inside", "under a read-only directory");
    REQUIRE(::chmod((root / "ro").c_str(), 0555) == 0);
    // Directory mtimes last: creating content changes them.
    set_mtime(root / "etc/hostname", 1'500'000'000);
    set_mtime(root / "etc/alias", 1'500'000'001);
    for (const char* dir : {"etc", "usr", "usr/bin", "tmp", "empty", "ro", "home/dev"})
        set_mtime(root / dir, 1'400'000'000);
}

// The sample tree plus what change_tree() changes: a tree to delete, a directory to become a
// file and the reverse, a file to rewrite.
void build_tree_to_change(const fs::path& root) {
    build_sample_tree(root);
    write_file(root / "var/lib/data/a", "a");
    write_file(root / "var/lib/data/nested/b", "b");
    write_file(root / "opt/dir-to-file/child", "child");
    write_file(root / "opt/file-to-dir", "file");
    write_file(root / "opt/rewrite", "old content");
}

// A step's worth of changes to a tree from build_tree_to_change().
void change_tree(const fs::path& live) {
    fs::remove_all(live / "var/lib/data");  // a whole tree
    fs::remove(live / "etc/alias");
    fs::remove_all(live / "opt/dir-to-file");
    write_file(live / "opt/dir-to-file", "was a directory");
    fs::remove(live / "opt/file-to-dir");
    write_file(live / "opt/file-to-dir/inside", "was a file");
    write_file(live / "opt/rewrite", "new content");
    REQUIRE(::chown((live / "opt/rewrite").c_str(), 42, 43) == 0);
    REQUIRE(::chmod((live / "etc").c_str(), 0750) == 0);
    write_file(live / "new/deep/tree/file", "fresh");
    fs::create_hard_link(live / "new/deep/tree/file", live / "new/deep/second");
}

fs::path blob_path(const oci::BlobStore& store, const LayerBlob& layer) {
    return store.path(layer.digest);
}

// Entry names and mtimes of a layer, read back with libarchive.
std::map<std::string, time_t> layer_mtimes(const fs::path& blob) {
    std::map<std::string, time_t> result;
    archive* a = archive_read_new();
    archive_read_support_filter_all(a);
    archive_read_support_format_tar(a);
    REQUIRE(archive_read_open_filename(a, blob.c_str(), 65536) == ARCHIVE_OK);
    archive_entry* entry;
    // ARCHIVE_WARN: a non-ASCII name under the C locale, still read (as its bytes).
    for (int status;
         (status = archive_read_next_header(a, &entry)) == ARCHIVE_OK || status == ARCHIVE_WARN;)
        result[archive_entry_pathname(entry)] = archive_entry_mtime(entry);
    archive_read_free(a);
    return result;
}

// Peak resident memory since the last reset (VmHWM), in bytes.
size_t peak_rss() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmHWM:", 0) == 0) return std::stoul(line.substr(6)) * 1024;
    return 0;
}

size_t current_rss() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::stoul(line.substr(6)) * 1024;
    return 0;
}

}  // namespace

TEST_CASE("layers: a tree round-trips through write_tree_layer and apply_layer", "[layers]") {
    TempDir dir("roundtrip");
    build_sample_tree(dir / "source");
    oci::BlobStore store(dir / "store");

    for (auto compression : {Compression::gzip, Compression::zstd, Compression::none}) {
        CAPTURE(static_cast<int>(compression));
        LayerBlob layer = write_tree_layer(dir / "source", store, {compression, std::nullopt});
        CHECK(layer.warnings.empty());
        CHECK(store.has(layer.digest));
        CHECK(store.size(layer.digest) == layer.size);
        CHECK(layer.media_type ==
              (compression == Compression::gzip   ? "application/vnd.oci.image.layer.v1.tar+gzip"
               : compression == Compression::zstd ? "application/vnd.oci.image.layer.v1.tar+zstd"
                                                  : "application/vnd.oci.image.layer.v1.tar"));
        if (compression == Compression::none) CHECK(layer.diff_id == layer.digest);
        if (compression != Compression::none) CHECK(layer.diff_id != layer.digest);

        fs::remove_all(dir / "target");
        fs::create_directories(dir / "target");
        ApplyResult applied = apply_layer(blob_path(store, layer), dir / "target");
        CHECK(applied.warnings.empty());
        CHECK(applied.entries > 20);
        CHECK(describe_tree(dir / "target") == describe_tree(dir / "source"));
    }
    // Spot checks of what the comparison covers, so a broken describe_tree cannot hide a loss.
    struct stat st {};
    REQUIRE(::lstat((dir / "target/usr/bin/tool").c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 04755);
    CHECK(get_xattr(dir / "target/usr/bin/tool", "security.capability") == net_raw_capability);
    REQUIRE(::lstat((dir / "target/home/dev/notes.txt").c_str(), &st) == 0);
    CHECK(st.st_uid == 1234);
    CHECK(st.st_gid == 5678);
    struct stat a {
    }, b{};
    REQUIRE(::lstat((dir / "target/etc/hostname").c_str(), &a) == 0);
    REQUIRE(::lstat((dir / "target/usr/hostname.elsewhere").c_str(), &b) == 0);
    CHECK(a.st_ino == b.st_ino);
    CHECK(a.st_nlink == 3);
}

TEST_CASE("layers: GNU tar reads our layers, xattrs included", "[layers]") {
    TempDir dir("gnutar");
    build_sample_tree(dir / "source");
    oci::BlobStore store(dir / "store");
    LayerBlob gz = write_tree_layer(dir / "source", store);
    LayerBlob zst = write_tree_layer(dir / "source", store, {Compression::zstd, std::nullopt});

    auto listing = run("tar -tzvf " + blob_path(store, gz).string());
    REQUIRE(listing.status == 0);
    CHECK(listing.output.find("usr/bin/tool") != std::string::npos);
    CHECK(listing.output.find("etc/hostname.hard link to etc/hostname") != std::string::npos);
    CHECK(listing.output.find("etc/alias -> hostname") != std::string::npos);
    CHECK(listing.output.find("rwsr-xr-x") != std::string::npos);
    CHECK(listing.output.find("1234/5678") != std::string::npos);  // no user/group names
    CHECK(listing.output.find("PaxHeader") == std::string::npos);
    CHECK(listing.output.find("Ignoring") == std::string::npos);  // no hdrcharset=BINARY
    CHECK(listing.output.find("données/café.txt") != std::string::npos);
    CHECK(run("tar --zstd -tf " + blob_path(store, zst).string()).status == 0);

    fs::create_directories(dir / "extracted");
    auto extract = run("tar --xattrs --xattrs-include='*' -xzf " + blob_path(store, gz).string() +
                       " -C " + (dir / "extracted").string());
    REQUIRE(extract.status == 0);
    CHECK(get_xattr(dir / "extracted/home/dev/notes.txt", "user.comment") == "kept");
    CHECK(get_xattr(dir / "extracted/usr/bin/tool", "security.capability") == net_raw_capability);
    CHECK(read_file(dir / ("extracted/" + std::string(120, 'd') + "/" + std::string(130, 'f'))) ==
          "long name");
    CHECK(read_file(dir / "extracted/données/café.txt") == "utf-8 names");
}

TEST_CASE("layers: snapshot diff", "[layers]") {
    TempDir dir("diff");
    const fs::path root = dir / "root";
    write_file(root / "keep", "same");
    write_file(root / "edit", "before");
    write_file(root / "chmod", "x");
    write_file(root / "gone/deep/file", "x");
    write_file(root / "becomes-file/child", "x");
    write_file(root / "restored-mtime", "aaaa");
    write_file(root / "mnt/cache/blob", "x");
    fs::create_symlink("keep", root / "link");
    set_mtime(root / "restored-mtime", 1'000'000'000);
    Snapshot before = Snapshot::scan(root, {"/mnt/"});
    CHECK(before.entries.count("keep"));
    CHECK(before.entries.at("link").link_target == "keep");
    CHECK(!before.entries.count("mnt"));
    CHECK(!before.entries.count("mnt/cache"));

    ::usleep(10'000);
    write_file(root / "edit", "after!");
    REQUIRE(::chmod((root / "chmod").c_str(), 0600) == 0);
    fs::remove_all(root / "gone");
    fs::remove_all(root / "becomes-file");
    write_file(root / "becomes-file", "now a file");
    write_file(root / "restored-mtime", "bbbb");
    set_mtime(root / "restored-mtime", 1'000'000'000);
    write_file(root / "new/dir/file", "new");
    write_file(root / "mnt/cache/other", "ignored");
    fs::remove(root / "link");
    fs::create_symlink("edit", root / "link");
    Snapshot after = Snapshot::scan(root, {"mnt"});

    std::vector<std::string> seen;
    for (const auto& c : diff(before, after)) {
        const char* kind = c.kind == Change::Kind::added      ? "A "
                           : c.kind == Change::Kind::modified ? "M "
                                                              : "D ";
        seen.push_back(kind + c.path);
    }
    // The root's own entries changed (directory mtimes) only where names came and went.
    const std::vector<std::string> expected = {
        "D becomes-file", "A becomes-file", "M chmod",   "M edit",         "D gone",
        "M link",         "A new",          "A new/dir", "A new/dir/file", "M restored-mtime"};
    CHECK(seen == expected);
}

TEST_CASE("layers: a diff written as a layer turns the old tree into the new one", "[layers]") {
    TempDir dir("difflayer");
    const fs::path live = dir / "live";
    build_tree_to_change(live);
    REQUIRE(run("cp -a " + live.string() + " " + (dir / "copy").string()).status == 0);
    REQUIRE(describe_tree(live) == describe_tree(dir / "copy"));
    Snapshot before = Snapshot::scan(live);

    ::usleep(10'000);
    change_tree(live);
    fs::create_hard_link(live / "etc/hostname", live / "new/third-link-to-hostname");
    set_xattr(live / "opt/rewrite", "user.added", "later");
    Snapshot after = Snapshot::scan(live);
    auto changes = diff(before, after);

    oci::BlobStore store(dir / "store");
    LayerBlob layer = write_layer(live, changes, store);
    CHECK(layer.warnings.empty());
    ApplyResult applied = apply_layer(blob_path(store, layer), dir / "copy");
    CHECK(applied.warnings.empty());
    CHECK(describe_tree(dir / "copy") == describe_tree(live));

    // Unchanged paths stay out; parents of changes are in; the deleted tree is one whiteout.
    auto entries = layer_mtimes(blob_path(store, layer));
    CHECK(entries.count("var/lib/.wh.data"));
    CHECK(!entries.count("var/lib/data/.wh.a"));
    CHECK(entries.count("var/lib/"));
    CHECK(entries.count("opt/.wh.dir-to-file"));
    CHECK(!entries.count("usr/bin/tool"));
    CHECK(!entries.count("home/dev/notes.txt"));
}

TEST_CASE("layers: whiteouts and opaque directories hide only lower layers", "[layers]") {
    TempDir dir("opaque");
    const fs::path root = dir / "root";
    write_file(root / "d/old", "lower");
    write_file(root / "d/sub/old", "lower");
    write_file(root / "d/sub/keep-name", "lower");
    write_file(root / "other/file", "lower");
    write_file(root / "gone/tree/file", "lower");
    write_file(root / "x/replaced", "lower");

    // The marker comes after some of this layer's own entries and before others.
    make_tar(dir / "layer.tar",
             {tar_dir("d/", 0755), tar_file("d/new", "upper"), tar_file("d/sub/keep-name", "upper"),
              tar_file("d/.wh..wh..opq"), tar_file("d/sub/later", "upper"), tar_file(".wh.gone"),
              tar_file("x/replaced", "upper"),
              tar_file("x/.wh.replaced"),  // same layer: must not remove the entry above
              tar_file(".wh.never-existed"), tar_file("other/.wh..wh.plnk")});
    ApplyResult applied = apply_layer(dir / "layer.tar", root);
    CHECK(applied.entries == 10);
    CHECK(read_file(root / "d/new") == "upper");
    CHECK(read_file(root / "d/sub/keep-name") == "upper");
    CHECK(read_file(root / "d/sub/later") == "upper");
    CHECK(!fs::exists(root / "d/old"));
    CHECK(!fs::exists(root / "d/sub/old"));
    CHECK(!fs::exists(root / "gone"));
    CHECK(read_file(root / "x/replaced") == "upper");
    CHECK(read_file(root / "other/file") == "lower");
    CHECK(!fs::exists(root / "d/.wh..wh..opq"));
    CHECK(!fs::exists(root / "other/.wh..wh.plnk"));
}

TEST_CASE("layers: compression is detected from content", "[layers]") {
    TempDir dir("detect");
    write_file(dir / "src/a/b", "content");
    write_file(dir / "src/été", "utf-8 name");
    for (std::string flag : {"", "-z", "--zstd", "--format=pax --zstd"}) {
        CAPTURE(flag);
        const fs::path layer =
            dir / ("layer" + std::to_string(flag.size()) + ".bin");  // no telling extension
        REQUIRE(
            run("tar " + flag + " -cf " + layer.string() + " -C " + (dir / "src").string() + " .")
                .status == 0);
        fs::remove_all(dir / "root");
        fs::create_directories(dir / "root");
        ApplyResult applied = apply_layer(layer, dir / "root");
        CHECK(applied.warnings.empty());
        CHECK(read_file(dir / "root/a/b") == "content");
        CHECK(read_file(dir / "root/été") == "utf-8 name");
    }
    // A layer cut short (an interrupted download) fails instead of applying half silently.
    const std::string whole = read_file(dir / "layer2.bin");
    write_file(dir / "truncated", whole.substr(0, whole.size() / 2));
    CHECK_THROWS_AS(apply_layer(dir / "truncated", dir / "root"), LayerError);
    write_file(dir / "not-a-layer", "plain text, not a tar");
    CHECK_THROWS_AS(apply_layer(dir / "not-a-layer", dir / "root"), LayerError);
    CHECK_THROWS_WITH(apply_layer(dir / "missing", dir / "root"), Catch::Contains("missing"));
}

TEST_CASE("layers: the same tree gives the same bytes with SOURCE_DATE_EPOCH", "[layers]") {
    TempDir dir("reproducible");
    const fs::path root = dir / "root";
    build_sample_tree(root);
    set_mtime(root / "etc/alias", 1'000'000'000);  // older than the epoch: kept as is
    const int64_t epoch = 1'700'000'000;
    oci::BlobStore store(dir / "store");
    WriteOptions options{Compression::gzip, epoch};
    LayerBlob first = write_tree_layer(root, store, options);
    LayerBlob second = write_tree_layer(root, store, options);
    CHECK(first.digest == second.digest);
    CHECK(first.diff_id == second.diff_id);
    // The gzip header carries no time of writing (bytes 4-7, MTIME).
    const std::string header = read_file(blob_path(store, first)).substr(0, 10);
    CHECK(header.substr(0, 2) == "\x1f\x8b");
    CHECK(header.substr(4, 4) == std::string(4, '\0'));

    // A rebuild touches files again (later mtimes): clamped, so still the same layer.
    set_mtime(root / "home/dev/notes.txt", 1'800'000'000);
    set_mtime(root / "usr/bin/tool", 1'900'000'000);
    LayerBlob touched = write_tree_layer(root, store, options);
    CHECK(touched.digest == first.digest);
    auto mtimes = layer_mtimes(blob_path(store, touched));
    CHECK(mtimes.at("home/dev/notes.txt") == epoch);
    CHECK(mtimes.at("usr/bin/tool") == epoch);
    CHECK(mtimes.at("etc/hostname") == 1'500'000'000);
    CHECK(mtimes.at("etc/alias") == 1'000'000'000);

    LayerBlob zstd_a = write_tree_layer(root, store, {Compression::zstd, epoch});
    LayerBlob zstd_b = write_tree_layer(root, store, {Compression::zstd, epoch});
    CHECK(zstd_a.digest == zstd_b.digest);
    CHECK(zstd_a.diff_id == touched.diff_id);  // one tar, two compressions

    LayerBlob unclamped = write_tree_layer(root, store);
    CHECK(unclamped.diff_id != first.diff_id);
}

TEST_CASE("layers: hostile layers are refused and nothing lands outside the root", "[layers]") {
    TempDir dir("hostile");
    const fs::path root = dir / "root";
    fs::create_directories(root);
    write_file(root / "existing", "x");
    auto refused = [&](const std::string& label, const std::vector<TarEntry>& entries,
                       const std::string& entry_name, const std::string& reason) {
        const fs::path layer = dir / (label + ".tar");
        make_tar(layer, entries);
        CAPTURE(label);
        CHECK_THROWS_WITH(apply_layer(layer, root), Catch::Contains(layer.string()) &&
                                                        Catch::Contains("\"" + entry_name + "\"") &&
                                                        Catch::Contains(reason));
    };
    refused("dotdot", {tar_file("../escape", "x")}, "../escape", "'..'");
    refused("dotdot-inner", {tar_file("a/../../escape", "x")}, "a/../../escape", "'..'");
    refused("absolute", {tar_file("/abs/path", "x")}, "/abs/path", "absolute");
    refused("link-dotdot", {tar_hardlink("h", "../../etc/passwd")}, "h", "'..'");
    refused("link-absolute", {tar_hardlink("h", "/etc/shadow")}, "h", "absolute");
    refused("link-missing", {tar_hardlink("h", "not/here")}, "h", "does not exist");
    refused("root-as-file", {tar_file(".", "x")}, ".", "root itself");
    refused("root-as-link", {tar_symlink(".", "/elsewhere")}, ".", "root itself");
    refused("whiteout-dotdot", {tar_file("../.wh.existing")}, "../.wh.existing", "'..'");

    CHECK(!fs::exists(dir / "escape"));
    CHECK(!fs::exists("/abs"));
    CHECK(!fs::exists(root / "h"));
    CHECK(read_file(root / "existing") == "x");
    std::vector<std::string> top;
    for (const auto& e : fs::directory_iterator(dir.path)) top.push_back(e.path().filename());
    for (const auto& name : top) CHECK((name == "root" || name.ends_with(".tar")));
}

TEST_CASE("layers: symlinks in the layer resolve inside the root", "[layers]") {
    TempDir dir("confined");
    const fs::path root = dir / "root";
    write_file(dir / "outside/victim", "must survive");
    fs::create_directories(root);
    make_tar(dir / "layer.tar",
             {tar_symlink("evil", "/etc"), tar_file("evil/owned", "confined"),
              tar_symlink("up", "../../../.."), tar_file("up/x", "at the root"),
              tar_symlink("out", "../outside"), tar_file("out/.wh.victim"),
              tar_file("out/new", "inside"), tar_file("evil/hostname", "root's own"),
              tar_hardlink("via-link", "evil/hostname")});
    apply_layer(dir / "layer.tar", root);

    CHECK(read_file(root / "etc/owned") == "confined");
    CHECK(!fs::exists("/etc/owned"));
    CHECK(read_file(root / "x") == "at the root");
    CHECK(!fs::exists(dir / "x"));
    // Not written one level up either (that directory is shared, so only our bytes count).
    const fs::path above = dir.path.parent_path() / "x";
    CHECK(!(fs::is_regular_file(above) && read_file(above) == "at the root"));
    CHECK(read_file(dir / "outside/victim") == "must survive");
    CHECK(read_file(root / "outside/new") == "inside");
    CHECK(!fs::exists(dir / "outside/new"));
    CHECK(fs::is_symlink(root / "evil"));
    CHECK(fs::equivalent(root / "via-link", root / "etc/hostname"));
    if (fs::exists("/etc/owned")) fs::remove("/etc/owned");  // never, but do not leave it
}

TEST_CASE("layers: without privileges, devices are skipped with a warning and owners kept",
          "[layers]") {
    TempDir dir("devices");
    TarEntry owned = tar_file("home/owned", "x");
    owned.uid = 1234;
    owned.gid = 5678;
    make_tar(dir / "layer.tar", {tar_dir("dev/", 0755), tar_node("dev/null", AE_IFCHR, 1, 3),
                                 tar_node("dev/pipe", AE_IFIFO), owned});
    fs::create_directories(dir / "unprivileged");
    fs::create_directories(dir / "privileged");
    ApplyOptions unprivileged;
    unprivileged.privileged = false;
    ApplyResult skipped = apply_layer(dir / "layer.tar", dir / "unprivileged", unprivileged);
    REQUIRE(skipped.warnings.size() == 1);
    CHECK_THAT(skipped.warnings[0], Catch::Contains("dev/null") && Catch::Contains("device"));
    CHECK(!fs::exists(dir / "unprivileged/dev/null"));
    CHECK(fs::is_fifo(dir / "unprivileged/dev/pipe"));
    struct stat owner {};
    REQUIRE(::lstat((dir / "unprivileged/home/owned").c_str(), &owner) == 0);
    CHECK(owner.st_uid == ::geteuid());
    CHECK(owner.st_gid == ::getegid());

    SKIP_UNLESS_ROOT();
    ApplyResult made = apply_layer(dir / "layer.tar", dir / "privileged");
    CHECK(made.warnings.empty());
    struct stat st {};
    REQUIRE(::lstat((dir / "privileged/dev/null").c_str(), &st) == 0);
    CHECK(S_ISCHR(st.st_mode));
    CHECK(st.st_rdev == makedev(1, 3));
    REQUIRE(::lstat((dir / "privileged/home/owned").c_str(), &st) == 0);
    CHECK(st.st_uid == 1234);
    CHECK(st.st_gid == 5678);
}

TEST_CASE("layers: existing entries are replaced by type", "[layers]") {
    TempDir dir("replace");
    const fs::path root = dir / "root";
    write_file(root / "was-dir/deep/file", "lower");
    write_file(root / "was-file", "lower");
    write_file(root / "dir-stays/lower", "lower");
    fs::create_symlink("dir-stays", root / "was-link");
    make_tar(dir / "layer.tar",
             {tar_file("was-dir", "now a file"), tar_dir("was-file/", 0700),
              tar_dir("dir-stays/", 0711), tar_file("was-link", "not through the link")});
    apply_layer(dir / "layer.tar", root);
    CHECK(read_file(root / "was-dir") == "now a file");
    CHECK(fs::is_directory(root / "was-file"));
    CHECK(read_file(root / "dir-stays/lower") == "lower");
    CHECK((fs::status(root / "dir-stays").permissions() & fs::perms::all) ==
          static_cast<fs::perms>(0711));
    CHECK(!fs::is_symlink(root / "was-link"));
    CHECK(read_file(root / "was-link") == "not through the link");
}

TEST_CASE("layers: a 64 MiB file streams through writing and applying", "[layers]") {
    TempDir dir("stream");
    const fs::path big = dir / "source/big.bin";
    fs::create_directories(big.parent_path());
    {
        std::ofstream out(big, std::ios::binary);
        std::mt19937_64 rng(42);
        std::vector<uint64_t> block(1 << 17);  // 1 MiB
        for (int i = 0; i < 64; ++i) {
            for (auto& word : block) word = rng();
            out.write(reinterpret_cast<const char*>(block.data()),
                      static_cast<std::streamsize>(block.size() * sizeof(uint64_t)));
        }
    }
    oci::BlobStore store(dir / "store");
    // Reset the peak so VmHWM measures only what follows.
    { std::ofstream("/proc/self/clear_refs") << "5"; }
    const size_t baseline = current_rss();
    LayerBlob layer = write_tree_layer(dir / "source", store);
    fs::create_directories(dir / "target");
    apply_layer(blob_path(store, layer), dir / "target");
    const size_t growth = peak_rss() - std::min(baseline, peak_rss());
    CHECK(growth < 16u * 1024 * 1024);
    CHECK(layer.size > 64u * 1024 * 1024);  // random data does not compress
    CHECK(content_digest(dir / "target/big.bin") == content_digest(big));
}

TEST_CASE("layers: overlay format keeps whiteouts and opaque markers for the kernel", "[layers]") {
    SKIP_UNLESS_ROOT();
    if (probe_overlay(fs::temp_directory_path()).unavailable)
        SKIP_TEST("the kernel refuses overlayfs here");
    TempDir dir("overlay-format");
    const fs::path lower = dir / "lower";
    write_file(lower / "gone/tree/file", "lower");
    write_file(lower / "d/old", "lower");
    write_file(lower / "keep/file", "lower");
    write_file(lower / "hl/target", "linked from above");
    REQUIRE(::chmod((lower / "hl/target").c_str(), 0640) == 0);
    make_tar(dir / "layer.tar", {tar_file(".wh.gone"), tar_dir("d/"), tar_file("d/.wh..wh..opq"),
                                 tar_file("d/new", "upper"), tar_file("x/replaced", "upper"),
                                 tar_file("x/.wh.replaced"), tar_hardlink("hl/link", "hl/target")});
    ApplyOptions options;
    options.overlay_format = true;
    options.lower_view = lower;
    const fs::path tree = dir / "tree";
    fs::create_directories(tree);
    ApplyResult applied = apply_layer(dir / "layer.tar", tree, options);
    CHECK(applied.warnings.empty());

    struct stat st {};
    REQUIRE(::lstat((tree / "gone").c_str(), &st) == 0);
    CHECK(S_ISCHR(st.st_mode));
    CHECK(st.st_rdev == makedev(0, 0));
    CHECK(get_xattr(tree / "d", "trusted.overlay.opaque") == "y");
    CHECK(read_file(tree / "x/replaced") == "upper");  // this layer's own entry wins
    // overlayfs cannot link across layers: the lower file is copied, mode and all.
    CHECK(read_file(tree / "hl/link") == "linked from above");
    REQUIRE(::lstat((tree / "hl/link").c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0640);
    CHECK(!fs::exists(lower / "hl/link"));

    // The kernel reads it as a layer: what the whiteout and the marker hide is gone.
    OverlayMount view({tree, lower}, {}, {}, dir / "view");
    CHECK(!fs::exists(dir / "view/gone"));
    CHECK(!fs::exists(dir / "view/d/old"));
    CHECK(read_file(dir / "view/d/new") == "upper");
    CHECK(read_file(dir / "view/keep/file") == "lower");
}

TEST_CASE("layers: an overlayfs upper directory, read as a change set, is the step's layer",
          "[layers]") {
    SKIP_UNLESS_ROOT();
    if (probe_overlay(fs::temp_directory_path()).unavailable)
        SKIP_TEST("the kernel refuses overlayfs here");
    TempDir dir("overlay-upper");
    const fs::path lower = dir / "lower";
    build_tree_to_change(lower);
    write_file(lower / "opt/remade/old", "hidden by the opaque directory");
    write_file(lower / "touched/only", "x");
    set_mtime(lower / "touched", 1'300'000'000);
    REQUIRE(run("cp -a " + lower.string() + " " + (dir / "copy").string()).status == 0);
    for (const char* d : {"upper", "work"}) fs::create_directories(dir / d);

    std::vector<Change> changes;
    std::map<std::string, std::string> merged_tree;
    oci::BlobStore store(dir / "store");
    LayerBlob layer;
    {
        OverlayMount merged({lower}, dir / "upper", dir / "work", dir / "merged");
        const fs::path live = dir / "merged";
        change_tree(live);
        set_xattr(live / "srv/shared", "user.note", "only an attribute changed");
        fs::remove_all(live / "opt/remade");
        write_file(live / "opt/remade/fresh", "new");
        // Copied up by the kernel, then put back as it was: no change.
        write_file(live / "touched/scratch", "");
        fs::remove(live / "touched/scratch");
        set_mtime(live / "touched", 1'300'000'000);

        OverlayMount before({lower}, {}, {}, dir / "before");
        changes = upper_changes(dir / "upper", dir / "before");
        merged_tree = describe_tree(live);
        layer = write_layer(live, changes, store);
    }
    auto kind_of = [&](const std::string& path) {
        std::vector<Change::Kind> kinds;
        for (const auto& c : changes)
            if (c.path == path) kinds.push_back(c.kind);
        return kinds;
    };
    using K = Change::Kind;
    CHECK(kind_of("var/lib/data") == std::vector<K>{K::deleted});
    CHECK(kind_of("var/lib/data/a").empty());
    CHECK(kind_of("opt/dir-to-file") == std::vector<K>{K::deleted, K::added});
    CHECK(kind_of("opt/rewrite") == std::vector<K>{K::modified});
    CHECK(kind_of("opt/file-to-dir") == std::vector<K>{K::deleted, K::added});
    CHECK(kind_of("opt/remade") == std::vector<K>{K::opaque});
    CHECK(kind_of("new") == std::vector<K>{K::added});
    CHECK(kind_of("touched").empty());
    CHECK(kind_of("srv/shared") == std::vector<K>{K::modified});
    CHECK(kind_of("usr").empty());
    CHECK(std::is_sorted(changes.begin(), changes.end(),
                         [](const Change& a, const Change& b) { return a.path < b.path; }));

    // Written as a layer and applied to a plain copy of the lower tree, it gives the merged view.
    auto entries = layer_mtimes(blob_path(store, layer));
    CHECK(entries.count("opt/remade/.wh..wh..opq"));
    CHECK(entries.count("var/lib/.wh.data"));
    ApplyResult applied = apply_layer(blob_path(store, layer), dir / "copy");
    CHECK(applied.warnings.empty());
    CHECK(describe_tree(dir / "copy") == merged_tree);
}

TEST_CASE("layers: gzip stores what would not compress and deflates the rest; gzip reads both",
          "[layers]") {
    TempDir dir("gzip");
    std::mt19937_64 random(7);
    std::string noise(3 * 1024 * 1024 + 123, '\0');
    for (auto& c : noise) c = static_cast<char>(random());
    std::string text;
    while (text.size() < 2 * 1024 * 1024) text += "line of a configuration file, repeated\n";
    CHECK(looks_incompressible(noise.substr(0, 256 * 1024)));
    CHECK(!looks_incompressible(text.substr(0, 256 * 1024)));

    // Text, noise, text: the level follows the content, and the stream stays one gzip member.
    const std::string input = text + noise + text;
    std::string output;
    GzipEncoder encoder([&](std::string_view bytes) { output.append(bytes); }, 1);
    for (size_t at = 0; at < input.size(); at += 100'000)
        encoder.write(std::string_view(input).substr(at, 100'000));
    encoder.finish();
    // Noise costs a few bytes per stored block; text shrinks well below its size.
    CHECK(output.size() < noise.size() + noise.size() / 100 + text.size() / 5);
    CHECK(output.size() > noise.size());

    write_file(dir / "out.gz", output);
    CommandResult gunzip = run("gzip -dc " + (dir / "out.gz").string() + " > " +
                               (dir / "out").string() + " && gzip -t " + (dir / "out.gz").string());
    REQUIRE(gunzip.status == 0);
    CHECK(read_file(dir / "out") == input);

    // The same input, the same bytes.
    std::string again;
    GzipEncoder second([&](std::string_view bytes) { again.append(bytes); }, 1);
    second.write(input);
    second.finish();
    CHECK(again == output);
}

TEST_CASE(
    "layers: overlay format takes unlisted parents from the layers below, and same-layer "
    "whiteouts make opaque directories",
    "[layers]") {
    SKIP_UNLESS_ROOT();
    if (probe_overlay(fs::temp_directory_path()).unavailable)
        SKIP_TEST("the kernel refuses overlayfs here");
    TempDir dir("overlay-parents");
    const fs::path lower = dir / "lower";
    fs::create_directories(lower / "tmp");
    REQUIRE(::chmod((lower / "tmp").c_str(), 01777) == 0);
    write_file(lower / "home/app/old", "x");
    REQUIRE(::chown((lower / "home/app").c_str(), 1000, 1000) == 0);
    REQUIRE(::chmod((lower / "home/app").c_str(), 0750) == 0);
    set_xattr(lower / "home/app", "user.kept", "yes");
    set_mtime(lower / "home/app", 1'400'000'000);
    write_file(lower / "d/old", "hidden");
    write_file(lower / "e/old", "hidden");
    write_file(lower / "usr/lib/libc.so", "libc");
    fs::create_symlink("usr/lib", lower / "lib");

    ApplyOptions options;
    options.overlay_format = true;
    options.lower_view = lower;
    // No parent entries; whiteout before and after this layer's own content.
    make_tar(dir / "layer.tar", {tar_file("tmp/x", "x"), tar_file("home/app/.cfg", "cfg"),
                                 tar_file(".wh.d"), tar_file("d/new", "new"), tar_dir("e/"),
                                 tar_file("e/new", "new"), tar_file(".wh.e")});
    const fs::path tree = dir / "tree";
    fs::create_directories(tree);
    ApplyResult applied = apply_layer(dir / "layer.tar", tree, options);
    CHECK(applied.used_lower_view);
    struct stat st {};
    REQUIRE(::lstat((tree / "tmp").c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 01777);
    REQUIRE(::lstat((tree / "home/app").c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0750);
    CHECK(st.st_uid == 1000);
    CHECK(st.st_mtim.tv_sec == 1'400'000'000);
    CHECK(get_xattr(tree / "home/app", "user.kept") == "yes");
    CHECK(get_xattr(tree / "d", "trusted.overlay.opaque") == "y");
    CHECK(get_xattr(tree / "e", "trusted.overlay.opaque") == "y");
    {
        OverlayMount view({tree, lower}, {}, {}, dir / "view");
        CHECK(read_file(dir / "view/d/new") == "new");
        CHECK(!fs::exists(dir / "view/d/old"));
        CHECK(read_file(dir / "view/e/new") == "new");
        CHECK(!fs::exists(dir / "view/e/old"));
        CHECK(read_file(dir / "view/home/app/old") == "x");
    }

    // Through a symlink of a lower layer (merged /usr): a tree of its own cannot say that.
    make_tar(dir / "through-link.tar", {tar_file("lib/libfoo.so", "foo")});
    fs::create_directories(dir / "tree2");
    CHECK_THROWS_AS(apply_layer(dir / "through-link.tar", dir / "tree2", options), NeedsMergedRoot);
}
