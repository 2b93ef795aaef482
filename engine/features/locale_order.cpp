#include "features/locale_order.h"

#include <array>

namespace envbuilder::features {

namespace {

// ASCII from space to '~' in CLDR root order (read off Node's localeCompare); letters are listed
// once, lower case, since case is only a tie-break.
constexpr std::string_view kPrimaryOrder =
    " _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$0123456789abcdefghijklmnopqrstuvwxyz";

constexpr std::array<int, 256> make_weights() {
    std::array<int, 256> weights{};
    for (int c = 0; c < 256; ++c)
        weights[c] = c < 0x20 ? c : 200 + c;  // controls first, then bytes
    for (size_t i = 0; i < kPrimaryOrder.size(); ++i) {
        weights[static_cast<unsigned char>(kPrimaryOrder[i])] = 40 + static_cast<int>(i);
        const char c = kPrimaryOrder[i];
        if (c >= 'a' && c <= 'z')
            weights[static_cast<unsigned char>(c - 'a' + 'A')] = 40 + static_cast<int>(i);
    }
    return weights;
}

constexpr std::array<int, 256> kWeights = make_weights();

int primary(char c) {
    return kWeights[static_cast<unsigned char>(c)];
}

}  // namespace

int locale_compare(std::string_view a, std::string_view b) {
    const size_t n = a.size() < b.size() ? a.size() : b.size();
    for (size_t i = 0; i < n; ++i)
        if (int d = primary(a[i]) - primary(b[i]); d != 0) return d < 0 ? -1 : 1;
    if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
    // Same letters: lower case sorts first.
    for (size_t i = 0; i < n; ++i) {
        const bool upper_a = a[i] >= 'A' && a[i] <= 'Z', upper_b = b[i] >= 'A' && b[i] <= 'Z';
        if (upper_a != upper_b) return upper_a ? 1 : -1;
    }
    return 0;
}

}  // namespace envbuilder::features
