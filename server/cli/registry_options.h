#pragma once
// What the registry-facing commands (pull, push, inspect, build) share: their registry options,
// the default blob store location, and how transfers are shown.
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "oci/manifest.h"
#include "registry/client.h"

namespace envbuilder::cli {

struct RegistrySettings {
    registry::RegistryOptions options;
    std::optional<oci::Platform> platform;
    std::filesystem::path cache_dir;
};

// The help lines for the options parse_registry_option takes.
extern const char* const kRegistryOptionsHelp;

// Credentials from the environment, the default cache directory.
RegistrySettings default_registry_settings();

// Takes args[i] when it is a registry option (with its value, advancing i): returns nullopt when
// it is not one, "" when taken, or what is wrong with it.
std::optional<std::string> parse_registry_option(const std::vector<std::string>& args, size_t& i,
                                                 RegistrySettings& settings);

// Renders transfer events: one line per finished blob on `out`; on a terminal, also a live status
// line on stderr with the bytes moved so far.
registry::TransferObserver progress_printer(std::ostream& out);

}  // namespace envbuilder::cli
