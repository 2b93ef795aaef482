#include "devcontainer/substitution.h"

#include <openssl/evp.h>

#include <cstdlib>
#include <vector>

namespace envbuilder::devcontainer {

namespace fs = std::filesystem;

namespace {

std::string basename_of(const std::string& path) {
    std::string trimmed = path;
    while (trimmed.size() > 1 && trimmed.back() == '/') trimmed.pop_back();
    size_t slash = trimmed.rfind('/');
    return slash == std::string::npos ? trimmed : trimmed.substr(slash + 1);
}

std::vector<std::string> split_colons(std::string_view inner) {
    std::vector<std::string> parts;
    size_t start = 0;
    while (true) {
        size_t colon = inner.find(':', start);
        parts.emplace_back(inner.substr(start, colon - start));
        if (colon == std::string_view::npos) return parts;
        start = colon + 1;
    }
}

// What `${inner}` becomes; `written` when the CLI leaves it alone.
std::string replacement(std::string_view inner, const SubstitutionContext& context) {
    const std::string written = "${" + std::string(inner) + "}";
    std::vector<std::string> parts = split_colons(inner);
    const std::string& name = parts[0];
    if (name == "env" || name == "localEnv") {
        if (parts.size() < 2)
            throw SubstitutionError("'" + written +
                                    "' can not be resolved because no environment variable name "
                                    "is given: write ${localEnv:NAME}");
        std::optional<std::string> value;
        if (context.local_env) {
            value = context.local_env(parts[1]);
        } else if (const char* v = std::getenv(parts[1].c_str())) {
            value = v;
        }
        if (value) return *value;
        return parts.size() > 2 ? parts[2] : "";
    }
    if (parts.size() > 1) return written;  // the plain variables take no argument
    if (name == "localWorkspaceFolder") return context.local_workspace_folder.string();
    if (name == "localWorkspaceFolderBasename")
        return basename_of(context.local_workspace_folder.string());
    if (name == "containerWorkspaceFolder") return context.container_workspace_folder;
    if (name == "containerWorkspaceFolderBasename")
        return basename_of(context.container_workspace_folder);
    if (name == "devcontainerId")
        return devcontainer_id(context.local_workspace_folder, context.config_file);
    return written;
}

}  // namespace

std::string substitute(std::string_view text, const SubstitutionContext& context) {
    // As the CLI's /\$\{(.*?)\}/g: the shortest `${…}`, left to right, never nested.
    std::string out;
    size_t at = 0;
    while (true) {
        size_t open = text.find("${", at);
        size_t close = open == std::string_view::npos ? open : text.find('}', open + 2);
        if (close == std::string_view::npos) {
            out += text.substr(at);
            return out;
        }
        out += text.substr(at, open - at);
        out += replacement(text.substr(open + 2, close - open - 2), context);
        at = close + 1;
    }
}

void substitute_json(nlohmann::ordered_json& value, const SubstitutionContext& context) {
    if (value.is_string()) {
        value = substitute(value.get_ref<const std::string&>(), context);
    } else if (value.is_array() || value.is_object()) {
        for (auto& item : value) substitute_json(item, context);
    }
}

void substitute_config(Devcontainer& config, const SubstitutionContext& context) {
    auto in = [&](auto& field) {
        if (field) field->value = substitute(field->value, context);
    };
    auto in_list = [&](auto& field) {
        if (field)
            for (auto& text : field->value) text.value = substitute(text.value, context);
    };
    auto in_env = [&](auto& field) {
        if (field)
            for (auto& var : field->value)
                if (var.value) var.value = substitute(*var.value, context);
    };
    in(config.image);
    in(config.docker_file);
    in(config.context);
    in(config.container_user);
    in(config.remote_user);
    in(config.workspace_folder);
    in_env(config.container_env);
    if (config.build) {
        BuildConfig& build = config.build->value;
        in(build.dockerfile);
        in(build.context);
        in(build.target);
        in_env(build.args);
        in_list(build.cache_from);
        in_list(build.options);
    }
}

SubstitutionContext substitution_context(const fs::path& workspace, const fs::path& config_file,
                                         const Devcontainer& config) {
    SubstitutionContext context;
    context.local_workspace_folder = fs::absolute(workspace).lexically_normal();
    std::string folder = context.local_workspace_folder.string();
    while (folder.size() > 1 && folder.back() == '/') folder.pop_back();
    context.local_workspace_folder = folder;
    context.config_file = fs::absolute(config_file).lexically_normal();
    context.container_workspace_folder = "/workspaces/" + basename_of(folder);
    if (config.workspace_folder)
        context.container_workspace_folder = substitute(config.workspace_folder->value, context);
    return context;
}

std::string devcontainer_id(const fs::path& local_folder, const fs::path& config_file) {
    // The CLI hashes JSON.stringify of its id labels with sorted keys.
    nlohmann::ordered_json labels;
    labels["devcontainer.config_file"] = config_file.string();
    labels["devcontainer.local_folder"] = local_folder.string();
    const std::string text = labels.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    unsigned char digest[32];
    unsigned int size = 0;
    EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr);
    // The 256-bit number in base 32 (0-9a-v), five bits per digit from the low end, 52 digits.
    static const char* kDigits = "0123456789abcdefghijklmnopqrstuv";
    std::string out(52, '0');
    for (int d = 0; d < 52; ++d) {
        int value = 0;
        for (int b = 0; b < 5; ++b) {
            int bit = d * 5 + b;  // from the least significant bit
            if (bit >= 256) break;
            int byte = 31 - bit / 8;
            if (digest[byte] >> (bit % 8) & 1) value |= 1 << b;
        }
        out[51 - d] = kDigits[value];
    }
    return out;
}

}  // namespace envbuilder::devcontainer
