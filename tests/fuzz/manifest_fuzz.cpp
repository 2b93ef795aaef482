// libFuzzer target: manifests, indexes and image configs as a registry (or an OCI layout on
// disk) serves them, on any bytes: parse, pick a platform, read the config's JSON.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "oci/image_config.h"
#include "oci/manifest.h"
#include "syntax/json_bounded.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    // The first byte picks the Content-Type the registry claims.
    static const char* const kContentTypes[] = {"",
                                                envbuilder::oci::kDockerManifestV2,
                                                envbuilder::oci::kDockerManifestList,
                                                "application/vnd.oci.image.manifest.v1+json",
                                                "application/vnd.oci.image.index.v1+json",
                                                envbuilder::oci::kDockerManifestV1Signed};
    std::string_view content_type = kContentTypes[data[0] % 6];
    std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
    auto document = envbuilder::oci::parse_manifest_document(body, content_type);
    if (const auto* index = std::get_if<envbuilder::oci::Index>(&document)) {
        for (const char* wanted : {"linux/amd64", "linux/arm64", "linux/arm/v6", "windows/amd64"}) {
            std::string problem;
            auto platform = envbuilder::oci::parse_platform(wanted, &problem);
            if (!platform) __builtin_trap();
            (void)envbuilder::oci::select_platform(*index, *platform, &problem);
        }
    } else if (const auto* error = std::get_if<envbuilder::oci::ManifestError>(&document)) {
        if (error->message.empty()) __builtin_trap();
    }
    std::string problem;
    (void)envbuilder::oci::parse_platform(body, &problem);
    // The body as an image config: read without throwing, and written back to what it was (a
    // base's config the build inherits must keep its digest), or refused with the member named.
    const nlohmann::json json = envbuilder::parse_json_bounded(body);
    if (!json.is_discarded()) {
        problem.clear();
        auto config = envbuilder::oci::image_config_from_json(json, &problem);
        if (config ? envbuilder::oci::to_json(*config) != json : problem.empty()) __builtin_trap();
    }
    return 0;
}
