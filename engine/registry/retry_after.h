#pragma once
// How long to wait before retrying a 429 or 5xx answer. A registry may say so in Retry-After
// (RFC 9110 §10.2.3: delta-seconds or an HTTP-date); we honour it up to a cap, so that a
// registry asking for days (or a value too large for any integer) neither hangs nor crashes a
// build. Without a usable Retry-After the wait grows exponentially with the attempt.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace envbuilder::registry {

// The wait a Retry-After value asks for, counted from `now`: delta-seconds (saturating instead of
// overflowing) or an HTTP-date in any of the three forms recipients must accept (IMF-fixdate,
// RFC 850, asctime); a date in the past means no wait. nullopt when the value is neither form
// (negative numbers, garbage, impossible dates).
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::chrono::system_clock::time_point now);

struct RetryDelay {
    std::chrono::milliseconds wait{0};
    // Said to the user when the registry's wish was not followed (capped or unusable); else empty.
    std::string note;
};

// The wait before retry number `attempt` (0 for the first retry): Retry-After (the header's value,
// empty when absent) up to `cap`, else 250 ms doubled per attempt (also at most `cap`).
RetryDelay retry_delay(
    int attempt, std::string_view retry_after, std::chrono::seconds cap,
    std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

}  // namespace envbuilder::registry
