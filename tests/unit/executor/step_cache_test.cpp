#include <catch2/catch.hpp>

#include <fstream>

#include "executor/step_cache.h"

using namespace envbuilder;
using namespace envbuilder::executor;
namespace fs = std::filesystem;

TEST_CASE("step keys hang on the parent key and the definition", "[executor][step-cache]") {
    CHECK(step_key("", "RUN a") == step_key("", "RUN a"));
    CHECK(step_key("", "RUN a") != step_key("", "RUN b"));
    CHECK(step_key("p1", "RUN a") != step_key("p2", "RUN a"));
    // No concatenation ambiguity: the parent and definition are kept apart.
    CHECK(step_key("ab", "c") != step_key("a", "bc"));
}

TEST_CASE("the step cache: a hit only while the layer blob is in the store",
          "[executor][step-cache]") {
    const fs::path dir =
        fs::temp_directory_path() / ("step-cache-test-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    oci::BlobStore store(dir / "blobs");
    StepCache cache(dir / "steps", store);
    CHECK(!cache.find("k1"));
    cache.store("empty", CachedStep{});
    auto empty = cache.find("empty");
    REQUIRE(empty);
    CHECK(!empty->layer);

    layers::LayerBlob blob;
    blob.digest = store.put_bytes("layer bytes");
    blob.diff_id = oci::digest_of("tar bytes");
    blob.size = 11;
    blob.media_type = "application/vnd.oci.image.layer.v1.tar+gzip";
    cache.store("k1", CachedStep{blob});
    auto hit = cache.find("k1");
    REQUIRE(hit);
    REQUIRE(hit->layer);
    CHECK(hit->layer->digest == blob.digest);
    CHECK(hit->layer->diff_id == blob.diff_id);
    fs::remove(store.path(blob.digest));
    CHECK(!cache.find("k1"));
    fs::remove_all(dir);
}
