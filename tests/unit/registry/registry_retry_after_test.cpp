// Retry-After in both RFC 9110 forms, and the capped wait the client derives from it.
#include <catch2/catch.hpp>

#include "registry/retry_after.h"

using namespace envbuilder::registry;
using std::chrono::seconds;

namespace {
// Sun, 06 Nov 1994 08:49:37 GMT, the RFC's example date.
const auto kRfcExample = std::chrono::system_clock::from_time_t(784111777);
}  // namespace

TEST_CASE("Retry-After: delta-seconds, saturating instead of overflowing", "[registry][retry]") {
    CHECK(parse_retry_after("0", kRfcExample) == seconds(0));
    CHECK(parse_retry_after("120", kRfcExample) == seconds(120));
    CHECK(parse_retry_after("  7 ", kRfcExample) == seconds(7));
    // The value that used to make std::stoi throw: far longer than any cap, and no exception.
    auto huge = parse_retry_after("99999999999", kRfcExample);
    REQUIRE(huge);
    CHECK(*huge > seconds(99999999));
    auto enormous = parse_retry_after(std::string(400, '9'), kRfcExample);
    REQUIRE(enormous);
    CHECK(*enormous == *huge);
}

TEST_CASE("Retry-After: negative numbers and garbage are not waits", "[registry][retry]") {
    for (const char* bad : {"-5", "+5", "1.5", "5s", "soon", "", "   ", "0x10",
                            "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:49:37 GMT",
                            "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 PST"}) {
        INFO(bad);
        CHECK_FALSE(parse_retry_after(bad, kRfcExample));
    }
}

TEST_CASE("Retry-After: HTTP dates in all three forms, past and future", "[registry][retry]") {
    const auto earlier = kRfcExample - seconds(90);
    CHECK(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", earlier) == seconds(90));
    CHECK(parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", earlier) == seconds(90));
    CHECK(parse_retry_after("Sun Nov  6 08:49:37 1994", earlier) == seconds(90));
    // A date already past: retry at once.
    CHECK(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", kRfcExample + seconds(3600)) ==
          seconds(0));
    // Far in the future.
    CHECK(parse_retry_after("Fri, 01 Jan 2100 00:00:00 GMT", kRfcExample) >
          seconds(int64_t{100} * 365 * 24 * 3600 - 1));
    CHECK(parse_retry_after("Tue, 29 Feb 2000 00:00:00 GMT", kRfcExample));
}

TEST_CASE("retry delay: honoured up to the cap, and the cap is said", "[registry][retry]") {
    const seconds cap(60);
    auto honoured = retry_delay(0, "3", cap, kRfcExample);
    CHECK(honoured.wait == seconds(3));
    CHECK(honoured.note.empty());

    auto capped = retry_delay(0, "99999999999", cap, kRfcExample);
    CHECK(capped.wait == seconds(60));
    CHECK_THAT(capped.note, Catch::Contains("99999999999") && Catch::Contains("cap of 60 s"));

    auto dated = retry_delay(0, "Sun, 06 Nov 1994 10:49:37 GMT", cap, kRfcExample);
    CHECK(dated.wait == seconds(60));
    CHECK_THAT(dated.note, Catch::Contains("7200 s") && Catch::Contains("cap of 60 s"));

    // Unusable values fall back to exponential backoff, and say so.
    auto garbage = retry_delay(2, "whenever", cap, kRfcExample);
    CHECK(garbage.wait == std::chrono::milliseconds(1000));
    CHECK_THAT(garbage.note, Catch::Contains("whenever") && Catch::Contains("retrying in 1 s"));

    // No header: plain backoff, itself never beyond the cap.
    CHECK(retry_delay(1, "", cap, kRfcExample).wait == std::chrono::milliseconds(500));
    CHECK(retry_delay(40, "", seconds(2), kRfcExample).wait == seconds(2));
    CHECK(retry_delay(1, "", cap, kRfcExample).note.empty());
}
