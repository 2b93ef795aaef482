// oci::build_image_index: the index of two platforms' images, in a layout skopeo resolves per
// platform, and pushed to a live registry with each image before the tag.
#include "oci/image_index.h"
#include "live_registry.h"
#include "oci/write_layout.h"
#include "registry/image_push.h"
#include "skip.h"

using namespace envbuilder;
using namespace envbuilder::testing;

namespace {
oci::Platform platform(const std::string& text) {
    return *oci::parse_platform(text);
}
}  // namespace

TEST_CASE("build_image_index: two platforms, each named, in the order given", "[outputs]") {
    fs::path dir = fresh_temp_dir("image-index");
    oci::BlobStore store(dir / "store");
    oci::StoredImage amd64 = sample_image(dir / "a", store, 1).stored();
    oci::StoredImage arm64 = sample_image(dir / "b", store, 2).stored();
    REQUIRE(amd64.manifest_descriptor.digest != arm64.manifest_descriptor.digest);
    oci::StoredIndex index = oci::build_image_index(
        {{platform("linux/amd64"), amd64}, {platform("linux/arm64"), arm64}});

    json doc = json::parse(index.index);
    CHECK(index.descriptor.digest == oci::digest_of(index.index));
    CHECK(index.descriptor.size == index.index.size());
    CHECK(index.descriptor.media_type == oci::kMediaTypeImageIndex);
    CHECK(doc["mediaType"] == oci::kMediaTypeImageIndex);
    REQUIRE(doc["manifests"].size() == 2);
    CHECK(doc["manifests"][0]["digest"] == amd64.manifest_descriptor.digest.str());
    CHECK(doc["manifests"][0]["platform"] == json{{"architecture", "amd64"}, {"os", "linux"}});
    CHECK(doc["manifests"][1]["digest"] == arm64.manifest_descriptor.digest.str());
    CHECK(doc["manifests"][1]["platform"] ==
          json{{"architecture", "arm64"}, {"os", "linux"}, {"variant", "v8"}});
    CHECK(doc["manifests"][1]["size"] == arm64.manifest.size());
    REQUIRE(index.images.size() == 2);

    CHECK_THROWS_WITH(
        oci::build_image_index({{platform("linux/amd64"), amd64}, {platform("amd64"), arm64}}),
        Catch::Contains("two images for platform linux/amd64"));
    CHECK_THROWS_AS(oci::build_image_index({}), std::invalid_argument);

    // In a layout, skopeo picks each platform's image from it.
    oci::write_oci_layout(dir / "layout", index, store, "multi");
    if (!have_tool("skopeo")) {
        WARN("skipped: skopeo is not installed (the index was checked by our reader only)");
    } else {
        for (const auto& [arch, image] : {std::pair{"amd64", amd64}, std::pair{"arm64", arm64}}) {
            int status;
            json inspected =
                json::parse(run("skopeo --override-os linux --override-arch " + std::string(arch) +
                                    " inspect oci:" + (dir / "layout").string() + ":multi",
                                &status));
            REQUIRE(status == 0);
            // skopeo's Digest is the index's; the image it chose shows in its layers.
            CHECK(inspected["Digest"] == index.descriptor.digest.str());
            CHECK(inspected["Layers"].size() == image.layers.size());
        }
    }
    fs::remove_all(dir);
}

TEST_CASE("push_image: an index of two platforms to a live registry", "[outputs][registry-live]") {
    if (!have_tool("docker-registry")) SKIP_TEST("docker-registry is not installed");
    LiveRegistry reg;
    setenv("ENVBUILDER_CERTS_DIR", (reg.dir / "certs.d").c_str(), 1);
    oci::BlobStore store(reg.dir / "store");
    oci::StoredImage amd64 = sample_image(reg.dir / "a", store, 1).stored();
    oci::StoredImage arm64 = sample_image(reg.dir / "b", store, 2).stored();
    oci::StoredIndex index = oci::build_image_index(
        {{platform("linux/amd64"), amd64}, {platform("linux/arm64"), arm64}});
    registry::RegistryClient client(reg.client_options());
    oci::Digest pushed = registry::push_image(client, reg.ref("team/multi:2"), index, store);
    CHECK(pushed == index.descriptor.digest);
    // The registry serves the index under the tag and each image by its digest.
    auto fetched = client.get_manifest(reg.ref("team/multi:2"), "2");
    CHECK(fetched.body == index.index);
    for (const auto& image : index.images)
        CHECK(client.get_manifest(reg.ref("team/multi:2"), image.manifest_descriptor.digest.str())
                  .body == image.manifest);
}
