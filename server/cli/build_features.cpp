#include "cli/build_features.h"

#include <stdexcept>

#include "features/feature_options.h"
#include "features/fetch.h"
#include "features/install_order.h"
#include "features/metadata_label.h"
#include "syntax/jsonc_json.h"

namespace envbuilder::cli {

namespace fs = std::filesystem;

namespace {

// "version=3.11, pip=false": the values the user gave, for the step's display.
std::string options_text(const nlohmann::ordered_json& options) {
    if (options.is_string()) return "version=" + options.get<std::string>();
    if (!options.is_object()) return "";
    std::string text;
    for (const auto& [key, value] : options.items())
        text += (text.empty() ? "" : ", ") + key + "=" +
                (value.is_string() ? value.get<std::string>() : value.dump());
    return text;
}

}  // namespace

ConfigFeatures plan_config_features(const devcontainer::Devcontainer& config,
                                    const fs::path& config_file,
                                    const devcontainer::SubstitutionContext& substitution,
                                    registry::RegistryClient& client, oci::BlobStore& store,
                                    const fs::path& cache_dir, const std::atomic<bool>* cancel) {
    ConfigFeatures out;
    if (config.container_user) out.container_user = config.container_user->value;
    if (config.remote_user) out.remote_user = config.remote_user->value;
    if (!config.features || config.features->value.empty()) return out;

    std::vector<features::UserFeature> wanted;
    std::map<std::string, Range> ranges;
    for (const auto& f : config.features->value) {
        nlohmann::ordered_json options = jsonc::to_json(f.options);
        try {
            devcontainer::substitute_json(options, substitution);
        } catch (const devcontainer::SubstitutionError& e) {
            throw std::runtime_error(config_file.string() + ":" +
                                     std::to_string(f.id_range.start.line + 1) + ": feature " +
                                     f.id + ": " + e.what());
        }
        wanted.push_back({f.id, std::move(options)});
        ranges[f.id] = f.id_range;
    }
    std::vector<std::string> overrides;
    if (config.override_feature_install_order)
        for (const auto& id : config.override_feature_install_order->value)
            overrides.push_back(id.value);

    const std::string label = config_file.filename().string();
    auto where = [&](const std::string& id) {
        auto found = ranges.find(id);
        return found == ranges.end() ? std::string()
                                     : ":" + std::to_string(found->second.start.line + 1);
    };
    features::FeatureFetcher fetcher(client, store, cache_dir, cancel);
    features::InstallPlan plan;
    try {
        plan = features::plan_install_order(wanted, overrides, config_file.parent_path(),
                                            fetcher.resolver());
    } catch (const std::runtime_error& e) {
        throw std::runtime_error(config_file.string() + ": " + e.what());
    }
    out.notes = plan.notes;
    std::vector<std::string> errors;
    for (const auto& planned : plan.order) {
        const auto& meta = planned.resolved->metadata;
        const std::string& id = planned.ref.user_id;
        auto options = features::resolve_options(meta, planned.options, id);
        for (const auto& e : options.errors)
            errors.push_back(label + where(planned.user_provided ? id : planned.required_by) +
                             ": " + e);
        for (const auto& w : options.warnings) out.notes.push_back(label + where(id) + ": " + w);
        if (options.excluded) {
            out.notes.push_back(label + where(id) + ": feature " + id +
                                " is set to false, so it is not installed");
            continue;
        }
        if (meta.deprecated)
            out.notes.push_back("feature " + id + " (" + meta.id +
                                ") is deprecated by its author and gets no more updates");
        executor::FeatureInstall install;
        install.id = id;
        install.options_text = options_text(planned.options);
        install.folder = planned.resolved->folder;
        install.env_file = features::features_env_file(options.values);
        install.container_env = meta.container_env;
        install.config_file = config_file;
        install.config_label = label;
        auto range = ranges.find(planned.user_provided ? id : planned.required_by);
        if (range != ranges.end()) install.range = range->second;
        out.installs.push_back(std::move(install));
        out.metadata_entries.push_back(features::feature_metadata_entry(id, meta.document));
    }
    if (!errors.empty()) {
        std::string text;
        for (const auto& e : errors) text += (text.empty() ? "" : "\n") + e;
        throw std::runtime_error(text);
    }
    return out;
}

}  // namespace envbuilder::cli
