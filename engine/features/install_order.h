#pragma once
// The order Dev Container Features install in, as the spec's "Installation order" defines it and
// the devcontainers CLI computes it: the user's features and everything their dependsOn brings
// (hard dependencies, with the options they name), sorted in rounds. A round takes every feature
// whose dependsOn features are installed and whose installsAfter features (soft; only those that
// are part of the build) are installed; of those, only the ones with the highest priority from
// overrideFeatureInstallOrder; sorted by id, tag, options and digest. The same feature with the
// same options installs once. A round that takes nothing is a cycle, and an error naming it.
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "features/feature_metadata.h"
#include "features/feature_ref.h"

namespace envbuilder::features {

struct UserFeature {
    std::string id;                  // the key in devcontainer.json's "features"
    nlohmann::ordered_json options;  // its value as written
};

// What fetching a feature tells the order (and the build).
struct ResolvedFeature {
    FeatureMetadata metadata;
    std::string manifest_digest;   // OCI features: the manifest's digest; "" otherwise
    std::filesystem::path folder;  // the feature's files on this machine
};

// Fetches or reads a feature. Throws std::runtime_error, saying why, when it cannot.
using FeatureResolver = std::function<std::shared_ptr<const ResolvedFeature>(const FeatureRef&)>;

struct PlannedFeature {
    FeatureRef ref;
    nlohmann::ordered_json options;  // as the user or the dependsOn entry wrote them
    std::shared_ptr<const ResolvedFeature> resolved;
    bool user_provided = false;  // false: installed because another feature depends on it
    std::string required_by;     // for dependencies: the id of the first feature that needs it
};

struct InstallPlan {
    std::vector<PlannedFeature> order;
    std::vector<std::string> notes;  // things that had no effect, named (never silently dropped)
};

// Throws std::runtime_error for an id that cannot be read, a feature that cannot be fetched, or
// a cycle (the message lists the features in it). Each distinct feature is resolved once.
InstallPlan plan_install_order(const std::vector<UserFeature>& features,
                               const std::vector<std::string>& override_install_order,
                               const std::filesystem::path& config_folder,
                               const FeatureResolver& resolve);

}  // namespace envbuilder::features
