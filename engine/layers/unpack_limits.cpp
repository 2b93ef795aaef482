#include "layers/unpack_limits.h"

#include <cctype>
#include <charconv>
#include <cstdio>

namespace envbuilder::layers {

std::optional<uint64_t> parse_byte_size(std::string_view text, std::string* problem) {
    auto fail = [&](const std::string& why) -> std::optional<uint64_t> {
        if (problem)
            *problem = "'" + std::string(text) + "' is not a size: " + why +
                       " (write bytes, or a number with K, M or G, e.g. 32G)";
        return std::nullopt;
    };
    uint64_t number = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (ec == std::errc::result_out_of_range) return fail("too large");
    if (ec != std::errc() || end == text.data()) return fail("it does not start with a number");
    std::string unit(end, text.data() + text.size());
    for (auto& c : unit) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (unit.size() > 1 && (unit.ends_with("IB")))
        unit.resize(unit.size() - 2);
    else if (unit.size() > 1 && unit.ends_with("B"))
        unit.resize(unit.size() - 1);
    unsigned shift = 0;
    if (unit == "K")
        shift = 10;
    else if (unit == "M")
        shift = 20;
    else if (unit == "G")
        shift = 30;
    else if (unit == "T")
        shift = 40;
    else if (!unit.empty() && unit != "B")
        return fail("unknown unit '" + unit + "'");
    if (number == 0) return fail("it must be more than 0");
    if (shift && number > (UINT64_MAX >> shift)) return fail("too large");
    return number << shift;
}

std::string describe_bytes(uint64_t bytes) {
    static constexpr const char* units[] = {"KiB", "MiB", "GiB", "TiB"};
    if (bytes < 1024) return std::to_string(bytes) + " bytes";
    double value = static_cast<double>(bytes);
    size_t unit = 0;
    for (value /= 1024; value >= 1024 && unit + 1 < std::size(units); ++unit) value /= 1024;
    char text[32];
    if (value == static_cast<double>(static_cast<uint64_t>(value)))
        std::snprintf(text, sizeof text, "%llu %s", static_cast<unsigned long long>(value),
                      units[unit]);
    else
        std::snprintf(text, sizeof text, "%.1f %s", value, units[unit]);
    return text;
}

}  // namespace envbuilder::layers
