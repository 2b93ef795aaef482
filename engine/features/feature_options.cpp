#include "features/feature_options.h"

#include <algorithm>

namespace envbuilder::features {

std::string option_env_name(std::string_view option_id) {
    std::string name;
    for (char c : option_id) {
        const bool word =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        name += word ? c : '_';
    }
    size_t run = 0;
    while (run < name.size() && ((name[run] >= '0' && name[run] <= '9') || name[run] == '_')) ++run;
    if (run > 0) name.replace(0, run, "_");
    for (char& c : name)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return name;
}

std::string features_env_file(const std::vector<OptionValue>& values) {
    std::string out;
    for (const OptionValue& v : values) {
        out += v.env_name + "=\"";
        for (char c : v.value) {
            if (c == '"' || c == '\\' || c == '$' || c == '`') out += '\\';
            out += c;
        }
        out += "\"\n";
    }
    return out;
}

namespace {

std::string quoted_list(const std::vector<std::string>& values) {
    std::string out;
    for (const auto& v : values) out += (out.empty() ? "\"" : ", \"") + v + "\"";
    return out;
}

std::string declared_options(const FeatureMetadata& feature) {
    std::vector<std::string> ids;
    for (const auto& o : feature.options) ids.push_back(o.id);
    return ids.empty() ? "it declares no options" : "it declares " + quoted_list(ids);
}

std::string value_text(const nlohmann::ordered_json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
    return v.dump();
}

// The user's value for one declared option, or an error.
std::optional<std::string> check_value(const FeatureOption& option, const nlohmann::ordered_json& v,
                                       std::string_view feature_id,
                                       std::vector<std::string>& errors) {
    const std::string where = "option \"" + option.id + "\" of feature " + std::string(feature_id);
    if (option.type == OptionType::Boolean) {
        if (v.is_boolean()) return value_text(v);
        // The devcontainer.json schema allows a string for any option, and configurations in
        // the wild write "true"; the devcontainers CLI passes it on as the same text.
        if (v.is_string() && (v == "true" || v == "false")) return v.get<std::string>();
        errors.push_back(where + " takes true or false, not " + v.dump());
        return std::nullopt;
    }
    if (!v.is_string() && !v.is_boolean()) {
        errors.push_back(where + " takes a string, not " + v.dump() +
                         (v.is_number() ? " (write it in quotes: \"" + v.dump() + "\")" : ""));
        return std::nullopt;
    }
    std::string text = value_text(v);
    if (!option.enum_values.empty() &&
        std::find(option.enum_values.begin(), option.enum_values.end(), text) ==
            option.enum_values.end()) {
        errors.push_back(where + " must be one of " + quoted_list(option.enum_values) + ", not \"" +
                         text + "\"");
        return std::nullopt;
    }
    return text;
}

void set_value(std::vector<OptionValue>& values, const std::string& id, std::string value) {
    auto found = std::find_if(values.begin(), values.end(),
                              [&](const OptionValue& v) { return v.id == id; });
    if (found != values.end())
        found->value = std::move(value);
    else
        values.push_back({id, option_env_name(id), std::move(value)});
}

}  // namespace

ResolvedOptions resolve_options(const FeatureMetadata& feature, const nlohmann::ordered_json& user,
                                std::string_view feature_id) {
    ResolvedOptions out;
    for (const FeatureOption& option : feature.options)
        if (!option.default_value.is_null())
            set_value(out.values, option.id, value_text(option.default_value));

    nlohmann::ordered_json given = nlohmann::ordered_json::object();
    if (user.is_object()) {
        given = user;
    } else if (user.is_string()) {
        if (feature.option("version"))
            given["version"] = user;
        else
            out.warnings.push_back("feature " + std::string(feature_id) +
                                   " has no \"version\" option, so the value \"" +
                                   user.get<std::string>() + "\" has no effect (" +
                                   declared_options(feature) + ")");
    } else if (user.is_boolean()) {
        out.excluded = !user.get<bool>();
    } else if (!user.is_null()) {
        out.errors.push_back("feature " + std::string(feature_id) +
                             " takes an object of options or a version string, not " + user.dump());
    }
    for (const auto& [id, v] : given.items()) {
        const FeatureOption* option = feature.option(id);
        if (!option) {
            out.errors.push_back("feature " + std::string(feature_id) + " has no option \"" + id +
                                 "\" (" + declared_options(feature) + ")");
            continue;
        }
        if (auto text = check_value(*option, v, feature_id, out.errors))
            set_value(out.values, id, *text);
    }
    return out;
}

}  // namespace envbuilder::features
