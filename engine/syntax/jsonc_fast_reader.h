#pragma once
// jsonc's fast path: a strict reader for documents without a single flaw, which is what an
// editor sees most of the time. tree-sitter-json runs at ~10 MB/s, too slow for a large config
// on every keystroke; this reader is several times faster. It gives up (nullopt, and no
// diagnostics left behind) at the first irregularity, and the document then goes through
// tree-sitter, which reports and recovers. Both paths build identical trees (tested).
// Internal to syntax/jsonc*.cpp.
#include <optional>
#include <vector>

#include "syntax/jsonc.h"

namespace envbuilder::jsonc::detail {

std::optional<Value> read_flawless(const SourceText& text, std::vector<Diagnostic>& diagnostics);

}  // namespace envbuilder::jsonc::detail
