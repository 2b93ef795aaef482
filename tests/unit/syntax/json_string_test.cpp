#include <catch2/catch.hpp>

#include <string>
#include <tuple>
#include <vector>

#include "syntax/json_string.h"

using namespace envbuilder::json;

namespace {

struct Problem {
    StringProblem kind;
    size_t begin, end;
    bool operator==(const Problem& o) const {
        return std::tie(kind, begin, end) == std::tie(o.kind, o.begin, o.end);
    }
};

std::vector<Problem> problems_of(std::string_view body, std::string* decoded = nullptr) {
    std::vector<Problem> found;
    std::string out = decode_string_body(body, [&](StringProblem p, size_t b, size_t e) {
        found.push_back({p, b, e});
    });
    if (decoded) *decoded = out;
    return found;
}

}  // namespace

TEST_CASE("json strings: every escape JSON has", "[json-string]") {
    std::string out;
    CHECK(decode_string_body_strictly(R"(a\"b\\c\/d\be\ff\ng\rh\ti)", out));
    CHECK(out == "a\"b\\c/d\be\ff\ng\rh\ti");
    CHECK(decode_string_body_strictly(R"(\u0041\u00e9\u20AC)", out));
    CHECK(out == "A\xC3\xA9\xE2\x82\xAC");
    CHECK(decode_string_body_strictly("plain é😀", out));
    CHECK(out == "plain é😀");  // raw UTF-8 is copied as it is
}

TEST_CASE("json strings: surrogate pairs join, lone surrogates become U+FFFD", "[json-string]") {
    std::string out;
    CHECK(decode_string_body_strictly(R"(\ud83d\ude00)", out));
    CHECK(out == "😀");
    CHECK(decode_string_body_strictly(R"(\uD83D\uDE00x)", out));
    CHECK(out == "😀x");
    CHECK(decode_string_body_strictly(R"(\ud83dx)", out));  // valid JSON, no UTF-8 form
    CHECK(out == "\xEF\xBF\xBDx");
    CHECK(decode_string_body_strictly(R"(\ude00)", out));
    CHECK(out == "\xEF\xBF\xBD");
    CHECK(decode_string_body_strictly(R"(\ud83d\u0041)", out));  // a high one, then no low one
    CHECK(out ==
          "\xEF\xBF\xBD"
          "A");
}

TEST_CASE("json strings: each problem is reported where it is and the text kept", "[json-string]") {
    std::string out;
    CHECK(problems_of("a\nb", &out) == std::vector<Problem>{{StringProblem::LineBreak, 1, 2}});
    CHECK(out == "a\nb");
    CHECK(problems_of("a\tb") == std::vector<Problem>{{StringProblem::ControlCharacter, 1, 2}});
    CHECK(problems_of("ab\\") == std::vector<Problem>{{StringProblem::LoneBackslash, 2, 3}});
    CHECK(problems_of("\\u12x4", &out) ==
          std::vector<Problem>{{StringProblem::ShortUnicodeEscape, 0, 6}});
    CHECK(out == "\\u12x4");
    CHECK(problems_of("\\u1") == std::vector<Problem>{{StringProblem::ShortUnicodeEscape, 0, 3}});
    CHECK(problems_of("x\\q", &out) == std::vector<Problem>{{StringProblem::UnknownEscape, 1, 3}});
    CHECK(out == "x\\q");
    // A backslash before a multi-byte character: the range covers the whole character.
    CHECK(problems_of("\\é") == std::vector<Problem>{{StringProblem::UnknownEscape, 0, 3}});
    CHECK(problems_of("\\😀z") == std::vector<Problem>{{StringProblem::UnknownEscape, 0, 5}});
    CHECK(problems_of("ok\\n").empty());
}

TEST_CASE("json strings: strict and lenient decoding", "[json-string]") {
    std::string out;
    CHECK_FALSE(decode_string_body_strictly("bad\\x", out));
    CHECK(decode_string_body_leniently("bad\\x \\\"q\\\"") == "bad\\x \"q\"");
    CHECK(decode_string_body_leniently("") == "");
}

TEST_CASE("json strings: the UTF-8 and hex helpers", "[json-string]") {
    std::string out;
    for (uint32_t cp : {0x24u, 0xA2u, 0x20ACu, 0x10348u, 0x10FFFFu}) append_utf8(out, cp);
    CHECK(out == "\x24\xC2\xA2\xE2\x82\xAC\xF0\x90\x8D\x88\xF4\x8F\xBF\xBF");
    uint32_t v = 0;
    CHECK(read_hex4("x00fF", 1, v));
    CHECK(v == 0xFF);
    CHECK_FALSE(read_hex4("00f", 0, v));
    CHECK_FALSE(read_hex4("abcd", 5, v));  // past the end: no overflow
    CHECK_FALSE(read_hex4("12g4", 0, v));
}
