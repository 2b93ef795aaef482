#include "language/devcontainer/catalog.h"

namespace envbuilder::language::devcontainer_editor {

namespace {

const PropertyInfo* find_in(const std::vector<PropertyInfo>& table, std::string_view name) {
    for (const PropertyInfo& p : table)
        if (p.name == name) return &p;
    return nullptr;
}

}  // namespace

// Walked segment by segment rather than through find_property(): port keys may hold dots
// ("^python .*"), which a dotted path cannot carry.
const std::vector<PropertyInfo>* members_at(const std::vector<std::string>& path) {
    const std::vector<PropertyInfo>* table = &devcontainer::devcontainer_properties();
    bool skip = false;  // the next segment is a map key or an array index, not a property name
    for (const std::string& segment : path) {
        if (skip) {
            skip = false;
            continue;
        }
        if (!table) return nullptr;
        const PropertyInfo* p = find_in(*table, segment);
        if (!p) return nullptr;
        table = p->children;
        skip = p->shape == ValueShape::PortAttributesMap || p->shape == ValueShape::Secrets ||
               p->shape == ValueShape::Mounts;
    }
    // Still expecting a key: the object is a map (portsAttributes, secrets) or the mounts array.
    return skip ? nullptr : table;
}

const PropertyInfo* property_at(const std::vector<std::string>& path, std::string_view key) {
    const std::vector<PropertyInfo>* table = members_at(path);
    return table ? find_in(*table, key) : nullptr;
}

const std::vector<VariableInfo>& variables() {
    static const std::vector<VariableInfo> table = {
        {"localEnv", true,
         "An environment variable of the host, i.e. the machine running the tool that reads "
         "devcontainer.json. Unset variables become an empty string, or the default given as "
         "`${localEnv:NAME:default}`."},
        {"containerEnv", true,
         "An environment variable of the running container. It only resolves where values are "
         "used after the container exists, such as remoteEnv and lifecycle commands; a default "
         "can follow a second colon."},
        {"localWorkspaceFolder", false,
         "Absolute path, on the host, of the folder opened as the workspace."},
        {"containerWorkspaceFolder", false, "Path inside the container where the workspace is."},
        {"localWorkspaceFolderBasename", false,
         "Last path component of localWorkspaceFolder: the workspace folder's own name on the "
         "host."},
        {"containerWorkspaceFolderBasename", false,
         "Last path component of containerWorkspaceFolder: the workspace folder's own name in "
         "the container."},
        {"devcontainerId", false,
         "An identifier of this dev container that survives rebuilds, computed from the labels "
         "that tie the container to its configuration. Handy for naming volumes."},
    };
    return table;
}

const std::vector<FeatureInfo>& well_known_features() {
    // Major versions as published in github.com/devcontainers/features.
    static const std::vector<FeatureInfo> table = {
        {"common-utils", "2", "Common command-line tools, a non-root user and optional Zsh setup."},
        {"git", "1", "A recent Git, from packages or built from source."},
        {"github-cli", "1", "The GitHub CLI (gh)."},
        {"docker-in-docker", "2", "A separate Docker daemon running inside the container."},
        {"docker-outside-of-docker", "1", "The Docker CLI, talking to the host's Docker daemon."},
        {"node", "1", "Node.js through nvm, with npm and optionally yarn and pnpm."},
        {"python", "1", "Python with pip and common development tools."},
        {"go", "1", "The Go toolchain and common Go tools."},
        {"rust", "1", "Rust through rustup, with cargo."},
        {"java", "1", "A JDK through SDKMAN!, optionally Maven and Gradle."},
        {"dotnet", "2", "The .NET SDK and runtimes."},
        {"azure-cli", "1", "The Azure CLI (az)."},
        {"aws-cli", "1", "The AWS CLI, version 2."},
        {"kubectl-helm-minikube", "1", "kubectl, Helm and minikube for Kubernetes work."},
        {"terraform", "1", "Terraform, optionally with TFLint and Terragrunt."},
        {"sshd", "1", "An SSH server, for tools that connect over SSH."},
        {"desktop-lite", "1", "A light desktop environment reachable through VNC or a browser."},
        {"nvidia-cuda", "1", "NVIDIA CUDA libraries, for containers with a GPU."},
        {"conda", "1", "The Conda package and environment manager."},
        {"powershell", "1", "PowerShell."},
        {"ruby", "1", "Ruby through rvm, with common gems."},
        {"php", "1", "PHP with Composer."},
    };
    return table;
}

std::string feature_id(const FeatureInfo& f) {
    return "ghcr.io/devcontainers/features/" + std::string(f.name) + ":" + std::string(f.major);
}

}  // namespace envbuilder::language::devcontainer_editor
