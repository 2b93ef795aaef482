#pragma once
// A bound on how deeply client JSON may nest. nlohmann's parser and destructor are iterative, but
// copying, comparing and dumping a value recurse once per level: a message nested 70,000 arrays
// deep (200 KB) would overflow the stack. Bodies are therefore scanned, without recursion, before
// they are parsed.
#include <cstddef>
#include <optional>
#include <string_view>

namespace envbuilder::protocol {

// Deeper than any LSP message (the deepest real ones nest about a dozen levels), shallow enough
// that every recursive walk over a parsed message stays far from the stack's end.
inline constexpr size_t kMaxJsonDepth = 512;

// The byte offset of the first `[` or `{` that opens level `max_depth + 1`, or nullopt if the
// text never nests that deep. Brackets inside strings do not count. The text need not be valid
// JSON (the parser judges that afterwards).
std::optional<size_t> find_excess_nesting(std::string_view json_text,
                                          size_t max_depth = kMaxJsonDepth);

}  // namespace envbuilder::protocol
