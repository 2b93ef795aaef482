#include "registry/retry_after.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <ctime>
#include <vector>

namespace envbuilder::registry {

namespace {

using std::chrono::seconds;

// Longer than any wait anyone means; keeps the arithmetic below far from overflow.
constexpr int64_t kLongestWaitSeconds = int64_t{100} * 365 * 24 * 3600;

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

bool all_digits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    return true;
}

std::optional<int> number(std::string_view s, size_t min_digits, size_t max_digits) {
    if (s.size() < min_digits || s.size() > max_digits || !all_digits(s)) return std::nullopt;
    int v = 0;
    for (char c : s) v = v * 10 + (c - '0');
    return v;
}

std::optional<int> month_index(std::string_view name) {
    static constexpr std::array<std::string_view, 12> months = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (size_t i = 0; i < months.size(); ++i)
        if (name == months[i]) return static_cast<int>(i);
    return std::nullopt;
}

// "HH:MM:SS" into tm.
bool parse_clock(std::string_view s, std::tm& tm) {
    if (s.size() != 8 || s[2] != ':' || s[5] != ':') return false;
    auto h = number(s.substr(0, 2), 2, 2), m = number(s.substr(3, 2), 2, 2),
         sec = number(s.substr(6, 2), 2, 2);
    if (!h || !m || !sec || *h > 23 || *m > 59 || *sec > 60) return false;
    tm.tm_hour = *h;
    tm.tm_min = *m;
    tm.tm_sec = *sec;
    return true;
}

std::vector<std::string_view> words(std::string_view s, std::string_view separators) {
    std::vector<std::string_view> out;
    size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && separators.find(s[i]) != std::string_view::npos) ++i;
        size_t begin = i;
        while (i < s.size() && separators.find(s[i]) == std::string_view::npos) ++i;
        if (i > begin) out.push_back(s.substr(begin, i - begin));
    }
    return out;
}

bool valid_day(const std::tm& tm) {
    static constexpr std::array<int, 12> days = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return tm.tm_mday >= 1 && tm.tm_mday <= days[static_cast<size_t>(tm.tm_mon)];
}

// The three HTTP-date forms (RFC 9110 §5.6.7), always GMT:
//   IMF-fixdate  "Sun, 06 Nov 1994 08:49:37 GMT"
//   RFC 850      "Sunday, 06-Nov-94 08:49:37 GMT"
//   asctime      "Sun Nov  6 08:49:37 1994"
std::optional<std::time_t> parse_http_date(std::string_view s) {
    std::tm tm{};
    auto w = words(s, " ");
    if (w.size() == 6 && w[0].size() == 4 && w[0].back() == ',' && w[5] == "GMT") {
        auto day = number(w[1], 2, 2);
        auto month = month_index(w[2]);
        auto year = number(w[3], 4, 4);
        if (!day || !month || !year || !parse_clock(w[4], tm)) return std::nullopt;
        tm.tm_mday = *day;
        tm.tm_mon = *month;
        tm.tm_year = *year - 1900;
    } else if (w.size() == 4 && w[0].size() > 4 && w[0].back() == ',' && w[3] == "GMT") {
        auto parts = words(w[1], "-");
        if (parts.size() != 3) return std::nullopt;
        auto day = number(parts[0], 2, 2);
        auto month = month_index(parts[1]);
        auto year = number(parts[2], 2, 2);
        if (!day || !month || !year || !parse_clock(w[2], tm)) return std::nullopt;
        tm.tm_mday = *day;
        tm.tm_mon = *month;
        // A two-digit year more than 50 years in the future means the past century (§5.6.7);
        // for a retry the difference only decides between "now" and "far away".
        tm.tm_year = *year < 70 ? *year + 100 : *year;
    } else if (w.size() == 5 && w[0].size() == 3) {
        auto month = month_index(w[1]);
        auto day = number(w[2], 1, 2);
        auto year = number(w[4], 4, 4);
        if (!month || !day || !year || !parse_clock(w[3], tm)) return std::nullopt;
        tm.tm_mday = *day;
        tm.tm_mon = *month;
        tm.tm_year = *year - 1900;
    } else {
        return std::nullopt;
    }
    if (!valid_day(tm)) return std::nullopt;
    return timegm(&tm);
}

std::string seconds_text(std::chrono::milliseconds ms) {
    if (ms.count() % 1000 == 0) return std::to_string(ms.count() / 1000) + " s";
    return std::to_string(ms.count()) + " ms";
}

}  // namespace

std::optional<seconds> parse_retry_after(std::string_view value,
                                         std::chrono::system_clock::time_point now) {
    value = trim(value);
    if (all_digits(value)) {
        int64_t s = 0;
        for (char c : value) {
            s = s * 10 + (c - '0');
            if (s > kLongestWaitSeconds) return seconds(kLongestWaitSeconds);  // saturate
        }
        return seconds(s);
    }
    auto when = parse_http_date(value);
    if (!when) return std::nullopt;
    const int64_t delta = static_cast<int64_t>(*when) - std::chrono::system_clock::to_time_t(now);
    if (delta <= 0) return seconds(0);
    return seconds(std::min(delta, kLongestWaitSeconds));
}

RetryDelay retry_delay(int attempt, std::string_view retry_after, seconds cap,
                       std::chrono::system_clock::time_point now) {
    using std::chrono::milliseconds;
    const milliseconds cap_ms = cap;
    RetryDelay out;
    out.wait = std::min(milliseconds(int64_t{250} << std::clamp(attempt, 0, 16)), cap_ms);
    retry_after = trim(retry_after);
    if (retry_after.empty()) return out;
    // Only the start of a value we could not use is shown: it comes from the network.
    const std::string shown(retry_after.substr(0, 64));
    auto asked = parse_retry_after(retry_after, now);
    if (!asked) {
        out.note = "ignored the unusable Retry-After '" + shown + "' (neither seconds nor an " +
                   "HTTP date); retrying in " + seconds_text(out.wait);
        return out;
    }
    if (*asked > cap) {
        out.wait = cap_ms;
        out.note = "the registry asked to wait " + std::to_string(asked->count()) +
                   " s before retrying (Retry-After: " + shown + "), more than the cap of " +
                   std::to_string(cap.count()) + " s (--max-retry-wait): retrying in " +
                   std::to_string(cap.count()) + " s";
        return out;
    }
    out.wait = *asked;
    return out;
}

}  // namespace envbuilder::registry
