// Decompression bombs and full disks: a layer's unpacked size is counted as it is decompressed
// and stops at the layer's and the build's limits, with an error that names the layer, the limit
// and how to raise it; a disk that fills up is a clean error too; and neither leaves a partial
// tree in the store of unpacked layers.
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image_fixtures.h"
#include "layers/apply.h"
#include "layers/unpack_limits.h"
#include "skip.h"

using namespace envbuilder;
using namespace envbuilder::testing::images;

namespace {

constexpr uint64_t MiB = 1u << 20;

// Disk space a tree really takes (holes excluded), in bytes.
uint64_t allocated_bytes(const fs::path& root) {
    uint64_t total = 0;
    for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator();
         ++it) {
        struct stat st {};
        if (::lstat(it->path().c_str(), &st) == 0)
            total += static_cast<uint64_t>(st.st_blocks) * 512;
    }
    return total;
}

// What the store of unpacked layers holds besides its lock files: trees, their records and
// scratch directories.
std::vector<std::string> unpacked_store_entries(const fs::path& cache) {
    std::vector<std::string> names;
    std::error_code ec;
    for (const char* store : {"unpacked", "unpacked-userxattr"})
        for (auto it = fs::directory_iterator(cache / store, ec);
             !ec && it != fs::directory_iterator(); it.increment(ec))
            names.push_back(it->path().filename().string());
    return names;
}

// Work directories of builds that did not clean up after themselves.
size_t work_dirs_left(const fs::path& cache) {
    std::error_code ec;
    size_t n = 0;
    for (auto it = fs::directory_iterator(cache / "work", ec);
         !ec && it != fs::directory_iterator(); it.increment(ec))
        ++n;
    return n;
}

// A small tmpfs mounted for the test, unmounted at its end.
struct SmallTmpfs {
    fs::path path;
    bool mounted = false;
    SmallTmpfs(const fs::path& at, const std::string& size) : path(at) {
        fs::create_directories(path);
        mounted = ::mount("tmpfs", path.c_str(), "tmpfs", 0, ("size=" + size).c_str()) == 0;
    }
    ~SmallTmpfs() {
        if (mounted) ::umount2(path.c_str(), MNT_DETACH);
    }
};

}  // namespace

TEST_CASE("unpack limits: sizes with K, M and G", "[unpack-limits]") {
    CHECK(layers::parse_byte_size("4096") == 4096u);
    CHECK(layers::parse_byte_size("8K") == 8u << 10);
    CHECK(layers::parse_byte_size("512m") == 512u << 20);
    CHECK(layers::parse_byte_size("32G") == 32ull << 30);
    CHECK(layers::parse_byte_size("2GiB") == 2ull << 30);
    CHECK(layers::parse_byte_size("1MB") == 1u << 20);
    std::string problem;
    CHECK_FALSE(layers::parse_byte_size("lots", &problem));
    CHECK_THAT(problem, Catch::Contains("'lots' is not a size") && Catch::Contains("32G"));
    CHECK_FALSE(layers::parse_byte_size("12X", &problem));
    CHECK_THAT(problem, Catch::Contains("unknown unit 'X'"));
    CHECK_FALSE(layers::parse_byte_size("0", &problem));
    CHECK_FALSE(layers::parse_byte_size("99999999999G", &problem));
    CHECK_THAT(problem, Catch::Contains("too large"));
    CHECK(layers::describe_bytes(32ull << 30) == "32 GiB");
    CHECK(layers::describe_bytes(3 * MiB / 2) == "1.5 MiB");
    CHECK(layers::describe_bytes(300) == "300 bytes");
}

TEST_CASE("unpack limits: a gzip bomb stops at the layer limit, early", "[unpack-limits]") {
    ScratchDir dir("bomb");
    // 256 MiB of zeros: about 256 KiB of gzip.
    write_layer(dir / "bomb.tar.gz", {file_entry("before", "x"), zeros_entry("zeros", 256 * MiB)});
    REQUIRE(fs::file_size(dir / "bomb.tar.gz") < 2 * MiB);
    layers::UnpackBudget budget({8 * MiB, 64 * MiB});
    layers::ApplyOptions options;
    options.label = "sha256:bomb";
    options.budget = &budget;
    fs::create_directories(dir / "root");
    CHECK_THROWS_WITH(layers::apply_layer(dir / "bomb.tar.gz", dir / "root", options),
                      Catch::Contains("layer sha256:bomb unpacks to more than 8 MiB") &&
                          Catch::Contains("--max-layer-size"));
    // Stopped at the limit: not 256 MiB on disk, nor unpacked further (what the budget counts).
    CHECK(allocated_bytes(dir / "root") <= 9 * MiB);
    CHECK(budget.used() <= 9 * MiB);
}

TEST_CASE("unpack limits: the build's total counts every layer", "[unpack-limits]") {
    ScratchDir dir("budget");
    write_layer(dir / "a.tar.gz", {zeros_entry("a", 6 * MiB)});
    write_layer(dir / "b.tar.gz", {zeros_entry("b", 6 * MiB)});
    layers::UnpackBudget budget({8 * MiB, 10 * MiB});
    layers::ApplyOptions options;
    options.budget = &budget;
    options.label = "sha256:a";
    fs::create_directories(dir / "root");
    CHECK_NOTHROW(layers::apply_layer(dir / "a.tar.gz", dir / "root", options));
    options.label = "sha256:b";
    CHECK_THROWS_WITH(layers::apply_layer(dir / "b.tar.gz", dir / "root", options),
                      Catch::Contains("the build has unpacked more than 10 MiB") &&
                          Catch::Contains("sha256:b") && Catch::Contains("--max-unpacked-size"));
}

TEST_CASE("unpack limits: a bomb in a base image fails the build and leaves no tree behind",
          "[unpack-limits]") {
    SKIP_UNLESS_ROOT();
    ScratchDir dir("bomb-build");
    write_layer(dir / "bomb.tar.gz", {zeros_entry("zeros", 64 * MiB)});
    write_layout(dir / "image", {{dir / "bomb.tar.gz", std::nullopt}});
    const std::string bomb_digest = oci::digest_of(read_text(dir / "bomb.tar.gz")).str();
    const std::string dockerfile = "FROM oci:" + (dir / "image").string() +
                                   " AS base\n"
                                   "FROM scratch\nCOPY --from=base /zeros /z\n";
    for (auto snapshotter : {executor::Snapshotter::overlayfs, executor::Snapshotter::scan}) {
        INFO((snapshotter == executor::Snapshotter::scan ? "scan" : "overlayfs"));
        const fs::path cache =
            dir / (snapshotter == executor::Snapshotter::scan ? "cache-scan" : "cache");
        auto outcome = build_in_process(dir / "ctx", dockerfile, cache, snapshotter,
                                        layers::UnpackLimits{16 * MiB, 64 * MiB});
        CHECK_FALSE(outcome.image);
        CHECK_THAT(outcome.error, Catch::Contains(bomb_digest) &&
                                      Catch::Contains("more than 16 MiB") &&
                                      Catch::Contains("--max-layer-size"));
        CHECK(unpacked_store_entries(cache).empty());
        CHECK(work_dirs_left(cache) == 0);
        // Raised, the same image builds.
        auto raised = build_in_process(dir / "ctx", dockerfile, cache, snapshotter,
                                       layers::UnpackLimits{512 * MiB, 1024 * MiB});
        INFO(raised.error);
        CHECK(raised.image);
    }
}

TEST_CASE("unpack limits: a full disk is a clean error and leaves no tree behind",
          "[unpack-limits]") {
    SKIP_UNLESS_ROOT();  // builds, and mounting a tmpfs
    ScratchDir dir("enospc");
    SmallTmpfs small(dir / "small", "8m");
    if (!small.mounted) {
        WARN("skipped: cannot mount a tmpfs here");
        return;
    }
    write_layer(dir / "big.tar.gz", {file_entry("first", "1"), zeros_entry("big", 16 * MiB)});
    fs::create_directories(small.path / "root");
    CHECK_THROWS_WITH(
        layers::apply_layer(dir / "big.tar.gz", small.path / "root"),
        Catch::Contains("no space left on the filesystem of") && Catch::Contains("\"big\""));
    fs::remove_all(small.path / "root");

    // The cache on the full disk: the build fails cleanly, and the unpacked store is empty.
    write_layout(dir / "image", {{dir / "big.tar.gz", std::nullopt}});
    const std::string dockerfile = "FROM oci:" + (dir / "image").string() +
                                   " AS base\n"
                                   "FROM scratch\nCOPY --from=base /first /f\n";
    for (auto snapshotter : {executor::Snapshotter::overlayfs, executor::Snapshotter::scan}) {
        INFO((snapshotter == executor::Snapshotter::scan ? "scan" : "overlayfs"));
        const fs::path cache = small.path / "cache";
        auto outcome = build_in_process(dir / "ctx", dockerfile, cache, snapshotter);
        CHECK_FALSE(outcome.image);
        CHECK_THAT(outcome.error, Catch::Contains("no space left", Catch::CaseSensitive::No));
        CHECK(unpacked_store_entries(cache).empty());
        CHECK(work_dirs_left(cache) == 0);
        fs::remove_all(cache);
    }
}
