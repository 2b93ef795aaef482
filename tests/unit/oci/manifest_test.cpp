#include <catch2/catch.hpp>

#include "oci/manifest.h"

using namespace envbuilder::oci;

namespace {
const std::string kDigestA = "sha256:" + std::string(64, 'a');
const std::string kDigestB = "sha256:" + std::string(64, 'b');
}  // namespace

TEST_CASE("manifests: Docker schema 2, OCI, indexes; schema 1 refused", "[oci]") {
    std::string docker = R"({"schemaVersion":2,"mediaType":")" + std::string(kDockerManifestV2) +
                         R"(","config":{"mediaType":")" + kDockerImageConfig + R"(","size":10,"digest":")" + kDigestA +
                         R"("},"layers":[{"mediaType":")" + kDockerLayerGzip + R"(","size":20,"digest":")" + kDigestB + R"("}]})";
    auto m = std::get<Manifest>(parse_manifest_document(docker));
    CHECK(m.media_type == kDockerManifestV2);
    CHECK(m.layers.size() == 1);
    CHECK(m.layers[0].size == 20);

    std::string oci = R"({"schemaVersion":2,"config":{"mediaType":")" + std::string(kMediaTypeImageConfig) +
                      R"(","size":1,"digest":")" + kDigestA + R"("},"layers":[]})";
    CHECK(std::get<Manifest>(parse_manifest_document(oci, kMediaTypeImageManifest)).media_type == kMediaTypeImageManifest);

    std::string index = R"({"schemaVersion":2,"mediaType":")" + std::string(kDockerManifestList) + R"(","manifests":[
        {"mediaType":")" + kDockerManifestV2 + R"(","size":1,"digest":")" + kDigestA + R"(","platform":{"os":"linux","architecture":"amd64"}},
        {"mediaType":")" + kDockerManifestV2 + R"(","size":1,"digest":")" + kDigestB + R"(","platform":{"os":"linux","architecture":"arm64","variant":"v8"}}]})";
    auto idx = std::get<Index>(parse_manifest_document(index));
    CHECK(idx.manifests.size() == 2);
    CHECK(select_platform(idx, *parse_platform("linux/arm64"))->digest.str() == kDigestB);
    CHECK(select_platform(idx, *parse_platform("aarch64"))->digest.str() == kDigestB);
    CHECK(select_platform(idx, *parse_platform("linux/amd64"))->digest.str() == kDigestA);
    std::string problem;
    CHECK(!select_platform(idx, *parse_platform("linux/s390x"), &problem));
    CHECK(problem.find("linux/amd64, linux/arm64/v8") != std::string::npos);

    auto v1 = parse_manifest_document(R"({"schemaVersion":1,"name":"x","fsLayers":[]})");
    REQUIRE(std::holds_alternative<ManifestError>(v1));
    CHECK(std::get<ManifestError>(v1).message.find("schema 1") != std::string::npos);
    CHECK(std::holds_alternative<ManifestError>(parse_manifest_document("not json")));
    CHECK(std::holds_alternative<ManifestError>(parse_manifest_document(R"({"schemaVersion":2,"config":{"digest":"x"}})")));
}

TEST_CASE("a manifest whose fields have the wrong JSON types is an error, not an exception", "[oci]") {
    // Found by the manifest fuzzer: a numeric mediaType threw out of the parser.
    for (const char* body : {R"({"schemaVersion":2,"mediaType":7})", R"({"schemaVersion":"2"})",
                             R"({"schemaVersion":2.5,"config":{}})", R"({"mediaType":null})"}) {
        INFO(body);
        auto parsed = parse_manifest_document(body);
        REQUIRE(std::holds_alternative<ManifestError>(parsed));
        CHECK(!std::get<ManifestError>(parsed).message.empty());
    }
    auto index = parse_manifest_document(
        R"({"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json",)"
        R"("digest":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","size":1,)"
        R"("platform":{"os":1,"architecture":["amd64"]}}]})");
    REQUIRE(std::holds_alternative<Index>(index));
    std::string problem;
    CHECK(!select_platform(std::get<Index>(index), *parse_platform("linux/amd64"), &problem));
}

TEST_CASE("platforms parse and normalize like Docker", "[oci]") {
    CHECK(parse_platform("linux/arm64")->str() == "linux/arm64/v8");
    CHECK(parse_platform("linux/arm")->str() == "linux/arm/v7");
    CHECK(parse_platform("LINUX/X86_64")->str() == "linux/amd64");
    CHECK(!parse_platform("linux/"));
    CHECK(!parse_platform("a/b/c/d"));
    CHECK(!host_platform().architecture.empty());
    CHECK(manifest_accept_header().find(kDockerManifestV2) != std::string::npos);
}
