#pragma once
// Shared by the devcontainer .cpp files only; not part of the public API.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "syntax/diagnostic.h"
#include "devcontainer/model.h"
#include "syntax/jsonc.h"

namespace envbuilder::devcontainer::detail {

class Reporter {
public:
    explicit Reporter(std::vector<Diagnostic>& out) : out_(out) {}
    void add(std::string_view code, Severity severity, Range range, std::string message,
             std::optional<Fix> fix = std::nullopt);

private:
    std::vector<Diagnostic>& out_;
};

// model.cpp: the typed model, built leniently from the JSON tree.
Devcontainer build_model(const jsonc::Value& root);

// validate.cpp: types, enum values, patterns, unknown and deprecated properties.
void check_schema(const jsonc::Value& root, Reporter& report);

// rules.cpp: what the schema cannot say (image sources, compose, files on disk).
void check_rules(const jsonc::Value& root, const Devcontainer& config,
                 const std::filesystem::path& config_path, Reporter& report);

// features.cpp: feature identifiers.
void check_feature_ids(const jsonc::Value& root, Reporter& report);

// variables.cpp: ${...} references inside string values.
void check_variables(const jsonc::Value& root, const SourceText& text, Reporter& report);

// `"a", "b" or "c"`, for messages.
std::string quoted_list(const std::vector<std::string_view>& words, std::string_view last_joiner = "or");

// The candidate closest to `word` (same letters in another case, or a small typo); empty if none.
std::string_view closest_match(std::string_view word, const std::vector<std::string_view>& candidates);

// "got number", "got 1.5", "got \"text\"": how a value is described in type errors.
std::string describe_got(const jsonc::Value& value);

}  // namespace envbuilder::devcontainer::detail
