#include <catch2/catch.hpp>

#include "features/locale_order.h"

using envbuilder::features::locale_compare;

// Each expectation was read off Node 20's String.prototype.localeCompare.
TEST_CASE("locale order: as JavaScript's localeCompare", "[features][locale_order]") {
    CHECK(locale_compare("a-b", "a_b") > 0);
    CHECK(locale_compare("ab", "a-b") > 0);
    CHECK(locale_compare("a/b", "a-b") > 0);
    CHECK(locale_compare("A", "a") > 0);
    CHECK(locale_compare("a1", "A1") < 0);
    CHECK(locale_compare("ab", "Aa") > 0);
    CHECK(locale_compare("x-1", "x1") < 0);
    CHECK(locale_compare("x1", "x-") > 0);
    CHECK(locale_compare("1.10", "1.9") < 0);
    CHECK(locale_compare("same", "same") == 0);
    CHECK(locale_compare("short", "shorter") < 0);
    CHECK(locale_compare("ghcr.io/devcontainers/features/node",
                         "ghcr.io/devcontainers/features/git") > 0);
}
