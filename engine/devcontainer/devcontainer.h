#pragma once
// devcontainer.json: parse, model and check it. Used by the CLI and the language server.
#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

#include "syntax/diagnostic.h"
#include "devcontainer/model.h"
#include "devcontainer/properties.h"
#include "syntax/jsonc.h"
#include "syntax/source_text.h"

namespace envbuilder::devcontainer {

// Diagnostic codes, besides jsonc's JsonSyntax, TrailingComma and DuplicateProperty.
namespace codes {
inline constexpr std::string_view InvalidType = "InvalidType";
inline constexpr std::string_view InvalidEnumValue = "InvalidEnumValue";
inline constexpr std::string_view InvalidValue = "InvalidValue";  // a pattern or range is not met
inline constexpr std::string_view UnknownProperty = "UnknownProperty";
inline constexpr std::string_view DeprecatedProperty = "DeprecatedProperty";
inline constexpr std::string_view MissingProperty = "MissingProperty";
inline constexpr std::string_view IgnoredProperty = "IgnoredProperty";  // has no effect here
inline constexpr std::string_view MissingImageSource = "MissingImageSource";
inline constexpr std::string_view ConflictingImageSource = "ConflictingImageSource";
inline constexpr std::string_view DockerfileNotFound = "DockerfileNotFound";
inline constexpr std::string_view ContextNotFound = "ContextNotFound";
inline constexpr std::string_view InvalidFeatureId = "InvalidFeatureId";
inline constexpr std::string_view InvalidVariable = "InvalidVariable";
}  // namespace codes

struct DevcontainerAnalysis {
    std::optional<jsonc::Value> json;  // the syntax tree, for position lookups
    Devcontainer config;
    std::vector<Diagnostic> diagnostics;  // syntax and validation, sorted by position
};

// Parses and checks a devcontainer.json. `config_path` locates the file on disk: relative paths
// in it (build.dockerfile, build.context) resolve against its folder. Pass an empty path for a
// document that is not on disk; the checks that need the disk are then skipped. Never throws.
DevcontainerAnalysis analyze_devcontainer(const SourceText& text, const std::filesystem::path& config_path);

struct BuildPaths {
    std::filesystem::path dockerfile;  // absolute, normalized
    std::filesystem::path context;     // absolute, normalized; the config's folder by default
};

// Where the Dockerfile and build context are, for a config that builds from a Dockerfile
// (build.dockerfile or the deprecated dockerFile); nullopt otherwise.
std::optional<BuildPaths> resolve_build_paths(const Devcontainer& config,
                                              const std::filesystem::path& config_path);

enum class FeatureIdKind { Oci, LocalPath, TarballUrl, Invalid };

// Classifies a key of "features". When Invalid and `problem` is given, it receives the reason.
FeatureIdKind classify_feature_id(std::string_view id, std::string* problem = nullptr);

}  // namespace envbuilder::devcontainer
