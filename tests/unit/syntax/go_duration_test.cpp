#include <catch2/catch.hpp>

#include "syntax/go_duration.h"

using envbuilder::dockerfile::parse_go_duration;
using envbuilder::dockerfile::parse_healthcheck_duration;

TEST_CASE("Go durations: units, fractions, signs and overflow", "[syntax][duration]") {
    int64_t ns = 0;
    CHECK(!parse_go_duration("1m30s", ns));
    CHECK(ns == 90'000'000'000LL);
    CHECK(!parse_go_duration("1.5h", ns));
    CHECK(ns == 5'400'000'000'000LL);
    CHECK(!parse_go_duration("250\xC2\xB5s", ns));
    CHECK(ns == 250'000);
    CHECK(!parse_go_duration("-2ms", ns));
    CHECK(ns == -2'000'000);
    CHECK(!parse_go_duration("0", ns));
    CHECK(ns == 0);
    CHECK(*parse_go_duration("30", ns) == "a unit is missing (ns, us, ms, s, m or h)");
    CHECK(parse_go_duration("3d", ns)->find("unknown unit 'd'") != std::string::npos);
    CHECK(*parse_go_duration("9999999999999999999s", ns) == "duration is too large");
    CHECK(*parse_go_duration("3000000h", ns) == "duration is too large");
    CHECK(parse_go_duration("", ns));
    CHECK(parse_go_duration(".s", ns));
}

TEST_CASE("HEALTHCHECK durations: 0 or at least 1ms", "[syntax][duration]") {
    int64_t ns = 0;
    CHECK(!parse_healthcheck_duration("0", ns));
    CHECK(!parse_healthcheck_duration("1ms", ns));
    CHECK(parse_healthcheck_duration("999us", ns)->find("at least 1ms") != std::string::npos);
    CHECK(parse_healthcheck_duration("-5s", ns)->find("at least 1ms") != std::string::npos);
    CHECK(parse_healthcheck_duration("soon", ns)->find("not a valid duration") !=
          std::string::npos);
}
