#include "analysis/code_catalog.h"

#include "analysis/rules/rule.h"

namespace envbuilder {

namespace {
struct Entry {
    const char* code;
    const char* description;
    const char* url;
};

constexpr const char* kDevcontainerReference = "https://containers.dev/implementors/json_reference/";

// Codes raised outside the rule catalogs: the Dockerfile parser and the JSONC/devcontainer layer.
constexpr Entry kOtherCodes[] = {
    {"UnknownInstruction", "A line starts with a word that is not a Dockerfile instruction", ""},
    {"UnterminatedHeredoc", "A here-document is never closed by its delimiter line", ""},
    {"DuplicateDirective", "A parser directive appears more than once", ""},
    {"InvalidEscapeDirective", "The escape directive takes a backslash or a backtick", ""},
    {"MissingKeyValueSeparator", "ENV and LABEL pairs must be written name=value", ""},
    {"EmptyKey", "ENV, LABEL and ARG names must not be empty", ""},
    {"InvalidCheckDirective", "The check directive takes skip=, error= and experimental=", ""},
    {"JsonSyntax", "The file is not valid JSON with comments", kDevcontainerReference},
    {"TrailingComma", "devcontainer.json does not allow trailing commas", kDevcontainerReference},
    {"DuplicateProperty", "A property is given twice in the same object; the last one wins", kDevcontainerReference},
    {"InvalidType", "A property has a value of the wrong JSON type", kDevcontainerReference},
    {"InvalidEnumValue", "A property has a value outside its allowed set", kDevcontainerReference},
    {"InvalidValue", "A property's value does not have the required form or range", kDevcontainerReference},
    {"UnknownProperty", "A property that the devcontainer specification does not define", kDevcontainerReference},
    {"DeprecatedProperty", "A property the specification has replaced", kDevcontainerReference},
    {"MissingProperty", "A property that another property requires is missing", kDevcontainerReference},
    {"IgnoredProperty", "A property that has no effect with this configuration", kDevcontainerReference},
    {"MissingImageSource", "The config needs one of image, build.dockerfile or dockerComposeFile", kDevcontainerReference},
    {"ConflictingImageSource", "Only one of image, build.dockerfile or dockerComposeFile may be given", kDevcontainerReference},
    {"DockerfileNotFound", "The Dockerfile named by the config does not exist", kDevcontainerReference},
    {"ContextNotFound", "The build context named by the config does not exist", kDevcontainerReference},
    {"InvalidFeatureId", "A feature id is not an OCI reference, a local path or a tarball URL", kDevcontainerReference},
    {"InvalidVariable", "A ${...} variable that devcontainer tools do not know", kDevcontainerReference},
};
}  // namespace

CodeInfo describe_code(std::string_view code) {
    if (const auto* rule = rules::find_rule(code)) return {std::string(code), rule->info.description, rule->info.url};
    for (const Entry& e : kOtherCodes)
        if (code == e.code) return {e.code, e.description, e.url};
    return {std::string(code), std::string(code), ""};
}

}  // namespace envbuilder
