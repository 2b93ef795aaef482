// Rules the JSON schema cannot express: where the container comes from, what Compose needs and
// ignores, and whether the Dockerfile and build context exist on disk.
#include <algorithm>
#include <system_error>

#include "devcontainer/detail.h"
#include "devcontainer/devcontainer.h"

namespace envbuilder::devcontainer::detail {

namespace {

namespace fs = std::filesystem;
using jsonc::Member;
using jsonc::Value;

struct SourceProperty {
    std::string_view name;
    Range key_range;
};

Range first_character(const Value& v) {
    Position start = v.range.start;
    return {start, {start.line, start.character + 1}};
}

void check_image_source(const Value& root, Reporter& report) {
    std::vector<SourceProperty> sources;
    if (const Member* m = root.find_member("image")) sources.push_back({"image", m->key_range});
    const Member* build = root.find_member("build");
    const Member* build_dockerfile =
        build && build->value.is_object() ? build->value.find_member("dockerfile") : nullptr;
    if (build_dockerfile) sources.push_back({"build.dockerfile", build_dockerfile->key_range});
    const Member* docker_file = root.find_member("dockerFile");
    if (docker_file) sources.push_back({"dockerFile", docker_file->key_range});
    if (const Member* m = root.find_member("dockerComposeFile")) sources.push_back({"dockerComposeFile", m->key_range});
    std::sort(sources.begin(), sources.end(),
              [](const SourceProperty& a, const SourceProperty& b) { return a.key_range.start < b.key_range.start; });

    bool build_without_dockerfile = build && build->value.is_object() && !build_dockerfile && !docker_file;
    if (sources.empty()) {
        if (build_without_dockerfile) {
            report.add(codes::MissingProperty, Severity::Error, build->key_range,
                       "\"build\" needs \"dockerfile\": the path of the Dockerfile to build");
        } else {
            report.add(codes::MissingImageSource, Severity::Error, first_character(root),
                       "No container source: set \"image\", \"build.dockerfile\" or \"dockerComposeFile\"");
        }
        return;
    }
    if (build_without_dockerfile) {
        report.add(codes::IgnoredProperty, Severity::Warning, build->key_range,
                   "\"build\" has no \"dockerfile\", so it is ignored: the container comes from \"" +
                       std::string(sources.front().name) + "\"");
    }
    for (size_t i = 1; i < sources.size(); ++i) {
        const SourceProperty& extra = sources[i];
        std::string message;
        bool both_dockerfiles = (extra.name == "dockerFile" || extra.name == "build.dockerfile") &&
                                (sources[0].name == "dockerFile" || sources[0].name == "build.dockerfile");
        if (both_dockerfiles) {
            message = "\"dockerFile\" and \"build.dockerfile\" both name a Dockerfile: keep only \"build.dockerfile\"";
        } else {
            message = "\"" + std::string(extra.name) + "\" conflicts with \"" + std::string(sources[0].name) +
                      "\": use only one of \"image\", \"build.dockerfile\" and \"dockerComposeFile\"";
        }
        report.add(codes::ConflictingImageSource, Severity::Error, extra.key_range, std::move(message));
    }
}

void check_compose(const Value& root, Reporter& report) {
    const Member* compose = root.find_member("dockerComposeFile");
    if (!compose) {
        for (const char* name : {"service", "runServices"}) {
            if (const Member* m = root.find_member(name))
                report.add(codes::IgnoredProperty, Severity::Warning, m->key_range,
                           "\"" + std::string(name) + "\" only has an effect together with \"dockerComposeFile\"");
        }
        return;
    }
    if (!root.find_member("service"))
        report.add(codes::MissingProperty, Severity::Error, compose->key_range,
                   "\"dockerComposeFile\" needs \"service\": the Compose service to connect to");
    if (!root.find_member("workspaceFolder"))
        report.add(codes::MissingProperty, Severity::Warning, compose->key_range,
                   "\"dockerComposeFile\" should come with \"workspaceFolder\": where the service's container "
                   "has the workspace");
    for (const char* name : {"appPort", "runArgs", "workspaceMount"}) {
        if (const Member* m = root.find_member(name))
            report.add(codes::IgnoredProperty, Severity::Warning, m->key_range,
                       "\"" + std::string(name) + "\" has no effect with \"dockerComposeFile\": set it in the "
                       "Compose file instead");
    }
}

void check_shutdown_action(const Value& root, const Devcontainer& config, Reporter& report) {
    if (!config.shutdown_action) return;
    const Field<std::string>& action = *config.shutdown_action;
    bool compose = root.find_member("dockerComposeFile") != nullptr;
    if (action.value == "stopCompose" && !compose) {
        report.add(codes::InvalidEnumValue, Severity::Error, action.value_range,
                   "\"shutdownAction\" can be \"stopCompose\" only with \"dockerComposeFile\": use \"none\" or "
                   "\"stopContainer\"");
    } else if (action.value == "stopContainer" && compose) {
        report.add(codes::InvalidEnumValue, Severity::Error, action.value_range,
                   "\"shutdownAction\" \"stopContainer\" does not apply to Compose: use \"none\" or \"stopCompose\"");
    }
}

void check_on_disk(const Devcontainer& config, const fs::path& config_path, Reporter& report) {
    if (config_path.empty()) return;
    std::error_code ec;
    fs::path folder = fs::absolute(config_path, ec).parent_path();
    if (ec) folder = config_path.parent_path();
    // Paths with ${...} depend on the workspace and the environment; they can't be checked here.
    auto resolvable = [](const std::string& value) { return value.find("${") == std::string::npos; };

    if (const Field<std::string>* dockerfile = config.dockerfile(); dockerfile && resolvable(dockerfile->value)) {
        const char* name = (config.build && config.build->value.dockerfile) ? "build.dockerfile" : "dockerFile";
        fs::path resolved = (folder / dockerfile->value).lexically_normal();
        fs::file_status status = fs::status(resolved, ec);
        if (!fs::exists(status)) {
            report.add(codes::DockerfileNotFound, Severity::Error, dockerfile->value_range,
                       "\"" + std::string(name) + "\": no file at " + resolved.string() +
                           " (the path is relative to the folder of devcontainer.json)");
        } else if (fs::is_directory(status)) {
            report.add(codes::DockerfileNotFound, Severity::Error, dockerfile->value_range,
                       "\"" + std::string(name) + "\": " + resolved.string() + " is a folder, not a Dockerfile");
        }
    }
    if (const Field<std::string>* context = config.build_context(); context && resolvable(context->value)) {
        const char* name = (config.build && config.build->value.context) ? "build.context" : "context";
        fs::path resolved = (folder / context->value).lexically_normal();
        fs::file_status status = fs::status(resolved, ec);
        if (!fs::exists(status)) {
            report.add(codes::ContextNotFound, Severity::Error, context->value_range,
                       "\"" + std::string(name) + "\": no folder at " + resolved.string() +
                           " (the path is relative to the folder of devcontainer.json)");
        } else if (!fs::is_directory(status)) {
            report.add(codes::ContextNotFound, Severity::Error, context->value_range,
                       "\"" + std::string(name) + "\": " + resolved.string() + " is a file, not a folder");
        }
    }
}

}  // namespace

void check_rules(const Value& root, const Devcontainer& config, const fs::path& config_path, Reporter& report) {
    check_image_source(root, report);
    check_compose(root, report);
    check_shutdown_action(root, config, report);
    check_on_disk(config, config_path, report);
}

}  // namespace envbuilder::devcontainer::detail
