#include "syntax/stage_index.h"

#include <cstdint>

namespace envbuilder::dockerfile {

std::optional<size_t> stage_index(std::string_view name) {
    if (name.empty()) return std::nullopt;
    size_t n = 0;
    for (char c : name) {
        if (c < '0' || c > '9') return std::nullopt;
        const size_t digit = static_cast<size_t>(c - '0');
        n = n > (SIZE_MAX - digit) / 10 ? SIZE_MAX : n * 10 + digit;
    }
    return n;
}

}  // namespace envbuilder::dockerfile
