#include "executor/step_cache.h"

#include <unistd.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "syntax/json_text.h"

namespace envbuilder::executor {

namespace fs = std::filesystem;
using nlohmann::json;

std::string step_key(const std::string& parent, const std::string& definition) {
    return oci::digest_of(parent + "\n" + definition).hex;
}

std::optional<CachedStep> StepCache::find(const std::string& key) const {
    std::ifstream in(dir_ / (key + ".json"));
    if (!in) return std::nullopt;
    json j = json::parse(in, nullptr, false);
    if (!j.is_object()) return std::nullopt;
    CachedStep step;
    if (j.contains("layer") && j["layer"].is_object()) {
        const json& l = j["layer"];
        auto digest = oci::parse_digest(l.value("digest", ""));
        auto diff_id = oci::parse_digest(l.value("diffID", ""));
        if (!digest || !diff_id || !store_.has(*digest)) return std::nullopt;
        layers::LayerBlob layer;
        layer.digest = *digest;
        layer.diff_id = *diff_id;
        layer.size = l.value("size", uint64_t{0});
        layer.media_type = l.value("mediaType", "");
        step.layer = layer;
    }
    return step;
}

void StepCache::store(const std::string& key, const CachedStep& step) const {
    json j = json::object();
    if (step.layer)
        j["layer"] = {{"digest", step.layer->digest.str()},
                      {"diffID", step.layer->diff_id.str()},
                      {"size", step.layer->size},
                      {"mediaType", step.layer->media_type}};
    else
        j["layer"] = nullptr;
    std::error_code ec;
    fs::create_directories(dir_, ec);
    fs::path temp = dir_ / (key + ".json.tmp-" + std::to_string(::getpid()));
    {
        std::ofstream out(temp);
        out << json_text(j);
        if (!out) return;  // a cache that cannot be written only costs a rebuild later
    }
    fs::rename(temp, dir_ / (key + ".json"), ec);
    if (ec) fs::remove(temp, ec);
}

}  // namespace envbuilder::executor
