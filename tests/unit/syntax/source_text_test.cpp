#include <catch2/catch.hpp>

#include "syntax/source_text.h"

using namespace envbuilder;

TEST_CASE("source text counts columns in UTF-16 code units") {
    // "é" is 2 bytes / 1 unit; "😀" is 4 bytes / 2 units.
    SourceText t("ab\nxé😀y\r\nlast");
    REQUIRE(t.line_count() == 3);
    CHECK(t.line(1) == "xé😀y");
    CHECK(t.line(2) == "last");
    CHECK(t.utf16_column(1, 1) == 1);
    CHECK(t.utf16_column(1, 3) == 2);  // after é
    CHECK(t.utf16_column(1, 7) == 4);  // after 😀
    CHECK(t.byte_column(1, 4) == 7);
    CHECK(t.byte_column(1, 100) == 8);
    CHECK(t.position_at(t.text().find('y')) == Position{1, 4});
    CHECK(t.offset_at({1, 4}) == t.text().find('y'));
    CHECK(t.encode(Position{1, 4}, PositionEncoding::Utf8) == Position{1, 7});
    CHECK(t.decode(Position{1, 7}, PositionEncoding::Utf8) == Position{1, 4});
}
