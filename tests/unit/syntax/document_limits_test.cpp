// Image documents (configs, manifests, indexes, a layout's index.json) are read whole only when
// they are within the size cap: a 100 MB config must not cost hundreds of MiB of memory.
#include "oci/document_limits.h"
#include "image_fixtures.h"
#include "oci/manifest.h"
#include "registry/image_pull.h"

using namespace envbuilder;
using namespace envbuilder::testing::images;

TEST_CASE("document limits: sizes over the cap are refused before reading", "[document-limits]") {
    CHECK_NOTHROW(oci::check_document_size(oci::kMaxDocumentSize, "the image config"));
    CHECK_THROWS_WITH(oci::check_document_size(oci::kMaxDocumentSize + 1, "the image config"),
                      Catch::Contains("the image config") && Catch::Contains("4194305") &&
                          Catch::Contains("4 MiB"));
    oci::Descriptor declared;
    declared.digest = oci::digest_of("x");
    declared.size = 100u << 20;
    CHECK_THROWS_WITH(oci::check_document_size(declared, "alpine: the image config"),
                      Catch::Contains("alpine: the image config " + declared.digest.str()) &&
                          Catch::Contains("104857600"));

    ScratchDir dir("document-limits");
    oci::BlobStore store(dir.path);
    auto small = store.put_bytes("{}");
    CHECK(oci::read_document(store, small, "the config") == "{}");
    auto big = store.put_bytes(std::string(oci::kMaxDocumentSize + 10, ' '));
    CHECK_THROWS_WITH(oci::read_document(store, big, "the config"),
                      Catch::Contains("the config " + big.str()) && Catch::Contains("limit"));
}

TEST_CASE("document limits: an OCI layout with a huge config or index.json is refused",
          "[document-limits]") {
    ScratchDir dir("layout-limits");
    write_layer(dir / "layer.tar.gz", {file_entry("f", "x")});
    write_layout(dir / "huge-config", {{dir / "layer.tar.gz", std::nullopt}}, 0, 5u << 20);
    oci::BlobStore store(dir / "store");
    CHECK_THROWS_WITH(registry::load_layout_image("oci:" + (dir / "huge-config").string(),
                                                  oci::host_platform(), store),
                      Catch::Contains("the image config") && Catch::Contains("over the limit"));

    write_layout(dir / "fine", {{dir / "layer.tar.gz", std::nullopt}}, 0, 1000);
    CHECK(
        registry::load_layout_image("oci:" + (dir / "fine").string(), oci::host_platform(), store));

    // index.json itself: padded past the cap.
    write_layout(dir / "huge-index", {{dir / "layer.tar.gz", std::nullopt}});
    { std::ofstream(dir / "huge-index/index.json", std::ios::app) << std::string(5u << 20, ' '); }
    CHECK_THROWS_WITH(oci::ImageLayout::open(dir / "huge-index"),
                      Catch::Contains("index.json") && Catch::Contains("over the limit"));
}
