#include <catch2/catch.hpp>

#include <cstdint>

#include "syntax/stage_index.h"

using envbuilder::dockerfile::stage_index;

TEST_CASE("stage_index: digits only, saturating", "[syntax][stage-index]") {
    CHECK(stage_index("0") == 0u);
    CHECK(stage_index("012") == 12u);
    CHECK(!stage_index(""));
    CHECK(!stage_index("1a"));
    CHECK(!stage_index("-1"));
    CHECK(!stage_index("build"));
    CHECK(stage_index("99999999999999999999999999") == SIZE_MAX);
}
