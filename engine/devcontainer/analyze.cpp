// The entry points: analyze a devcontainer.json, and resolve the paths of its image build.
#include <algorithm>
#include <exception>
#include <system_error>

#include "devcontainer/detail.h"
#include "devcontainer/devcontainer.h"

namespace envbuilder::devcontainer {

DevcontainerAnalysis analyze_devcontainer(const SourceText& text, const std::filesystem::path& config_path) {
    DevcontainerAnalysis result;
    try {
        jsonc::Document document = jsonc::parse(text);
        result.diagnostics = std::move(document.diagnostics);
        if (document.root) {
            const jsonc::Value& root = *document.root;
            detail::Reporter report(result.diagnostics);
            result.config = detail::build_model(root);
            detail::check_schema(root, report);
            if (root.is_object()) {
                detail::check_feature_ids(root, report);
                detail::check_rules(root, result.config, config_path, report);
            }
            detail::check_variables(root, text, report);
            result.json = std::move(document.root);
        }
    } catch (const std::exception& e) {
        // Only resource exhaustion gets here; an editor is better served by a message than a crash.
        result.diagnostics.push_back(
            {"InternalError", Severity::Error, {}, std::string("devcontainer.json could not be checked: ") + e.what(), "", {}});
    }
    std::stable_sort(result.diagnostics.begin(), result.diagnostics.end(),
                     [](const Diagnostic& a, const Diagnostic& b) { return a.range.start < b.range.start; });
    return result;
}

std::optional<BuildPaths> resolve_build_paths(const Devcontainer& config, const std::filesystem::path& config_path) {
    const Field<std::string>* dockerfile = config.dockerfile();
    if (!dockerfile) return std::nullopt;
    std::error_code ec;
    std::filesystem::path folder = std::filesystem::absolute(config_path, ec).parent_path();
    if (ec) folder = config_path.parent_path();
    BuildPaths paths;
    paths.dockerfile = (folder / dockerfile->value).lexically_normal();
    const Field<std::string>* context = config.build_context();
    paths.context = context ? (folder / context->value).lexically_normal() : folder.lexically_normal();
    // "a/b/.." normalizes to "a/b/../" → "a/"; drop the trailing separator for a clean folder path.
    if (paths.context.has_relative_path() && !paths.context.has_filename()) paths.context = paths.context.parent_path();
    return paths;
}

}  // namespace envbuilder::devcontainer
