#pragma once
// The `devcontainer.metadata` label the devcontainers CLI writes on the images it builds: a JSON
// array of the base image's entries, one entry per installed feature (its id and the properties a
// container made from the image needs: lifecycle commands, init, privileged, capAdd, securityOpt,
// entrypoint, mounts, customizations), then the configuration's own entry. VS Code Dev Containers
// and `devcontainer up` read it back to configure the container, so ours must say the same.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace envbuilder::features {

inline constexpr const char* kMetadataLabel = "devcontainer.metadata";

// A feature's entry: {"id": <the id as devcontainer.json names it>, the properties it sets}.
nlohmann::ordered_json feature_metadata_entry(const std::string& user_id,
                                              const nlohmann::ordered_json& feature_document);

// The configuration's entry: the properties of devcontainer.json (as written, variables not
// substituted) that the CLI keeps in the label, in its order.
nlohmann::ordered_json config_metadata_entry(const nlohmann::ordered_json& devcontainer_document);

// The entries of an existing label (an array, or one object); `problem` says why none could be
// read from a label that is not one.
struct LabelEntries {
    std::vector<nlohmann::ordered_json> entries;
    std::string problem;
};
LabelEntries parse_metadata_label(const std::string& value);

// The label's value for `entries` (empty objects left out), spaced as the CLI's LABEL line reads
// once its continuation lines are joined; "" when nothing is left.
std::string metadata_label_value(const std::vector<nlohmann::ordered_json>& entries);

}  // namespace envbuilder::features
