#pragma once
// `--from=1`, `from=0`: a stage named by its index, as BuildKit reads a name made of digits only.
// Shared by lint's stage model and the executor's source stages.
#include <cstddef>
#include <optional>
#include <string_view>

namespace envbuilder::dockerfile {

// The index a name of digits only stands for (saturated at SIZE_MAX, which names no stage);
// nullopt for any other name.
std::optional<size_t> stage_index(std::string_view name);

}  // namespace envbuilder::dockerfile
