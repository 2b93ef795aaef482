#pragma once
// Where a workspace keeps its dev container configuration. One finder for lint, build and the
// language server, so that they agree on which files count and which one a build uses.
//
// The locations are the ones the devcontainers CLI and VS Code accept, in this order:
//   1. <workspace>/.devcontainer/devcontainer.json   (the CLI's default)
//   2. <workspace>/.devcontainer.json                (the CLI's second choice)
//   3. <workspace>/.devcontainer/<name>/devcontainer.json, one level deep, sorted by <name>
//      (several named configurations; the CLI never picks one of these by itself)
#include <filesystem>
#include <string>
#include <vector>

namespace envbuilder::devcontainer {

// Every configuration in `workspace`, in the order above. Missing folders and unreadable
// entries just find nothing; never throws.
std::vector<std::filesystem::path> find_configs(const std::filesystem::path& workspace);

// Whether `path` is at one of those locations for some workspace: a `.devcontainer.json`, or a
// `devcontainer.json` directly in a `.devcontainer` folder or in a folder right below one. Only
// the path is looked at, not the disk.
bool is_config_location(const std::filesystem::path& path);

// The workspace folder a configuration at such a location belongs to (the folder that holds
// `.devcontainer` or `.devcontainer.json`); for any other path, the folder the file is in.
std::filesystem::path workspace_of_config(const std::filesystem::path& config);

// The one configuration a build of `workspace` uses when none is named. `config` is empty when
// there is none (then `error` is empty too: the caller may fall back to a Dockerfile) or when
// the choice is ambiguous (`error` says so and lists them). `note` says which one was chosen
// when others were found as well or when it is a named one, so that the user knows what was
// built.
struct ConfigChoice {
    std::filesystem::path config;
    std::string note;
    std::string error;
};

// Follows the CLI: .devcontainer/devcontainer.json, else .devcontainer.json; a named
// configuration only when it is the only one. `option` is the flag that names a config
// explicitly, for the messages (e.g. "--devcontainer").
ConfigChoice choose_config(const std::filesystem::path& workspace, const std::string& option);

}  // namespace envbuilder::devcontainer
