#include "oci/image_index.h"

#include <set>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace envbuilder::oci {

StoredIndex build_image_index(const std::vector<PlatformImage>& images) {
    if (images.empty()) throw std::invalid_argument("an image index needs at least one image");
    nlohmann::json manifests = nlohmann::json::array();
    std::set<std::string> platforms;
    StoredIndex result;
    for (const auto& [platform, image] : images) {
        // Two images for one platform would leave the pick to chance: refuse it.
        if (!platforms.insert(platform.str()).second)
            throw std::invalid_argument("two images for platform " + platform.str() +
                                        " in one image index");
        nlohmann::json named = {{"architecture", platform.architecture}, {"os", platform.os}};
        if (!platform.variant.empty()) named["variant"] = platform.variant;
        Descriptor entry = image.manifest_descriptor;
        entry.platform = named;
        manifests.push_back(to_json(entry));
        result.images.push_back(image);
    }
    result.index = nlohmann::json{
        {"schemaVersion", 2},
        {"mediaType", kMediaTypeImageIndex},
        {"manifests",
         manifests}}.dump();
    result.descriptor = {
        kMediaTypeImageIndex, digest_of(result.index), result.index.size(), {}, std::nullopt};
    return result;
}

}  // namespace envbuilder::oci
