#pragma once
// What the registry-facing commands (pull, push, inspect, build) share: their registry options,
// the default blob store location, and how transfers are shown.
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cli/option_table.h"
#include "oci/manifest.h"
#include "registry/client.h"

namespace envbuilder::cli {

struct RegistrySettings {
    registry::RegistryOptions options;
    std::optional<oci::Platform> platform;
    std::filesystem::path cache_dir;
};

// Credentials from the environment, the default cache directory.
RegistrySettings default_registry_settings();

// The registry options (mirrors, insecure registries, --platform, the cache directory, transfer
// limits), appended to a command's table; each fills `settings`, which must outlive the table.
void add_registry_options(std::vector<Option>& options, RegistrySettings& settings);

// Renders transfer events: one line per finished blob on `out`; on a terminal, also a live status
// line on stderr with the bytes moved so far.
registry::TransferObserver progress_printer(std::ostream& out);

}  // namespace envbuilder::cli
