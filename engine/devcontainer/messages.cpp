// Small helpers that keep the diagnostics of all devcontainer checks worded alike.
#include <algorithm>
#include <charconv>

#include "devcontainer/detail.h"

namespace envbuilder::devcontainer::detail {

namespace {

// Every devcontainer rule is explained in the spec's property reference.
constexpr const char* kReferenceUrl = "https://containers.dev/implementors/json_reference/";

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool equal_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

// Edit distance on lowercased text where swapping two neighbours counts as one edit (so "lable"
// is one typo away from "label"), giving up once it exceeds `limit`.
size_t edit_distance(std::string_view a, std::string_view b, size_t limit) {
    if (a.size() > b.size() + limit || b.size() > a.size() + limit) return limit + 1;
    std::vector<size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) previous[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        current[0] = i;
        size_t row_best = current[0];
        for (size_t j = 1; j <= b.size(); ++j) {
            size_t substitute = previous[j - 1] + (lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1);
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitute});
            if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1]))
                current[j] = std::min(current[j], before[j - 2] + 1);
            row_best = std::min(row_best, current[j]);
        }
        if (row_best > limit) return limit + 1;
        std::swap(before, previous);
        std::swap(previous, current);
    }
    return previous[b.size()];
}

}  // namespace

void Reporter::add(std::string_view code, Severity severity, Range range, std::string message, std::optional<Fix> fix) {
    Diagnostic d;
    d.code = std::string(code);
    d.severity = severity;
    d.range = range;
    d.message = std::move(message);
    d.url = kReferenceUrl;
    d.fix = std::move(fix);
    out_.push_back(std::move(d));
}

std::string quoted_list(const std::vector<std::string_view>& words, std::string_view last_joiner) {
    std::string out;
    for (size_t i = 0; i < words.size(); ++i) {
        if (i > 0) out += (i + 1 == words.size()) ? " " + std::string(last_joiner) + " " : ", ";
        out += '"';
        out += words[i];
        out += '"';
    }
    if (words.size() > 2) out.insert(0, "one of ");
    return out;
}

std::string_view closest_match(std::string_view word, const std::vector<std::string_view>& candidates) {
    for (std::string_view c : candidates) {
        if (equal_ignoring_case(word, c)) return c;
    }
    // Allow one typo in short names, two in longer ones.
    size_t limit = word.size() < 6 ? 1 : 2;
    std::string_view best;
    size_t best_distance = limit + 1;
    for (std::string_view c : candidates) {
        size_t d = edit_distance(word, c, limit);
        if (d < best_distance) {
            best = c;
            best_distance = d;
        }
    }
    return best;
}

std::string describe_got(const jsonc::Value& value) {
    if (value.is_number() && !value.is_integer()) {
        char buffer[32];
        auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value.number);
        if (ec == std::errc()) return "number " + std::string(buffer, end);
    }
    return jsonc::kind_name(value.kind);
}

}  // namespace envbuilder::devcontainer::detail
