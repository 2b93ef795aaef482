// A layer's diff_id is proved in the same pass that unpacks it: the digest of the uncompressed
// tar is what gzip and sha256sum say it is, a config that gives another one (or lists more or
// fewer diff_ids than the manifest has layers) is refused with a clear error, and an unpacked
// tree kept from an honest image is not taken for a lying image that shares its blob.
#include <unistd.h>

#include "image_fixtures.h"
#include "layers/apply.h"
#include "skip.h"

using namespace envbuilder;
using namespace envbuilder::testing::images;

TEST_CASE("layer stream: apply_layer computes the diff_id and refuses another", "[layer-stream]") {
    ScratchDir dir("layer-stream");
    write_layer(dir / "layer.tar.gz", {dir_entry("etc"), file_entry("etc/hostname", "box\n")});
    write_layer(dir / "layer.tar", {file_entry("plain", "not compressed\n")}, false);
    const std::string truth = uncompressed_digest(dir / "layer.tar.gz");

    fs::create_directories(dir / "a");
    auto applied = layers::apply_layer(dir / "layer.tar.gz", dir / "a");
    CHECK(applied.diff_id.str() == truth);
    CHECK(read_text(dir / "a/etc/hostname") == "box\n");
    // Uncompressed, the diff_id is the file's own digest.
    fs::create_directories(dir / "plain");
    CHECK(layers::apply_layer(dir / "layer.tar", dir / "plain").diff_id ==
          oci::digest_of(read_text(dir / "layer.tar")));

    layers::ApplyOptions options;
    options.label = "sha256:test-layer (layer 1 of 1)";
    options.expected_diff_id = oci::digest_of("something else");
    fs::create_directories(dir / "b");
    CHECK_THROWS_WITH(
        layers::apply_layer(dir / "layer.tar.gz", dir / "b", options),
        Catch::Contains("sha256:test-layer (layer 1 of 1)") && Catch::Contains(truth) &&
            Catch::Contains(options.expected_diff_id->str()) && Catch::Contains("diff_id"));
    options.expected_diff_id = oci::parse_digest(truth);
    fs::create_directories(dir / "c");
    CHECK_NOTHROW(layers::apply_layer(dir / "layer.tar.gz", dir / "c", options));

    // An empty file is an empty layer, with the empty stream's digest.
    write_text(dir / "empty", "");
    fs::create_directories(dir / "d");
    CHECK(layers::apply_layer(dir / "empty", dir / "d").diff_id == oci::digest_of(""));
}

TEST_CASE("layer stream: a base image whose config lies about its layers is refused",
          "[layer-stream]") {
    SKIP_UNLESS_ROOT();
    ScratchDir dir("diff-ids");
    write_layer(dir / "one.tar.gz", {file_entry("one", "1\n")});
    write_layer(dir / "two.tar.gz", {file_entry("two", "2\n")});
    const std::string forged = oci::digest_of("forged").str();
    write_layout(dir / "wrong", {{dir / "one.tar.gz", std::nullopt}, {dir / "two.tar.gz", forged}});
    write_layout(dir / "more", {{dir / "one.tar.gz", std::nullopt}}, 1);
    write_layout(dir / "fewer",
                 {{dir / "one.tar.gz", std::nullopt}, {dir / "two.tar.gz", std::nullopt}}, -1);
    write_layout(dir / "honest",
                 {{dir / "one.tar.gz", std::nullopt}, {dir / "two.tar.gz", std::nullopt}});
    const std::string copy_one = "COPY --from=base /one /one\n";
    auto from = [&](const std::string& image) {
        return "FROM oci:" + (dir / image).string() + " AS base\nFROM scratch\n" + copy_one;
    };

    for (auto snapshotter : {executor::Snapshotter::overlayfs, executor::Snapshotter::scan}) {
        INFO((snapshotter == executor::Snapshotter::scan ? "scan" : "overlayfs"));
        const fs::path cache =
            dir / (snapshotter == executor::Snapshotter::scan ? "cache-scan" : "cache");
        auto wrong = build_in_process(dir / "ctx", from("wrong"), cache, snapshotter);
        CHECK_FALSE(wrong.image);
        CHECK_THAT(wrong.error, Catch::Contains("layer 2 of 2") && Catch::Contains(forged) &&
                                    Catch::Contains(uncompressed_digest(dir / "two.tar.gz")));
        auto more = build_in_process(dir / "ctx", from("more"), cache, snapshotter);
        CHECK_FALSE(more.image);
        CHECK_THAT(more.error, Catch::Contains("lists 2 layer diff_ids") &&
                                   Catch::Contains("the manifest has 1 layers"));
        auto fewer = build_in_process(dir / "ctx", from("fewer"), cache, snapshotter);
        CHECK_FALSE(fewer.image);
        CHECK_THAT(fewer.error, Catch::Contains("lists 1 layer diff_ids"));

        auto honest = build_in_process(dir / "ctx", from("honest"), cache, snapshotter);
        INFO(honest.error);
        REQUIRE(honest.image);
        CHECK(files_in_layers(*honest.image, cache)["one"] == "1\n");
        // The honest image's trees are kept now; the lying one shares its blobs and is still
        // refused (the tree's recorded diff_id is checked, not only a fresh unpacking).
        auto again = build_in_process(dir / "ctx", from("wrong"), cache, snapshotter);
        CHECK_FALSE(again.image);
        CHECK_THAT(again.error, Catch::Contains(forged));
    }
}
