// oci::write_docker_archive: a stored image as a `docker save` archive skopeo reads, and nothing
// left at the path when a blob is missing.
#include "oci/docker_archive.h"
#include "live_registry.h"
#include "skip.h"

using namespace envbuilder;
using namespace envbuilder::testing;

TEST_CASE("write_docker_archive: skopeo reads the image and its tag", "[outputs]") {
    fs::path dir = fresh_temp_dir("docker-archive");
    oci::BlobStore store(dir / "store");
    SampleImage sample = sample_image(dir, store, 2);
    oci::write_docker_archive(dir / "image.tar", sample.stored(), store, {"team/app:7"});
    REQUIRE(fs::is_regular_file(dir / "image.tar"));

    int status;
    std::string names = run("tar -tf " + (dir / "image.tar").string(), &status);
    REQUIRE(status == 0);
    CHECK_THAT(names, Catch::Contains("manifest.json") &&
                          Catch::Contains(sample.config.digest.hex + ".json") &&
                          Catch::Contains(sample.layers[1].digest.hex + "/layer.tar"));
    json manifest = json::parse(run("tar -xOf " + (dir / "image.tar").string() + " manifest.json"));
    CHECK(manifest[0]["RepoTags"] == json::array({"team/app:7"}));
    CHECK(manifest[0]["Layers"].size() == 2);

    if (!have_tool("skopeo")) {
        WARN("skipped: skopeo is not installed (the archive was checked with tar only)");
    } else {
        json inspected = json::parse(
            run("skopeo inspect docker-archive:" + (dir / "image.tar").string(), &status));
        REQUIRE(status == 0);
        CHECK(inspected["Layers"].size() == 2);
        CHECK(inspected["Architecture"] == "amd64");
    }

    // A layer the store does not hold: an error, and no archive (not even a partial one).
    oci::StoredImage broken = sample.stored();
    broken.layers[0].digest = oci::digest_of("a layer nobody stored");
    CHECK_THROWS_WITH(oci::write_docker_archive(dir / "broken.tar", broken, store, {"team/app:8"}),
                      Catch::Contains("is not in the store"));
    std::vector<std::string> left;
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.path().filename().string().rfind("broken.tar", 0) == 0)
            left.push_back(entry.path().filename());
    CHECK(left.empty());
    fs::remove_all(dir);
}
