#pragma once
// The devcontainers CLI's variables in devcontainer.json's string values: ${localEnv:NAME},
// ${localEnv:NAME:default} (and its older alias ${env:…}), ${localWorkspaceFolder},
// ${localWorkspaceFolderBasename}, ${containerWorkspaceFolder},
// ${containerWorkspaceFolderBasename} and ${devcontainerId}. Anything else stays as written, as
// in the CLI (${containerEnv:…} too: only a running container knows it).
#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "devcontainer/model.h"

namespace envbuilder::devcontainer {

struct SubstitutionContext {
    std::filesystem::path local_workspace_folder;  // absolute
    std::filesystem::path config_file;             // absolute; with the folder, the id's input
    std::string container_workspace_folder;        // workspaceFolder, else /workspaces/<basename>
    // The environment ${localEnv:…} reads (the process's by default).
    std::function<std::optional<std::string>(const std::string&)> local_env;
};

// The context for a configuration in `workspace`: its workspaceFolder (itself substituted) or
// the CLI's default.
SubstitutionContext substitution_context(const std::filesystem::path& workspace,
                                         const std::filesystem::path& config_file,
                                         const Devcontainer& config);

// ${localEnv} without a name, which the CLI refuses too.
class SubstitutionError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

std::string substitute(std::string_view text, const SubstitutionContext& context);
// Every string value, in arrays and objects (keys are left alone).
void substitute_json(nlohmann::ordered_json& value, const SubstitutionContext& context);
// The string fields a build reads: image, build.*, containerEnv, containerUser, remoteUser,
// workspaceFolder.
void substitute_config(Devcontainer& config, const SubstitutionContext& context);

// ${devcontainerId}: the CLI's id of a configuration in a folder (sha256 of its id labels as
// JSON, in base 32, 52 digits).
std::string devcontainer_id(const std::filesystem::path& local_folder,
                            const std::filesystem::path& config_file);

}  // namespace envbuilder::devcontainer
