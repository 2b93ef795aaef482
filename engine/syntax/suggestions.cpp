#include "syntax/suggestions.h"

#include <algorithm>
#include <cctype>

namespace envbuilder {

size_t edit_distance(std::string_view a, std::string_view b, bool ignore_case, size_t limit) {
    if (limit != static_cast<size_t>(-1) && (a.size() > b.size() + limit || b.size() > a.size() + limit))
        return limit + 1;
    auto same = [ignore_case](char x, char y) {
        if (!ignore_case) return x == y;
        return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
    };
    std::vector<size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) previous[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        current[0] = i;
        size_t row_best = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            size_t substitute = previous[j - 1] + (same(a[i - 1], b[j - 1]) ? 0 : 1);
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitute});
            if (i > 1 && j > 1 && same(a[i - 1], b[j - 2]) && same(a[i - 2], b[j - 1]))
                current[j] = std::min(current[j], before[j - 2] + 1);
            row_best = std::min(row_best, current[j]);
        }
        if (limit != static_cast<size_t>(-1) && row_best > limit) return limit + 1;
        std::swap(before, previous);
        std::swap(previous, current);
    }
    return previous[b.size()];
}

std::optional<std::string_view> closest_match(std::string_view word, std::span<const std::string_view> candidates,
                                              bool ignore_case) {
    std::optional<std::string_view> best;
    const size_t allowed = word.size() <= 3 ? 1 : word.size() <= 6 ? 2 : 3;
    size_t best_distance = allowed + 1;
    for (std::string_view c : candidates) {
        if (c == word) continue;
        size_t d = edit_distance(word, c, ignore_case, allowed);
        bool prefix = word.size() >= 3 && c.size() > word.size() &&
                      edit_distance(word, c.substr(0, word.size()), ignore_case, 0) == 0;
        if (prefix) d = std::min<size_t>(d, 1);
        if (d < best_distance && d < std::max(word.size(), c.size())) {
            best_distance = d;
            best = c;
        }
    }
    return best;
}

std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates,
                                         bool ignore_case) {
    std::vector<std::string_view> views(candidates.begin(), candidates.end());
    auto best = closest_match(word, std::span<const std::string_view>(views), ignore_case);
    return best ? std::optional<std::string>(*best) : std::nullopt;
}

}  // namespace envbuilder
