// oci::write_oci_layout: a stored image (or an index) into an OCI image layout that tools other
// than ours read: skopeo and umoci (each reported as skipped when missing).
#include "oci/write_layout.h"
#include "live_registry.h"
#include "skip.h"

using namespace envbuilder;
using namespace envbuilder::testing;

namespace {}  // namespace

TEST_CASE("write_oci_layout: an image skopeo and umoci read back under its tag", "[outputs]") {
    fs::path dir = fresh_temp_dir("write-layout");
    oci::BlobStore store(dir / "store");
    SampleImage sample = sample_image(dir, store, 2);
    const oci::StoredImage image = sample.stored();
    oci::write_oci_layout(dir / "layout", image, store, "1.0");

    // Our own reader: one tagged manifest whose blobs are all there, the manifest byte for byte.
    auto layout = oci::ImageLayout::open(dir / "layout");
    REQUIRE(layout.find("1.0"));
    CHECK(layout.find("1.0")->digest == image.manifest_descriptor.digest);
    CHECK(layout.blobs().read(image.manifest_descriptor.digest) == image.manifest);
    for (const auto& blob : sample.blobs()) CHECK(layout.blobs().has(blob.digest));

    // A second tag is added beside the first; the same tag again replaces it.
    oci::write_oci_layout(dir / "layout", image, store, "latest");
    oci::write_oci_layout(dir / "layout", image, store, "latest");
    CHECK(oci::ImageLayout::open(dir / "layout").manifests().size() == 2);

    if (!have_tool("skopeo")) {
        WARN("skipped: skopeo is not installed (the layout was checked by our reader only)");
    } else {
        int status;
        json inspected =
            json::parse(run("skopeo inspect oci:" + (dir / "layout").string() + ":1.0", &status));
        REQUIRE(status == 0);
        CHECK(inspected["Digest"] == image.manifest_descriptor.digest.str());
        CHECK(inspected["Layers"].size() == 2);
    }
    if (!have_tool("umoci")) {
        WARN("skipped: umoci is not installed");
    } else {
        int status;
        std::string tags = run("umoci ls --layout " + (dir / "layout").string(), &status);
        CHECK(status == 0);
        CHECK_THAT(tags, Catch::Contains("1.0") && Catch::Contains("latest"));
        run("umoci stat --image " + (dir / "layout").string() + ":1.0 --json", &status);
        CHECK(status == 0);
    }
    fs::remove_all(dir);
}

TEST_CASE("write_oci_layout: a blob missing from the store leaves no tag", "[outputs]") {
    fs::path dir = fresh_temp_dir("write-layout-missing");
    oci::BlobStore store(dir / "store");
    oci::StoredImage image = sample_image(dir, store).stored();
    image.layers[0].digest = oci::digest_of("a layer nobody stored");
    CHECK_THROWS(oci::write_oci_layout(dir / "layout", image, store, "1.0"));
    // The tag never names an image whose blobs are not all there.
    CHECK_FALSE(oci::ImageLayout::open(dir / "layout").find("1.0"));
    fs::remove_all(dir);
}
