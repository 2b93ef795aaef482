#include "devcontainer/properties.h"

#include <string>

namespace envbuilder::devcontainer {

namespace {

using S = ValueShape;

const std::vector<PropertyInfo>& build_properties() {
    static const std::vector<PropertyInfo> table = {
        {"dockerfile", S::String, "string",
         "Path of the Dockerfile to build the container image from, relative to the folder that holds "
         "devcontainer.json."},
        {"context", S::String, "string",
         "Folder sent to the image build as its context, relative to the folder that holds "
         "devcontainer.json. Defaults to that folder."},
        {"target", S::String, "string", "Stage of a multi-stage Dockerfile to stop the build at."},
        {"args", S::StringMap, "object (name → string)", "Values for the Dockerfile's ARG instructions."},
        {"cacheFrom", S::StringOrStringArray, "string | string[]",
         "One or more images whose layers the build may reuse as cache."},
        {"options", S::StringArray, "string[]", "Extra command-line arguments for the image build."},
    };
    return table;
}

const std::vector<PropertyInfo>& gpu_properties() {
    static const std::vector<PropertyInfo> table = {
        {"cores", S::PositiveInteger, "integer ≥ 1", "Minimum number of GPU cores."},
        {"memory", S::ByteSize, "string", "Minimum GPU memory, e.g. \"8gb\" (units: tb, gb, mb, kb; bytes without one)."},
    };
    return table;
}

const std::vector<PropertyInfo>& host_requirement_properties() {
    static const std::vector<PropertyInfo> table = {
        {"cpus", S::PositiveInteger, "integer ≥ 1", "Minimum number of CPUs the host must offer."},
        {"memory", S::ByteSize, "string",
         "Minimum memory the host must offer, e.g. \"8gb\" (units: tb, gb, mb, kb; bytes without one)."},
        {"storage", S::ByteSize, "string",
         "Minimum free disk space the host must offer, e.g. \"32gb\" (units: tb, gb, mb, kb; bytes without one)."},
        {"gpu", S::Gpu, "boolean | \"optional\" | object",
         "Whether a GPU is needed: true, false, \"optional\", or an object with minimum cores and memory.",
         {}, {}, &gpu_properties()},
    };
    return table;
}

std::vector<PropertyInfo> port_attribute_properties(std::vector<std::string_view> auto_forward_actions) {
    return {
        {"onAutoForward", S::String, "string",
         "What the editor does when it finds this port and forwards it automatically.",
         std::move(auto_forward_actions)},
        {"elevateIfNeeded", S::Boolean, "boolean",
         "Ask for elevated rights when forwarding needs them (e.g. a privileged local port)."},
        {"label", S::String, "string", "Name shown for this port in the editor."},
        {"requireLocalPort", S::Boolean, "boolean",
         "Insist on the same local port number; warn instead of picking another one."},
        {"protocol", S::String, "string", "Protocol spoken on the port.", {"http", "https"}},
    };
}

const std::vector<PropertyInfo>& port_attributes_entry_properties() {
    static const std::vector<PropertyInfo> table = port_attribute_properties(
        {"notify", "openBrowser", "openBrowserOnce", "openPreview", "silent", "ignore"});
    return table;
}

const std::vector<PropertyInfo>& other_port_attributes_properties() {
    static const std::vector<PropertyInfo> table =
        port_attribute_properties({"notify", "openBrowser", "openPreview", "silent", "ignore"});
    return table;
}

const std::vector<PropertyInfo>& mount_properties() {
    static const std::vector<PropertyInfo> table = {
        {"type", S::String, "string", "Kind of mount.", {"bind", "volume"}},
        {"source", S::String, "string", "Host path (bind) or volume name (volume)."},
        {"target", S::String, "string", "Path inside the container where the mount appears."},
    };
    return table;
}

const std::vector<PropertyInfo>& secret_properties() {
    static const std::vector<PropertyInfo> table = {
        {"description", S::String, "string", "What the secret is for."},
        {"documentationUrl", S::String, "string", "Where to read how to obtain the secret."},
    };
    return table;
}

constexpr std::string_view kCommandType = "string | string[] | object";
constexpr const char* kCommandForms =
    " A string runs in a shell, an array runs as one command without a shell, and an object runs each "
    "of its named commands in parallel.";

std::vector<PropertyInfo> make_top_level() {
    // Built once; the table keeps string_views into them.
    static const std::string initialize =
        std::string("Runs on the host (your machine or cloud VM) before the container is created, and again on "
                    "each start.") + kCommandForms;
    static const std::string on_create =
        std::string("Runs inside the container once, right after it is created.") + kCommandForms;
    static const std::string update_content =
        std::string("Runs inside the new container after onCreateCommand, and again when the workspace content "
                    "changes, e.g. for prebuilds.") + kCommandForms;
    static const std::string post_create =
        std::string("Runs inside the container after updateContentCommand, once it is assigned to a user.") +
        kCommandForms;
    static const std::string post_start =
        std::string("Runs inside the container each time it starts.") + kCommandForms;
    static const std::string post_attach =
        std::string("Runs inside the container each time a tool attaches to it.") + kCommandForms;

    return {
        {"name", S::String, "string", "Display name for this dev container."},
        {"image", S::String, "string",
         "Image to create the container from (e.g. mcr.microsoft.com/devcontainers/base:ubuntu). Use this, "
         "build.dockerfile or dockerComposeFile."},
        {"build", S::Object, "object",
         "How to build the container image from a Dockerfile. Use this, image or dockerComposeFile.", {}, {},
         &build_properties()},
        {"dockerComposeFile", S::StringOrStringArray, "string | string[]",
         "Docker Compose file(s), relative to devcontainer.json, that define the services. Needs service."},
        {"service", S::String, "string", "The Compose service the editor connects to and works in."},
        {"runServices", S::StringArray, "string[]",
         "Compose services to start and stop with the dev container; all of them when left out."},
        {"features", S::Features, "object",
         "Features to install, keyed by id (OCI reference, ./local folder or https tarball URL); each value "
         "holds the feature's options."},
        {"overrideFeatureInstallOrder", S::StringArray, "string[]",
         "Feature ids (without version) in the order they must be installed, overriding the automatic order."},
        {"forwardPorts", S::ForwardPorts, "(number | string)[]",
         "Container ports to make available locally: a port number, or \"service:port\" for another Compose "
         "service."},
        {"portsAttributes", S::PortAttributesMap, "object",
         "Settings per port, port range (\"40000-55000\") or command-line regular expression.", {}, {},
         &port_attributes_entry_properties()},
        {"otherPortsAttributes", S::Object, "object",
         "Settings for every forwarded port that portsAttributes does not cover.", {}, {},
         &other_port_attributes_properties()},
        {"containerEnv", S::StringMap, "object (name → string)",
         "Environment variables set on the container itself, visible to every process in it."},
        {"remoteEnv", S::NullableStringMap, "object (name → string | null)",
         "Environment variables for the processes the tools start in the container (terminals, lifecycle "
         "commands); null removes one."},
        {"containerUser", S::String, "string",
         "User that runs the container's processes; defaults to the image's user."},
        {"remoteUser", S::String, "string",
         "User for the processes the tools start in the container; defaults to containerUser."},
        {"updateRemoteUserUID", S::Boolean, "boolean",
         "On Linux, change the remote user's UID/GID to the local user's so that bind-mounted files keep "
         "sane ownership."},
        {"userEnvProbe", S::String, "string",
         "Which kind of shell to start to read the user's environment variables.",
         {"none", "loginShell", "loginInteractiveShell", "interactiveShell"}},
        {"mounts", S::Mounts, "(string | object)[]",
         "Extra mounts for the container, as `--mount` strings or objects with type, source and target.", {}, {},
         &mount_properties()},
        {"workspaceFolder", S::String, "string",
         "Path in the container where the workspace is opened."},
        {"workspaceMount", S::String, "string",
         "The `--mount` value that mounts the workspace into the container, replacing the default."},
        {"runArgs", S::StringArray, "string[]", "Extra arguments for `docker run`."},
        {"overrideCommand", S::Boolean, "boolean",
         "Replace the image's command with one that keeps the container running (default: true, false for "
         "Compose)."},
        {"init", S::Boolean, "boolean", "Run an init process in the container to reap zombie processes."},
        {"privileged", S::Boolean, "boolean", "Run the container in privileged mode."},
        {"capAdd", S::StringArray, "string[]", "Linux capabilities to add, e.g. SYS_PTRACE."},
        {"securityOpt", S::StringArray, "string[]", "Security options for the container, e.g. seccomp=unconfined."},
        {"shutdownAction", S::String, "string",
         "What happens when the editor window closes: nothing, stop the container, or stop the Compose "
         "services.",
         {"none", "stopContainer", "stopCompose"}},
        {"initializeCommand", S::Command, kCommandType, initialize},
        {"onCreateCommand", S::Command, kCommandType, on_create},
        {"updateContentCommand", S::Command, kCommandType, update_content},
        {"postCreateCommand", S::Command, kCommandType, post_create},
        {"postStartCommand", S::Command, kCommandType, post_start},
        {"postAttachCommand", S::Command, kCommandType, post_attach},
        {"waitFor", S::String, "string",
         "The lifecycle command the tools wait for before connecting; later ones continue in the background.",
         {"initializeCommand", "onCreateCommand", "updateContentCommand", "postCreateCommand",
          "postStartCommand"}},
        {"hostRequirements", S::Object, "object", "Minimum CPUs, memory, storage and GPU the host must offer.",
         {}, {}, &host_requirement_properties()},
        {"secrets", S::Secrets, "object",
         "Secrets the user is asked for, keyed by environment variable name.", {}, {}, &secret_properties()},
        {"customizations", S::FreeObject, "object",
         "Settings for particular tools, each under its own key (e.g. \"vscode\"); not checked here."},
        {"$schema", S::String, "string", "URI of the JSON schema this file follows."},
        {"appPort", S::AppPort, "number | string | (number | string)[]",
         "Ports published with `docker run -p`; a number keeps the same port on the host.", {}, "forwardPorts"},
        {"dockerFile", S::String, "string",
         "Older spelling of build.dockerfile: the Dockerfile to build, relative to devcontainer.json.", {},
         "build.dockerfile"},
        {"context", S::String, "string",
         "Older spelling of build.context: the build context folder, relative to devcontainer.json.", {},
         "build.context"},
    };
}

const PropertyInfo* find_in(const std::vector<PropertyInfo>& table, std::string_view name) {
    for (const PropertyInfo& p : table) {
        if (p.name == name) return &p;
    }
    return nullptr;
}

// Shapes whose entries are keyed or indexed by something that is not a property name.
bool skips_a_segment(ValueShape shape) {
    return shape == S::PortAttributesMap || shape == S::Secrets || shape == S::Mounts;
}

}  // namespace

const std::vector<PropertyInfo>& devcontainer_properties() {
    static const std::vector<PropertyInfo> table = make_top_level();
    return table;
}

const PropertyInfo* find_property(std::string_view path) {
    const std::vector<PropertyInfo>* table = &devcontainer_properties();
    const PropertyInfo* found = nullptr;
    bool skip_next = false;
    while (!path.empty()) {
        size_t dot = path.find('.');
        std::string_view segment = path.substr(0, dot);
        path = dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1);
        if (skip_next) {
            skip_next = false;
            continue;
        }
        if (!table) return nullptr;
        found = find_in(*table, segment);
        if (!found) return nullptr;
        table = found->children;
        skip_next = skips_a_segment(found->shape);
    }
    return found;
}

}  // namespace envbuilder::devcontainer
