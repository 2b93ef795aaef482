#pragma once
// A feature's options as the user set them in devcontainer.json, checked against what the
// feature declares and turned into the environment its install.sh sees (the spec's "Option
// resolution"): every declared default, then the user's values, each under its option's
// environment name.
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "features/feature_metadata.h"

namespace envbuilder::features {

struct OptionValue {
    std::string id;        // "installZsh"
    std::string env_name;  // "INSTALLZSH"
    std::string value;     // as install.sh sees it: "true", "3.11"
};

struct ResolvedOptions {
    std::vector<OptionValue> values;    // defaults in declaration order, then the user's others
    bool excluded = false;              // the user wrote `false`: the feature is not installed
    std::vector<std::string> errors;    // each names the feature, the option and what is allowed
    std::vector<std::string> warnings;  // values that have no effect, named
};

// `user` is the feature's value in devcontainer.json: an object of options, a string (the
// `version` option), or a boolean. `feature_id` is how messages name the feature.
ResolvedOptions resolve_options(const FeatureMetadata& feature, const nlohmann::ordered_json& user,
                                std::string_view feature_id);

// The spec's environment name of an option: every character other than a letter, digit or '_'
// becomes '_', a leading run of digits and underscores becomes one '_', then upper case.
std::string option_env_name(std::string_view option_id);

// devcontainer-features.env: NAME="value" lines, sourced by `set -a; .
// ./devcontainer-features.env`. Values are escaped for double quotes, so the shell reads them
// literally.
std::string features_env_file(const std::vector<OptionValue>& values);

}  // namespace envbuilder::features
