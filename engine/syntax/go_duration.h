#pragma once
// Durations as Docker reads HEALTHCHECK's flags: Go's time.ParseDuration.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace envbuilder::dockerfile {

// [-+]? (digits [. digits] unit)+, or a bare "0"; units ns, us, µs (micro sign or Greek mu), ms,
// s, m, h. Returns what is wrong, or nullopt with `nanoseconds` set. Overflow of int64 is an
// error, as in Go.
std::optional<std::string> parse_go_duration(std::string_view text, int64_t& nanoseconds);

// A HEALTHCHECK --interval/--timeout/--start-period/--start-interval value as BuildKit's
// parseOptInterval takes it: a Go duration that is 0 (the default) or at least 1ms. The error
// text follows the flag's name ("--interval" + text).
std::optional<std::string> parse_healthcheck_duration(std::string_view text, int64_t& nanoseconds);

}  // namespace envbuilder::dockerfile
