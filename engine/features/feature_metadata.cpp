// devcontainer-feature.json, checked against the facts of the spec's schema
// (devContainerFeature.schema.json): id and version required, options of type string or boolean,
// string lists, an object of string environment variables.
#include "features/feature_metadata.h"

#include <algorithm>
#include <array>

#include "syntax/jsonc.h"
#include "syntax/jsonc_json.h"
#include "syntax/source_text.h"

namespace envbuilder::features {

const FeatureOption* FeatureMetadata::option(std::string_view option_id) const {
    auto found = std::find_if(options.begin(), options.end(),
                              [&](const FeatureOption& o) { return o.id == option_id; });
    return found == options.end() ? nullptr : &*found;
}

namespace {

constexpr std::array<std::string_view, 5> kLifecycleCommands = {
    "onCreateCommand", "updateContentCommand", "postCreateCommand", "postStartCommand",
    "postAttachCommand"};

// Properties the spec defines that need no reading of ours beyond being kept in `document`.
constexpr std::array<std::string_view, 2> kInformational = {"keywords", "licenseURL"};

class Reader {
  public:
    explicit Reader(MetadataResult& result) : result_(result) {}

    void error(const jsonc::Value& at, std::string message) {
        result_.problems.push_back({Severity::Error, at.range, std::move(message)});
        failed_ = true;
    }
    void warning(Range at, std::string message) {
        result_.problems.push_back({Severity::Warning, at, std::move(message)});
    }
    bool failed() const { return failed_; }

    bool string(const jsonc::Value& v, std::string_view name, std::string& out) {
        if (!v.is_string()) return type_error(v, name, "a string");
        out = v.string;
        return true;
    }
    bool boolean(const jsonc::Value& v, std::string_view name, std::optional<bool>& out) {
        if (!v.is_bool()) return type_error(v, name, "true or false");
        out = v.boolean;
        return true;
    }
    bool strings(const jsonc::Value& v, std::string_view name, std::vector<std::string>& out) {
        if (!v.is_array()) return type_error(v, name, "an array of strings");
        for (const jsonc::Value& item : v.items) {
            if (!item.is_string()) return type_error(item, std::string(name) + " item", "a string");
            out.push_back(item.string);
        }
        return true;
    }

  private:
    bool type_error(const jsonc::Value& v, std::string_view name, std::string_view expected) {
        error(v, "\"" + std::string(name) + "\" must be " + std::string(expected) + ", not " +
                     (v.is_invalid() ? std::string("an unreadable value")
                                     : std::string(jsonc::kind_name(v.kind))));
        return false;
    }

    MetadataResult& result_;
    bool failed_ = false;
};

void read_option(Reader& r, const jsonc::Member& m, FeatureMetadata& meta) {
    const std::string where = "options." + m.key;
    if (!m.value.is_object()) {
        r.error(m.value, "\"" + where + "\" must be an object with \"type\" and \"default\"");
        return;
    }
    FeatureOption option;
    option.id = m.key;
    const jsonc::Value* type = m.value.find("type");
    if (!type || !type->is_string() || (type->string != "string" && type->string != "boolean")) {
        r.error(type ? *type : m.value, "\"" + where + ".type\" must be \"string\" or \"boolean\"");
        return;
    }
    option.type = type->string == "boolean" ? OptionType::Boolean : OptionType::String;
    for (const jsonc::Member& field : m.value.members) {
        const std::string name = where + "." + field.key;
        if (field.key == "type") continue;
        if (field.key == "default") {
            const bool fits = option.type == OptionType::Boolean ? field.value.is_bool()
                                                                 : field.value.is_string();
            if (!fits) {
                r.error(field.value,
                        "\"" + name + "\" must be " +
                            (option.type == OptionType::Boolean ? "true or false" : "a string") +
                            ", as the option's type says");
                continue;
            }
            option.default_value = jsonc::to_json(field.value);
        } else if (field.key == "description") {
            r.string(field.value, name, option.description);
        } else if (field.key == "enum" && option.type == OptionType::String) {
            r.strings(field.value, name, option.enum_values);
        } else if (field.key == "proposals" && option.type == OptionType::String) {
            r.strings(field.value, name, option.proposals);
        } else {
            r.warning(field.key_range, "unknown option property \"" + name + "\" is ignored");
        }
    }
    if (!option.enum_values.empty() && option.default_value.is_string() &&
        std::find(option.enum_values.begin(), option.enum_values.end(),
                  option.default_value.get<std::string>()) == option.enum_values.end())
        r.error(m.value, "\"" + where + ".default\" is not one of its own \"enum\" values");
    meta.options.push_back(std::move(option));
}

void read_member(Reader& r, const jsonc::Member& m, FeatureMetadata& meta) {
    const std::string& key = m.key;
    const jsonc::Value& v = m.value;
    if (key == "id")
        r.string(v, key, meta.id);
    else if (key == "version")
        r.string(v, key, meta.version);
    else if (key == "name")
        r.string(v, key, meta.name);
    else if (key == "description")
        r.string(v, key, meta.description);
    else if (key == "documentationURL")
        r.string(v, key, meta.documentation_url);
    else if (key == "entrypoint")
        r.string(v, key, meta.entrypoint);
    else if (key == "privileged")
        r.boolean(v, key, meta.privileged);
    else if (key == "init")
        r.boolean(v, key, meta.init);
    else if (key == "capAdd")
        r.strings(v, key, meta.cap_add);
    else if (key == "securityOpt")
        r.strings(v, key, meta.security_opt);
    else if (key == "legacyIds")
        r.strings(v, key, meta.legacy_ids);
    else if (key == "installsAfter")
        r.strings(v, key, meta.installs_after);
    else if (key == "deprecated") {
        std::optional<bool> flag;
        if (r.boolean(v, key, flag)) meta.deprecated = *flag;
    } else if (key == "options") {
        if (!v.is_object())
            r.error(v, "\"options\" must be an object of options");
        else
            for (const jsonc::Member& option : v.members) read_option(r, option, meta);
    } else if (key == "containerEnv") {
        if (!v.is_object())
            r.error(v, "\"containerEnv\" must be an object of strings");
        else
            for (const jsonc::Member& env : v.members) {
                std::string value;
                if (r.string(env.value, "containerEnv." + env.key, value))
                    meta.container_env.emplace_back(env.key, value);
            }
    } else if (key == "dependsOn") {
        if (!v.is_object())
            r.error(v, "\"dependsOn\" must be an object of feature ids and their options");
        else
            for (const jsonc::Member& dep : v.members)
                meta.depends_on.emplace_back(dep.key, jsonc::to_json(dep.value));
    } else if (key == "mounts") {
        if (!v.is_array())
            r.error(v, "\"mounts\" must be an array");
        else
            meta.mounts = jsonc::to_json(v);
    } else if (key == "customizations") {
        if (!v.is_object())
            r.error(v, "\"customizations\" must be an object");
        else
            meta.customizations = jsonc::to_json(v);
    } else if (std::find(kLifecycleCommands.begin(), kLifecycleCommands.end(), key) !=
               kLifecycleCommands.end()) {
        if (!v.is_string() && !v.is_array() && !v.is_object())
            r.error(v, "\"" + key +
                           "\" must be a string, an array of strings or an object of commands");
        else
            meta.lifecycle_commands.emplace_back(key, jsonc::to_json(v));
    } else if (std::find(kInformational.begin(), kInformational.end(), key) ==
               kInformational.end()) {
        r.warning(m.key_range,
                  "unknown property \"" + key + "\" in devcontainer-feature.json is ignored");
    }
}

}  // namespace

MetadataResult parse_feature_metadata(std::string_view text) {
    MetadataResult result;
    SourceText source{std::string(text)};
    jsonc::Document doc = jsonc::parse(source);
    for (const Diagnostic& d : doc.diagnostics) {
        // A trailing comma is harmless here: JSON.parse-with-comments in the CLI accepts it.
        if (d.code == jsonc::kTrailingComma || d.code == jsonc::kDuplicateProperty) continue;
        result.problems.push_back({Severity::Error, d.range, d.message});
    }
    if (!doc.root || !doc.root->is_object()) {
        if (result.problems.empty())
            result.problems.push_back({Severity::Error, doc.root ? doc.root->range : Range{},
                                       "devcontainer-feature.json must hold a JSON object"});
        return result;
    }
    FeatureMetadata meta;
    Reader reader(result);
    for (const jsonc::Member& m : doc.root->members) read_member(reader, m, meta);
    if (meta.id.empty() && !doc.root->find("id"))
        reader.error(*doc.root, "\"id\" is required (the feature's folder name)");
    if (meta.version.empty() && !doc.root->find("version"))
        reader.error(*doc.root, "\"version\" is required (the feature's semantic version)");
    bool has_syntax_error =
        std::any_of(result.problems.begin(), result.problems.end(),
                    [](const MetadataProblem& p) { return p.severity == Severity::Error; });
    meta.document = jsonc::to_json(*doc.root);
    if (!has_syntax_error && !reader.failed()) result.metadata = std::move(meta);
    std::stable_sort(result.problems.begin(), result.problems.end(),
                     [](const MetadataProblem& a, const MetadataProblem& b) {
                         return a.range.start < b.range.start;
                     });
    return result;
}

std::string describe_problems(const MetadataResult& result, std::string_view file) {
    std::string out;
    for (const MetadataProblem& p : result.problems) {
        if (p.severity != Severity::Error) continue;
        if (!out.empty()) out += "\n";
        out += std::string(file) + ":" + std::to_string(p.range.start.line + 1) + ":" +
               std::to_string(p.range.start.character + 1) + ": " + p.message;
    }
    return out;
}

}  // namespace envbuilder::features
