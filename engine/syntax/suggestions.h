#pragma once
// "Did you mean …?": one edit distance and one notion of a likely typo for every message in the
// engine (instructions, flags, stage names, variables, devcontainer properties).
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace envbuilder {

// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
// neighbours ("chwon" → "chown") each count one. Once the distance is known to exceed `limit`,
// returns limit + 1 without finishing.
size_t edit_distance(std::string_view a, std::string_view b, bool ignore_case = false,
                     size_t limit = static_cast<size_t>(-1));

// The candidate `word` most likely meant, if any is close enough: allowed edits grow with the
// length of the word, and a word of three or more letters that starts a candidate counts as one
// edit away ("plat" → "platform").
std::optional<std::string_view> closest_match(std::string_view word,
                                              std::span<const std::string_view> candidates,
                                              bool ignore_case = false);
std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates,
                                         bool ignore_case = false);

}  // namespace envbuilder
