#include <catch2/catch.hpp>

#include "syntax/json_bounded.h"
#include "syntax/json_text.h"

using namespace envbuilder;

TEST_CASE("json_text: invalid UTF-8 becomes U+FFFD instead of throwing", "[json_text]") {
    nlohmann::json value = {{"text", "caf\xe9 ok"}, {"fine", "é"}};
    CHECK_THROWS(value.dump());  // what used to abort lint --format json
    const std::string text = json_text(value);
    CHECK(text == "{\"fine\":\"é\",\"text\":\"caf\xEF\xBF\xBD ok\"}");
    CHECK(nlohmann::json::parse(text)["text"] == "caf\xEF\xBF\xBD ok");
    CHECK(json_text(value, 2).find("\n  \"fine\"") != std::string::npos);
}

TEST_CASE("json_text: UTF-8 validation and repair", "[json_text]") {
    CHECK(is_valid_utf8(""));
    CHECK(is_valid_utf8("plain ascii"));
    CHECK(is_valid_utf8("é € 𝄞"));
    CHECK_FALSE(is_valid_utf8("\xe9t\xe9"));         // Latin-1
    CHECK_FALSE(is_valid_utf8("\xc3"));              // cut off
    CHECK_FALSE(is_valid_utf8("\xc0\xaf"));          // overlong '/'
    CHECK_FALSE(is_valid_utf8("\xed\xa0\x80"));      // a UTF-16 surrogate
    CHECK_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // past U+10FFFF
    CHECK(replace_invalid_utf8("\xe9t\xe9") == "\xEF\xBF\xBDt\xEF\xBF\xBD");
    CHECK(replace_invalid_utf8("é\xc3") == "é\xEF\xBF\xBD");
    CHECK(replace_invalid_utf8("ok") == "ok");
}

TEST_CASE("json_text: cache-key text keeps strings that differ only in invalid bytes apart",
          "[json_text]") {
    using nlohmann::json;
    // Valid strings keep their plain JSON, so existing cache keys stay what they were.
    CHECK(exact_key_text(json::array({"echo", "é"})) == json::array({"echo", "é"}).dump());
    const std::string e9 = exact_key_text(json::array({"echo", "\xe9"}));
    const std::string e8 = exact_key_text(json::array({"echo", "\xe8"}));
    CHECK(e9 != e8);
    CHECK(json_text(json::array({"echo", "\xe9"})) == json_text(json::array({"echo", "\xe8"})));
    // Where one string ends and the next begins is part of the key.
    CHECK(exact_key_text(json::array({"a\xe9", "b"})) != exact_key_text(json::array({"a",
                                                                                     "\xe9"
                                                                                     "b"})));
}

TEST_CASE("json_bounded: foreign JSON nested beyond the limit is refused, not copied",
          "[json_text]") {
    CHECK(parse_json_bounded(R"({"config":{"Env":["A=1"]}})")["config"]["Env"][0] == "A=1");
    CHECK(parse_json_bounded("{not json").is_discarded());
    const std::string deep =
        R"({"config":)" + std::string(100000, '[') + std::string(100000, ']') + "}";
    CHECK(parse_json_bounded(deep).is_discarded());
    CHECK(parse_json_bounded("[[[1]]]", 3)[0][0][0] == 1);
    CHECK(parse_json_bounded("[[[1]]]", 2).is_discarded());
}
