// Transfers against the real registry: chunked uploads, cross-repository mounts, parallel pulls,
// round trips with skopeo in both directions, concurrent pulls into one cache, and a pull-through
// cache as mirror while the origin is down.
#include <set>

#include "live_registry.h"

using namespace envbuilder;
using namespace envbuilder::testing;
using Event = registry::TransferEvent;

namespace {

// Collects transfer events (the client serializes observer calls).
struct EventLog {
    std::vector<Event> events;
    std::set<std::thread::id> threads;
    registry::TransferObserver observer() {
        return [this](const Event& e) {
            events.push_back(e);
            if (e.kind == Event::Kind::started) threads.insert(std::this_thread::get_id());
        };
    }
    size_t count(Event::Kind kind, Event::Direction direction,
                 std::optional<Event::Outcome> outcome = {}) const {
        size_t n = 0;
        for (const auto& e : events)
            if (e.kind == kind && e.direction == direction && (!outcome || e.outcome == *outcome))
                ++n;
        return n;
    }
};

// Writes an image into an OCI layout under the tag `tag`.
void write_layout(const fs::path& dir, const oci::BlobStore& store, const SampleImage& image,
                  const std::string& tag) {
    auto layout = oci::ImageLayout::create(dir);
    for (const auto& blob : image.blobs()) layout.blobs().import_from(store, blob.digest);
    oci::Digest manifest_digest = layout.blobs().put_bytes(image.manifest);
    layout.add_manifest({oci::kMediaTypeImageManifest,
                         manifest_digest,
                         image.manifest.size(),
                         {{oci::kAnnotationRefName, tag}},
                         {}});
}

}  // namespace

TEST_CASE("chunked uploads, cross-repository mounts and parallel pulls; skopeo reads the result",
          "[registry-live]") {
    LiveRegistry reg;
    setenv("ENVBUILDER_CERTS_DIR", (reg.dir / "certs.d").c_str(), 1);
    oci::BlobStore store(reg.dir / "store");
    SampleImage image = sample_image(reg.dir, store, 3, 200 * 1024);

    EventLog log;
    registry::RegistryOptions options = reg.client_options();
    options.chunk_size = 64 * 1024;  // every layer goes up in several PATCH requests
    options.on_transfer = log.observer();
    registry::RegistryClient client(options);

    auto first = reg.ref("team/a:1");
    for (const auto& layer : image.layers)
        CHECK(client.push_blob(first, layer, store) == registry::PushOutcome::uploaded);
    CHECK(client.push_blob(first, image.config, store) == registry::PushOutcome::uploaded);
    client.push_manifest(first, "1", image.manifest, oci::kMediaTypeImageManifest);
    // Each ~200 KiB layer in 64 KiB chunks reports progress per chunk.
    CHECK(log.count(Event::Kind::progress, Event::Direction::push) >= 3 * 3);

    // The same blobs to another repository of the registry: mounted, not uploaded again.
    auto second = reg.ref("team/b:1");
    for (const auto& blob : image.blobs())
        CHECK(client.push_blob(second, blob, store) == registry::PushOutcome::mounted);
    client.push_manifest(second, "1", image.manifest, oci::kMediaTypeImageManifest);
    CHECK(log.count(Event::Kind::finished, Event::Direction::push, Event::Outcome::mounted) == 4);
    for (const auto& e : log.events)
        if (e.outcome == Event::Outcome::mounted) CHECK(e.source == "team/a");

    // skopeo (not ours) copies the mounted image into an OCI layout: every blob is byte-identical.
    int status;
    fs::path copied = reg.dir / "skopeo-layout";
    std::string out = run("skopeo copy" + reg.skopeo_flags("src-") + " docker://" + reg.host +
                              "/team/b:1 oci:" + copied.string() + ":1",
                          &status);
    INFO(out);
    REQUIRE(status == 0);
    oci::BlobStore skopeo_blobs(copied);
    for (const auto& blob : image.blobs())
        CHECK(read_file(skopeo_blobs.path(blob.digest)) == read_file(store.path(blob.digest)));

    // A fresh client pulls all four blobs, several at once, each verified.
    EventLog pull_log;
    registry::RegistryOptions pull_options = reg.client_options();
    pull_options.on_transfer = pull_log.observer();
    registry::RegistryClient puller(pull_options);
    oci::BlobStore fresh(reg.dir / "fresh");
    auto sources = puller.pull_blobs(second, image.blobs(), fresh);
    CHECK(sources == std::vector<std::string>(4, reg.host));
    CHECK(pull_log.threads.size() >= 2);
    for (const auto& blob : image.blobs())
        CHECK(read_file(fresh.path(blob.digest)) == read_file(store.path(blob.digest)));
    CHECK(puller.pull_blobs(second, image.blobs(), fresh) == std::vector<std::string>(4, "cache"));
    CHECK(leftover_temporaries(fresh) == 0);
    unsetenv("ENVBUILDER_CERTS_DIR");
}

TEST_CASE("skopeo pushes and envbuilder pulls; two pulls into one cache at once both succeed",
          "[registry-live]") {
    LiveRegistry reg;
    oci::BlobStore store(reg.dir / "store");
    SampleImage image = sample_image(reg.dir, store, 2, 100 * 1024);
    write_layout(reg.dir / "source-layout", store, image, "1");
    int status;
    std::string out = run("skopeo copy" + reg.skopeo_flags("dest-") +
                              " oci:" + (reg.dir / "source-layout").string() + ":1 docker://" +
                              reg.host + "/from/skopeo:1",
                          &status);
    INFO(out);
    REQUIRE(status == 0);

    std::string env = "DOCKER_CONFIG=" + reg.docker_config().parent_path().string() +
                      " ENVBUILDER_CERTS_DIR=" + (reg.dir / "certs.d").string();
    std::string pull = env + " " + ENVBUILDER_BINARY + " pull " + reg.host +
                       "/from/skopeo:1 --cache-dir " + (reg.dir / "cache").string();
    // Two processes at once: each blob is downloaded under a lock, so both see it whole.
    std::string a_out, b_out;
    int a_status = -1, b_status = -1;
    std::thread a(
        [&] { a_out = run(pull + " --oci-layout " + (reg.dir / "out-a").string(), &a_status); });
    std::thread b(
        [&] { b_out = run(pull + " --oci-layout " + (reg.dir / "out-b").string(), &b_status); });
    a.join();
    b.join();
    INFO(a_out << "\n---\n" << b_out);
    REQUIRE(a_status == 0);
    REQUIRE(b_status == 0);
    for (const char* dir : {"out-a", "out-b"}) {
        oci::BlobStore pulled(reg.dir / dir);
        for (const auto& blob : image.blobs())
            CHECK(read_file(pulled.path(blob.digest)) == read_file(store.path(blob.digest)));
    }
    CHECK(leftover_temporaries(oci::BlobStore(reg.dir / "cache")) == 0);
    // skopeo reads the layout envbuilder wrote.
    std::string inspect = run("skopeo inspect oci:" + (reg.dir / "out-a").string() + ":1", &status);
    INFO(inspect);
    REQUIRE(status == 0);
    CHECK(json::parse(inspect)["Layers"].size() == 2);

    // Pulling again resolves the tag with a HEAD and takes the manifest from the cache.
    std::string again = run(pull, &status);
    INFO(again);
    CHECK(status == 0);
    CHECK(again.find("from cache (tag resolved by " + reg.host + ")") != std::string::npos);
}

TEST_CASE("a pull-through cache as mirror serves the image while the origin is down",
          "[registry-live]") {
    // Distribution 2.8's pull-through cache only logs in to token-auth remotes (Basic credentials
    // are looked up under the realm, which is no URL), so this origin takes anonymous pulls.
    LiveRegistry origin(RegistrySetup::anonymous_tls());
    LiveRegistry cache(RegistrySetup::pull_through_cache(origin.url(), origin.dir / "ca.crt"));
    setenv("ENVBUILDER_CERTS_DIR", (origin.dir / "certs.d").c_str(), 1);
    oci::BlobStore store(origin.dir / "store");
    SampleImage image = sample_image(origin.dir, store, 2);
    registry::RegistryClient to_origin(origin.client_options());
    auto ref = origin.ref("team/cached:1");
    push_image(to_origin, ref, "1", store, image);

    registry::RegistryOptions options = origin.client_options();
    options.insecure_registries.insert(cache.host);
    registry::add_mirror(options, origin.host + "=http://" + cache.host);
    {
        registry::RegistryClient client(options);
        CHECK(client.get_manifest(ref, "1").source == "http://" + cache.host);
        oci::BlobStore pulled(origin.dir / "pulled-1");
        CHECK(client.pull_blobs(ref, image.blobs(), pulled) ==
              std::vector<std::string>(3, "http://" + cache.host));
    }

    // The cache writes what it proxied to its own storage in the background: wait until every
    // blob is there before the origin goes away.
    for (const auto& blob : image.blobs()) {
        fs::path stored = cache.dir / "data/docker/registry/v2/blobs" / blob.digest.algorithm /
                          blob.digest.hex.substr(0, 2) / blob.digest.hex / "data";
        for (int i = 0; i < 200 && !fs::exists(stored); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        REQUIRE(fs::exists(stored));
    }
    origin.stop();
    options.attempts = 1;
    registry::RegistryClient client(options);
    auto fetched = client.get_manifest(ref, "1");
    CHECK(fetched.source == "http://" + cache.host);
    CHECK(fetched.digest == oci::digest_of(image.manifest));
    oci::BlobStore pulled(origin.dir / "pulled-2");
    CHECK(client.pull_blobs(ref, image.blobs(), pulled) ==
          std::vector<std::string>(3, "http://" + cache.host));
    for (const auto& blob : image.blobs())
        CHECK(read_file(pulled.path(blob.digest)) == read_file(store.path(blob.digest)));

    // Without the mirror, the same pull fails and says where it tried.
    registry::RegistryOptions direct = origin.client_options();
    direct.attempts = 1;
    registry::RegistryClient alone(direct);
    try {
        alone.get_manifest(ref, "1");
        FAIL("the origin is down");
    } catch (const registry::RegistryError& e) {
        CHECK(std::string(e.what()).find("registry https://" + origin.host) != std::string::npos);
    }
    unsetenv("ENVBUILDER_CERTS_DIR");
}
