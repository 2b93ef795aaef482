#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "syntax/json_array.h"

using envbuilder::dockerfile::json_quote;
using envbuilder::dockerfile::parse_json_string_array;

TEST_CASE("json arrays: strings decoded, element spans kept", "[json-array]") {
    std::vector<std::pair<size_t, size_t>> spans;
    auto v = parse_json_string_array(R"( ["sh", "-c", "echo \"hi\" \u00e9"] )", &spans);
    REQUIRE(v);
    CHECK(*v == std::vector<std::string>{"sh", "-c", "echo \"hi\" é"});
    CHECK(spans == std::vector<std::pair<size_t, size_t>>{{2, 6}, {8, 12}, {14, 34}});
    auto empty = parse_json_string_array("[ ]", &spans);
    REQUIRE(empty);
    CHECK(empty->empty());
    CHECK(spans.empty());
    CHECK(parse_json_string_array("[\"\\ud83d\\ude00\"]") == std::vector<std::string>{"😀"});
}

TEST_CASE("json arrays: anything but an array of strings is refused", "[json-array]") {
    for (const char* text : {"",
                             "[",
                             "]",
                             "[\"a\",]",
                             "[\"a\" \"b\"]",
                             "[1]",
                             "[\"a\", null]",
                             "{}",
                             "[\"a\"] x",
                             "[\"a\"] // c",
                             "[/* c */ \"a\"]",
                             "[\"tab\there\"]",
                             "[\"bad \\x\"]",
                             "[\"open]",
                             "[\"a\"]\f",
                             "[\f\"a\"]",
                             "[\"line\nbreak\"]",
                             "[\"\\u12\"]",
                             "[,]",
                             "[\"a\",,\"b\"]"}) {
        INFO(text);
        CHECK_FALSE(parse_json_string_array(text));
    }
}

TEST_CASE("json arrays: json_quote round-trips", "[json-array]") {
    const std::string raw = "a\"b\\c\nd\te\x01";
    CHECK(json_quote(raw) == R"("a\"b\\c\nd\te\u0001")");
    auto back = parse_json_string_array("[" + json_quote(raw) + "]");
    REQUIRE(back);
    CHECK(back->front() == raw);
}
