#include "syntax/go_duration.h"

#include <cctype>
#include <limits>

namespace envbuilder::dockerfile {

namespace {

bool is_digit(char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

// Nanoseconds per unit; 0 for a unit Go does not know.
uint64_t unit_scale(std::string_view unit) {
    if (unit == "ns") return 1;
    if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") return 1000;
    if (unit == "ms") return 1000 * 1000;
    if (unit == "s") return 1000ull * 1000 * 1000;
    if (unit == "m") return 60ull * 1000 * 1000 * 1000;
    if (unit == "h") return 3600ull * 1000 * 1000 * 1000;
    return 0;
}

}  // namespace

std::optional<std::string> parse_go_duration(std::string_view s, int64_t& nanoseconds) {
    bool negative = false;
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
        negative = s[0] == '-';
        s.remove_prefix(1);
    }
    if (s == "0") {
        nanoseconds = 0;
        return std::nullopt;
    }
    if (s.empty()) return "not a duration";
    constexpr uint64_t kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
    uint64_t total = 0;
    while (!s.empty()) {
        if (!(s[0] == '.' || is_digit(s[0]))) return "not a duration";
        uint64_t whole = 0;
        bool digits = false;
        while (!s.empty() && is_digit(s[0])) {
            if (whole > (kMax - 9) / 10) return "duration is too large";
            whole = whole * 10 + static_cast<uint64_t>(s[0] - '0');
            digits = true;
            s.remove_prefix(1);
        }
        double fraction = 0, scale = 1;
        bool fraction_digits = false;
        if (!s.empty() && s[0] == '.') {
            s.remove_prefix(1);
            while (!s.empty() && is_digit(s[0])) {
                if (scale < 1e18) {  // further digits are below a nanosecond
                    fraction = fraction * 10 + (s[0] - '0');
                    scale *= 10;
                }
                fraction_digits = true;
                s.remove_prefix(1);
            }
        }
        if (!digits && !fraction_digits) return "not a duration";
        size_t unit_length = 0;
        while (unit_length < s.size() && s[unit_length] != '.' && !is_digit(s[unit_length]))
            ++unit_length;
        const std::string_view unit = s.substr(0, unit_length);
        s.remove_prefix(unit_length);
        if (unit.empty()) return "a unit is missing (ns, us, ms, s, m or h)";
        const uint64_t ns = unit_scale(unit);
        if (ns == 0)
            return "unknown unit '" + std::string(unit) + "' (expected ns, us, ms, s, m or h)";
        if (whole > kMax / ns) return "duration is too large";
        const uint64_t value =
            whole * ns + static_cast<uint64_t>(fraction * static_cast<double>(ns) / scale);
        if (value > kMax - total) return "duration is too large";
        total += value;
    }
    nanoseconds = negative ? -static_cast<int64_t>(total) : static_cast<int64_t>(total);
    return std::nullopt;
}

std::optional<std::string> parse_healthcheck_duration(std::string_view text, int64_t& nanoseconds) {
    const std::string quoted = "'" + std::string(text) + "'";
    if (auto problem = parse_go_duration(text, nanoseconds))
        return ": " + quoted + " is not a valid duration (" + *problem +
               "); write e.g. 30s, 1m30s or 500ms";
    if (nanoseconds != 0 && nanoseconds < 1000 * 1000)
        return " must be at least 1ms (or 0 for the default), not " + quoted;
    return std::nullopt;
}

}  // namespace envbuilder::dockerfile
