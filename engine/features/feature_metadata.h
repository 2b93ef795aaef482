#pragma once
// devcontainer-feature.json: what a Dev Container Feature declares about itself (the spec's
// "devcontainer-feature.json properties"). Read once per fetched feature; the build, lint and the
// language server all take it from here.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "syntax/diagnostic.h"

namespace envbuilder::features {

enum class OptionType { String, Boolean };

struct FeatureOption {
    std::string id;
    OptionType type = OptionType::String;
    nlohmann::ordered_json
        default_value;  // a string or a boolean; null when the feature gives none
    std::vector<std::string> enum_values;  // the only values allowed, when not empty
    std::vector<std::string> proposals;    // suggestions; any value is allowed
    std::string description;
};

// A property whose value is kept as written (commands, mounts, customizations, options).
using NamedJson = std::pair<std::string, nlohmann::ordered_json>;

struct FeatureMetadata {
    std::string id;
    std::string version;
    std::string name;
    std::string description;
    std::string documentation_url;
    std::vector<FeatureOption> options;  // in the order the file declares them
    std::vector<std::pair<std::string, std::string>> container_env;
    std::optional<bool> privileged;
    std::optional<bool> init;
    std::vector<std::string> cap_add;
    std::vector<std::string> security_opt;
    std::string entrypoint;
    nlohmann::ordered_json mounts;              // array as written, null when absent
    nlohmann::ordered_json customizations;      // object as written, null when absent
    std::vector<NamedJson> lifecycle_commands;  // onCreateCommand … postAttachCommand, as written
    std::vector<std::string> legacy_ids;
    bool deprecated = false;
    std::vector<NamedJson> depends_on;  // feature id → its options, as written
    std::vector<std::string> installs_after;
    nlohmann::ordered_json document;  // the whole file

    const FeatureOption* option(std::string_view option_id) const;
};

struct MetadataProblem {
    Severity severity = Severity::Error;
    Range range;
    std::string message;
};

struct MetadataResult {
    std::optional<FeatureMetadata> metadata;  // absent when an error makes the file unusable
    std::vector<MetadataProblem> problems;    // errors and warnings, in file order
};

// Parses the text of a devcontainer-feature.json (JSON with comments, as the devcontainers CLI
// reads it). Never throws: a wrong type, a missing id or version, a malformed option or a
// syntax error is a problem with its range; unknown properties are warnings that name them.
MetadataResult parse_feature_metadata(std::string_view text);

// "file:line:column: message" for each error, the form every command prints.
std::string describe_problems(const MetadataResult& result, std::string_view file);

}  // namespace envbuilder::features
