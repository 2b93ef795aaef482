#pragma once
// The Dev Container Features of the configuration being built: fetched, checked (ids, options)
// and put in install order before the build starts, so that a bad option fails in a second and
// names the feature, never after the Dockerfile's steps.
#include <atomic>
#include <filesystem>
#include <string>
#include <vector>

#include "devcontainer/model.h"
#include "devcontainer/substitution.h"
#include "executor/build.h"
#include "oci/blob_store.h"
#include "registry/client.h"

namespace envbuilder::cli {

struct ConfigFeatures {
    std::vector<executor::FeatureInstall> installs;  // in install order
    std::vector<std::string> notes;                  // things that have no effect, named
    // Each installed feature's devcontainer.metadata entry, in install order.
    std::vector<nlohmann::ordered_json> metadata_entries;
    std::string container_user;  // devcontainer.json's, "" when not set
    std::string remote_user;
};

// Option values get the configuration's variables substituted, as the CLI does.
// Throws std::runtime_error saying which feature (and option) is wrong.
ConfigFeatures plan_config_features(const devcontainer::Devcontainer& config,
                                    const std::filesystem::path& config_file,
                                    const devcontainer::SubstitutionContext& substitution,
                                    registry::RegistryClient& client, oci::BlobStore& store,
                                    const std::filesystem::path& cache_dir,
                                    const std::atomic<bool>* cancel);

}  // namespace envbuilder::cli
