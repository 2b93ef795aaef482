#pragma once
// The string order the devcontainers CLI sorts features by: JavaScript's String.localeCompare,
// i.e. the Unicode collation (CLDR root) that Node's ICU applies. To agree with the CLI on the
// install order we compare the same way: first by primary weight over the whole string
// (punctuation before digits before letters, letters without case), then lower case before upper
// case. ASCII is weighted as ICU does; other bytes sort after ASCII by their value.
#include <string_view>

namespace envbuilder::features {

// <0, 0 or >0, as localeCompare.
int locale_compare(std::string_view a, std::string_view b);

}  // namespace envbuilder::features
