#pragma once
// A feature in a folder: devcontainer-feature.json and install.sh, read from disk. Local
// features (./name) come this way, and so do fetched ones once unpacked.
#include <filesystem>
#include <memory>

#include "features/install_order.h"

namespace envbuilder::features {

// Reads folder/devcontainer-feature.json and checks that folder/install.sh exists. Throws
// std::runtime_error naming the file, line and column of what is wrong.
std::shared_ptr<const ResolvedFeature> read_feature_folder(const std::filesystem::path& folder);

}  // namespace envbuilder::features
