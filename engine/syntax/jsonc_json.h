#pragma once
// A jsonc value tree as nlohmann JSON, keys in source order (the last of a repeated key wins, as
// JSON.parse does). For the parts of a document kept as written: feature options, commands,
// customizations. jsonc trees are at most kMaxDepth deep, so the recursion is bounded.
#include <nlohmann/json.hpp>

#include "syntax/jsonc.h"

namespace envbuilder::jsonc {

// Invalid values become null.
nlohmann::ordered_json to_json(const Value& value);

}  // namespace envbuilder::jsonc
