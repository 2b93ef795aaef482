#pragma once
// The exec form's JSON: an array of strings, nothing else. Small and position-keeping, because
// diagnostics and hovers need each element's range.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace envbuilder::dockerfile {

// Parses `["a", "b"]`. On success returns the decoded strings and, in `spans`, each element's
// [begin, end) byte offsets in `text` (quotes included). Returns nullopt for anything else.
std::optional<std::vector<std::string>> parse_json_string_array(
    std::string_view text, std::vector<std::pair<size_t, size_t>>* spans = nullptr);

// Writes a string as a JSON string literal (quotes and escapes), for fixes that produce exec form.
std::string json_quote(std::string_view s);

}  // namespace envbuilder::dockerfile
