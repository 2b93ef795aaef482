#include "features/metadata_label.h"

namespace envbuilder::features {

using Json = nlohmann::ordered_json;

namespace {

// The devcontainers CLI's lists (its source names them the feature and config properties kept in
// image metadata); the order is the order of the keys in the label.
const char* const kFeatureProperties[] = {"onCreateCommand",
                                          "updateContentCommand",
                                          "postCreateCommand",
                                          "postStartCommand",
                                          "postAttachCommand",
                                          "init",
                                          "privileged",
                                          "capAdd",
                                          "securityOpt",
                                          "entrypoint",
                                          "mounts",
                                          "customizations"};

const char* const kConfigProperties[] = {"onCreateCommand",
                                         "updateContentCommand",
                                         "postCreateCommand",
                                         "postStartCommand",
                                         "postAttachCommand",
                                         "waitFor",
                                         "customizations",
                                         "mounts",
                                         "containerEnv",
                                         "containerUser",
                                         "init",
                                         "privileged",
                                         "capAdd",
                                         "securityOpt",
                                         "remoteUser",
                                         "userEnvProbe",
                                         "remoteEnv",
                                         "overrideCommand",
                                         "portsAttributes",
                                         "otherPortsAttributes",
                                         "forwardPorts",
                                         "shutdownAction",
                                         "updateRemoteUserUID",
                                         "hostRequirements"};

template <size_t N>
void pick(Json& into, const Json& from, const char* const (&names)[N]) {
    if (!from.is_object()) return;
    for (const char* name : names) {
        auto found = from.find(name);
        if (found != from.end()) into[name] = *found;
    }
}

}  // namespace

Json feature_metadata_entry(const std::string& user_id, const Json& feature_document) {
    Json entry = Json::object();
    entry["id"] = user_id;
    pick(entry, feature_document, kFeatureProperties);
    return entry;
}

Json config_metadata_entry(const Json& devcontainer_document) {
    Json entry = Json::object();
    pick(entry, devcontainer_document, kConfigProperties);
    return entry;
}

LabelEntries parse_metadata_label(const std::string& value) {
    LabelEntries out;
    Json parsed = Json::parse(value, nullptr, false);
    if (parsed.is_discarded()) {
        out.problem = "it is not JSON";
    } else if (parsed.is_array()) {
        for (auto& entry : parsed) out.entries.push_back(std::move(entry));
    } else if (parsed.is_object()) {
        out.entries.push_back(std::move(parsed));
    } else {
        out.problem = "it is neither a JSON array nor an object";
    }
    return out;
}

std::string metadata_label_value(const std::vector<Json>& entries) {
    std::string text;
    for (const auto& entry : entries) {
        if (entry.is_object() && entry.empty()) continue;
        text += (text.empty() ? " " : ", ") +
                entry.dump(-1, ' ', false, Json::error_handler_t::replace);
    }
    return text.empty() ? "" : "[" + text + " ]";
}

}  // namespace envbuilder::features
