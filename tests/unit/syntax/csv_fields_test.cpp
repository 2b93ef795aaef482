#include <catch2/catch.hpp>

#include "syntax/csv_fields.h"

using envbuilder::dockerfile::split_csv;

TEST_CASE("CSV records as Go's encoding/csv reads them", "[syntax][csv]") {
    auto plain = split_csv("a=1,b=2,,c");
    REQUIRE(plain.fields.size() == 4);
    CHECK(plain.fields[1].text == "b=2");
    CHECK(plain.fields[1].begin == 4);
    CHECK(plain.fields[1].end == 7);
    CHECK(plain.fields[2].text.empty());
    auto quoted = split_csv(R"("target=/a,b","x=""y""")");
    REQUIRE(quoted.fields.size() == 2);
    CHECK(quoted.fields[0].text == "target=/a,b");
    CHECK(quoted.fields[1].text == R"(x="y")");
    CHECK(split_csv(R"("open)").error);
    CHECK(split_csv(R"("a"b)").error);
    CHECK(split_csv(R"(a"b)").error_offset == 1);
}
