// registry::push_image against a live registry: skopeo sees what we pushed, a blob that cannot be
// pushed leaves no tag, and an image pulled from a repository is mounted from it, not uploaded.
#include "registry/image_push.h"
#include "live_registry.h"
#include "skip.h"

using namespace envbuilder;
using namespace envbuilder::testing;

namespace {
// Counts the push outcomes a client reports.
struct Outcomes {
    std::map<registry::TransferEvent::Outcome, int> count;
    registry::TransferObserver observer() {
        return [this](const registry::TransferEvent& e) {
            if (e.kind == registry::TransferEvent::Kind::finished &&
                e.direction == registry::TransferEvent::Direction::push)
                ++count[e.outcome];
        };
    }
};
// A live registry and a two-layer sample image in a store beside it.
struct PushFixture {
    LiveRegistry reg;
    // Our client trusts the registry's own CA from here.
    bool certs = setenv("ENVBUILDER_CERTS_DIR", (reg.dir / "certs.d").c_str(), 1) == 0;
    oci::BlobStore store{reg.dir / "store"};
    SampleImage sample = sample_image(reg.dir, store, 2);
};
}  // namespace

TEST_CASE("push_image: blobs, then the tag; skopeo inspects the result",
          "[outputs][registry-live]") {
    if (!have_tool("docker-registry")) SKIP_TEST("docker-registry is not installed");
    PushFixture fixture;
    auto& [reg, certs, store, sample] = fixture;
    REQUIRE(certs);
    registry::RegistryClient client(reg.client_options());
    oci::Digest pushed =
        registry::push_image(client, reg.ref("team/app:1"), sample.stored(), store);
    CHECK(pushed == oci::digest_of(sample.manifest));
    int status;
    json inspected = json::parse(
        run("skopeo inspect" + reg.skopeo_flags("") + " docker://" + reg.host + "/team/app:1",
            &status));
    REQUIRE(status == 0);
    CHECK(inspected["Digest"] == pushed.str());
    CHECK(inspected["Layers"].size() == 2);

    // A layer that is not in the store: the push fails and the tag was never written.
    oci::StoredImage broken = sample.stored();
    broken.layers[1].digest = oci::digest_of("a layer nobody stored");
    broken.manifest += " ";  // another manifest, so nothing of the first push is reused
    broken.manifest_descriptor.digest = oci::digest_of(broken.manifest);
    CHECK_THROWS(registry::push_image(client, reg.ref("team/broken:1"), broken, store));
    CHECK_THROWS(client.get_manifest(reg.ref("team/broken:1"), "1"));

    // By digest: the reference's digest is where the manifest goes.
    auto by_digest = reg.ref("team/pinned:1");
    by_digest.digest = pushed.str();
    CHECK(registry::push_image(client, by_digest, sample.stored(), store) == pushed);
}

TEST_CASE("push_image: blobs of the image's origin repository are mounted",
          "[outputs][registry-live]") {
    if (!have_tool("docker-registry")) SKIP_TEST("docker-registry is not installed");
    PushFixture fixture;
    auto& [reg, certs, store, sample] = fixture;
    REQUIRE(certs);
    {
        registry::RegistryClient first(reg.client_options());
        registry::push_image(first, reg.ref("base/image:1"), sample.stored(), store);
    }
    // A new client knows nothing of base/image: told the origin, it mounts the layers.
    Outcomes mounted;
    auto options = reg.client_options();
    options.on_transfer = mounted.observer();
    registry::RegistryClient client(options);
    registry::push_image(client, reg.ref("team/derived:1"), sample.stored(), store,
                         reg.ref("base/image:1"));
    CHECK(mounted.count[registry::TransferEvent::Outcome::mounted] >= 2);
    CHECK(mounted.count[registry::TransferEvent::Outcome::transferred] <= 1);  // the config
    CHECK(client.get_manifest(reg.ref("team/derived:1"), "1").body == sample.manifest);
}
