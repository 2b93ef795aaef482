// Small helpers that keep the diagnostics of all devcontainer checks worded alike.
#include <algorithm>
#include <charconv>

#include "devcontainer/detail.h"
#include "syntax/suggestions.h"

namespace envbuilder::devcontainer::detail {

namespace {

// Every devcontainer rule is explained in the spec's property reference.
constexpr const char* kReferenceUrl = "https://containers.dev/implementors/json_reference/";

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool equal_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
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
        size_t d = edit_distance(word, c, /*ignore_case=*/true, limit);
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
