#include <catch2/catch.hpp>

#include "syntax/percent_encoding.h"

using envbuilder::dockerfile::percent_encode;

TEST_CASE("percent-encoding keeps the unreserved set and what the caller names",
          "[syntax][percent]") {
    CHECK(percent_encode("aZ09-_.~") == "aZ09-_.~");
    CHECK(percent_encode("a b/c:d") == "a%20b%2Fc%3Ad");
    CHECK(percent_encode("a b/c:d", "/:") == "a%20b/c:d");
    CHECK(percent_encode("100%") == "100%25");
    CHECK(percent_encode("\xC3\xA9\x01") == "%C3%A9%01");  // bytes, not characters
    CHECK(percent_encode("") == "");
}
