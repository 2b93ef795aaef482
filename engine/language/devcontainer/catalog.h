#pragma once
// What the devcontainer editor features know besides the property table: the ${...} variables,
// the well-known feature ids, and where in the property tree a path of keys leads.
#include <string>
#include <string_view>
#include <vector>

#include "devcontainer/devcontainer.h"

namespace envbuilder::language::devcontainer_editor {

using devcontainer::PropertyInfo;
using devcontainer::ValueShape;

struct VariableInfo {
    std::string_view name;
    bool takes_name;  // ${name:VARIABLE}
    std::string_view description;
};

struct FeatureInfo {
    std::string_view name;  // under ghcr.io/devcontainers/features/
    std::string_view major;
    std::string_view description;
};

// The properties an object at `path` (keys from the root; "*" for an array item) may hold;
// nullptr where the keys are free (a map such as portsAttributes) or the path is unknown.
const std::vector<PropertyInfo>* members_at(const std::vector<std::string>& path);

// The property `key` of the object at `path`, if it is one.
const PropertyInfo* property_at(const std::vector<std::string>& path, std::string_view key);

// The variables the devcontainer tools replace in ${...}.
const std::vector<VariableInfo>& variables();

// Features of github.com/devcontainers/features worth offering by name.
const std::vector<FeatureInfo>& well_known_features();

// "ghcr.io/devcontainers/features/<name>:<major>".
std::string feature_id(const FeatureInfo& f);

inline constexpr std::string_view kFeaturesNote =
    "Features are reusable install units (a script plus metadata) that are added to the image "
    "when the dev container is built (`envbuilder build` installs each as a cached step of its "
    "own, in the devcontainers CLI's order); the value holds the feature's options.";

}  // namespace envbuilder::language::devcontainer_editor
