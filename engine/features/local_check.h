#pragma once
// What lint and the language server can check of a configuration's features without the
// network: each local feature (./name) is read from its folder, and the options devcontainer.json
// gives it are checked against its devcontainer-feature.json (unknown option, wrong type, value
// outside `enum`), as the build will check them. OCI and tarball features are checked by the
// build, which fetches them.
#include <filesystem>
#include <vector>

#include "devcontainer/model.h"
#include "syntax/diagnostic.h"

namespace envbuilder::features {

// Codes: "FeatureNotFound" (a reference that cannot be used, or a folder that cannot be read),
// "InvalidFeatureOption" (an option the feature refuses), "FeatureOptionIgnored" (a value that
// has no effect), "DeprecatedFeature".
std::vector<Diagnostic> check_local_features(const devcontainer::Devcontainer& config,
                                             const std::filesystem::path& config_file);

}  // namespace envbuilder::features
