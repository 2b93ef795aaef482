#pragma once
// Parsing JSON that comes from elsewhere (a registry's manifest or image config) with a bound on
// nesting. nlohmann parses and destroys without recursion, but copying, comparing and dumping
// recurse once per level, so an image config nested 100,000 arrays deep would overflow the stack
// as soon as the build copies its "config" object.
#include <cstddef>
#include <string_view>

#include <nlohmann/json.hpp>

namespace envbuilder {

// Far beyond any manifest or config (a few levels), far from the stack's end.
inline constexpr size_t kMaxForeignJsonDepth = 512;

// `text` parsed, or a discarded value (is_discarded()) when it is not JSON or nests deeper than
// `max_depth`. Never throws.
nlohmann::json parse_json_bounded(std::string_view text, size_t max_depth = kMaxForeignJsonDepth);

}  // namespace envbuilder
