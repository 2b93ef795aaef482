#include "features/local_check.h"

#include <stdexcept>

#include "devcontainer/devcontainer.h"
#include "features/feature_options.h"
#include "features/feature_ref.h"
#include "features/local_feature.h"
#include "syntax/jsonc_json.h"

namespace envbuilder::features {

std::vector<Diagnostic> check_local_features(const devcontainer::Devcontainer& config,
                                             const std::filesystem::path& config_file) {
    std::vector<Diagnostic> out;
    if (!config.features) return out;
    auto add = [&](const char* code, Severity severity, Range range, std::string message) {
        Diagnostic d;
        d.code = code;
        d.severity = severity;
        d.range = range;
        d.message = std::move(message);
        out.push_back(std::move(d));
    };
    for (const auto& feature : config.features->value) {
        std::string problem;  // an id that is not one is the validator's to report
        if (devcontainer::classify_feature_id(feature.id, &problem) !=
            devcontainer::FeatureIdKind::LocalPath)
            continue;
        auto parsed = parse_feature_ref(feature.id, config_file.parent_path());
        if (const auto* e = std::get_if<FeatureRefError>(&parsed)) {
            add("FeatureNotFound", Severity::Error, feature.id_range, e->message);
            continue;
        }
        const FeatureRef& ref = std::get<FeatureRef>(parsed);
        std::shared_ptr<const ResolvedFeature> resolved;
        try {
            resolved = read_feature_folder(ref.folder);
        } catch (const std::runtime_error& e) {
            add("FeatureNotFound", Severity::Error, feature.id_range, e.what());
            continue;
        }
        // The options' problems are marked on the value the user wrote, where the fix is.
        const Range where = feature.options.range;
        auto options =
            resolve_options(resolved->metadata, jsonc::to_json(feature.options), feature.id);
        for (const auto& e : options.errors) add("InvalidFeatureOption", Severity::Error, where, e);
        for (const auto& w : options.warnings)
            add("FeatureOptionIgnored", Severity::Warning, where, w);
        if (resolved->metadata.deprecated)
            add("DeprecatedFeature", Severity::Warning, feature.id_range,
                "feature " + feature.id + " is deprecated by its author and gets no more updates");
    }
    return out;
}

}  // namespace envbuilder::features
