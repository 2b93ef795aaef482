#include <catch2/catch.hpp>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "oci/blob_store.h"
#include "oci/layout.h"

using namespace envbuilder::oci;
namespace fs = std::filesystem;

namespace {
fs::path fresh_dir(const std::string& name) {
    auto dir = fs::temp_directory_path() / ("eb-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    return dir;
}

ChunkSource chunks(std::vector<std::string> parts) {
    auto index = std::make_shared<size_t>(0);
    return [parts = std::move(parts), index]() -> std::string {
        return *index < parts.size() ? parts[(*index)++] : std::string();
    };
}

size_t files_in(const fs::path& dir) {
    size_t n = 0;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, ec); it != fs::recursive_directory_iterator(); ++it)
        if (it->is_regular_file()) ++n;
    return n;
}
}  // namespace

TEST_CASE("digests: known values, parsing, streaming", "[oci]") {
    CHECK(digest_of("").str() == "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(digest_of("abc", "sha512").hex.substr(0, 16) == "ddaf35a193617aba");
    Digester d;
    d.update("a");
    d.update("bc");
    CHECK(d.finish() == digest_of("abc"));
    std::string problem;
    CHECK(!parse_digest("sha256:abc", &problem));
    CHECK(problem.find("64 hex digits") != std::string::npos);
    CHECK(!parse_digest("md5:" + std::string(32, 'a')));
    CHECK(!parse_digest("sha256:" + std::string(64, 'A')));
    CHECK(parse_digest("sha256:" + std::string(64, 'a'))->algorithm == "sha256");
}

TEST_CASE("blob store: verified, atomic, nothing left behind on a mismatch", "[oci]") {
    auto dir = fresh_dir("store");
    BlobStore store(dir);
    Digest good = digest_of("hello world");
    store.put(good, chunks({"hello ", "world"}), 11);
    CHECK(store.has(good));
    CHECK(store.size(good) == 11u);
    CHECK(store.read(good) == "hello world");

    Digest other = digest_of("something else");
    CHECK_THROWS_AS(store.put(other, chunks({"not it"})), StoreError);
    CHECK(!store.has(other));
    CHECK_THROWS_AS(store.put(digest_of("abcd"), chunks({"abcd"}), 3), StoreError);
    CHECK(files_in(dir / "ingest") == 0);

    // A source that fails mid-transfer leaves no blob and no temporary file.
    int calls = 0;
    CHECK_THROWS(store.put(digest_of("x"), [&]() -> std::string {
        if (++calls > 1) throw std::runtime_error("connection reset");
        return "partial";
    }));
    CHECK(files_in(dir / "ingest") == 0);
    CHECK(store.put_bytes("abc") == digest_of("abc"));
    fs::remove_all(dir);
}

TEST_CASE("blob store: concurrent writers of the same blob both succeed", "[oci]") {
    auto dir = fresh_dir("concurrent");
    BlobStore store(dir);
    std::string big(1 << 20, 'z');
    Digest d = digest_of(big);
    auto writer = [&] {
        BlobStore mine(dir);
        for (int i = 0; i < 5; ++i) mine.put(d, chunks({big.substr(0, 1000), big.substr(1000)}));
    };
    std::thread a(writer), b(writer);
    a.join();
    b.join();
    CHECK(store.read(d) == big);
    CHECK(files_in(dir / "ingest") == 0);
    fs::remove_all(dir);
}

TEST_CASE("image layout: written and read back", "[oci]") {
    auto dir = fresh_dir("layout");
    auto layout = ImageLayout::create(dir);
    Digest config = layout.blobs().put_bytes(R"({"architecture":"amd64","os":"linux"})");
    Descriptor manifest{kMediaTypeImageManifest, config, 37, {{kAnnotationRefName, "latest"}}, std::nullopt};
    layout.add_manifest(manifest);
    layout.add_manifest(manifest);  // same ref name: replaced, not duplicated
    auto reopened = ImageLayout::open(dir);
    REQUIRE(reopened.manifests().size() == 1);
    CHECK(reopened.find("latest")->digest == config);
    CHECK(reopened.blobs().has(config));
    CHECK(fs::exists(dir / "oci-layout"));
    CHECK_THROWS_AS(ImageLayout::open(fresh_dir("not-a-layout")), StoreError);
    fs::remove_all(dir);
}
