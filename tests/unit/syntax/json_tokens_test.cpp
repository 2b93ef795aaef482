#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "syntax/json_tokens.h"
#include "syntax/source_text.h"

using namespace envbuilder;
using json::TokenType;

namespace {

// "type:text" per token, e.g. "S:\"a\"" for a string; open ones end in '~'.
std::string tokens_of(std::string_view text) {
    std::string out;
    json::Tokenizer tokenizer(text);
    json::Token t;
    static const char* names[] = {"{", "}", "[", "]", ":", ",", "S", "L", "C"};
    while (tokenizer.next(t)) {
        if (!out.empty()) out += ' ';
        out += names[static_cast<int>(t.type)];
        if (t.type >= TokenType::String)
            out += ":" + std::string(text.substr(t.begin, t.end - t.begin));
        if (t.open) out += '~';
    }
    return out;
}

std::vector<json::Token> all_tokens(std::string_view text) {
    std::vector<json::Token> out;
    json::Tokenizer tokenizer(text);
    json::Token t;
    while (tokenizer.next(t)) out.push_back(t);
    return out;
}

}  // namespace

TEST_CASE("json tokens: structure, strings, literals", "[json-tokens]") {
    CHECK(tokens_of(R"({"a": [1, -2.5e+3, true, null]})") ==
          R"({ S:"a" : [ L:1 , L:-2.5e+3 , L:true , L:null ] })");
    CHECK(tokens_of(R"(["q\"uote", "back\\", "\u00e9"])") ==
          R"([ S:"q\"uote" , S:"back\\" , S:"\u00e9" ])");
    CHECK(tokens_of("") == "");
    CHECK(tokens_of(" \t\r\n\f\v") == "");
}

TEST_CASE("json tokens: comments of both kinds", "[json-tokens]") {
    CHECK(tokens_of("// line\n{} /* block */") == "C:// line~ { } C:/* block */");
    CHECK(tokens_of("1// glued") == "L:1 C:// glued~");
    CHECK(tokens_of("[/* open") == "[ C:/* open~");
    CHECK(tokens_of("// crlf\r\n1") == "C:// crlf~ L:1");  // the '\r' is not part of the comment
}

TEST_CASE("json tokens: trailing commas and other mistakes are tokens, not failures",
          "[json-tokens]") {
    CHECK(tokens_of("[1, 2,]") == "[ L:1 , L:2 , ]");
    CHECK(tokens_of("{'a': tru}") == "{ L:'a' : L:tru }");
    CHECK(tokens_of("01 1. +1") == "L:01 L:1. L:+1");
    CHECK(tokens_of("\"no end\n2") == "S:\"no end~ L:2");  // strings end at the line break
    CHECK(tokens_of("\"esc\\") == "S:\"esc\\~");
}

TEST_CASE("json tokens: lines and UTF-16 ranges", "[json-tokens]") {
    const std::string text = "{\n  \"é😀\": \"x\", /* a\nb */ \"k\": 1\n}";
    SourceText source(text);
    std::vector<json::Token> tokens = all_tokens(text);
    REQUIRE(tokens.size() == 10);
    auto range = [&](const json::Token& t) {
        Position start = source.from_bytes(t.line, t.begin - t.line_start);
        Position end = source.from_bytes(t.line, t.end - t.line_start);
        CHECK(start == source.position_at(t.begin));  // the tokenizer's lines match the line table
        return std::to_string(start.line) + ":" + std::to_string(start.character) + "-" +
               std::to_string(end.line) + ":" + std::to_string(end.character);
    };
    CHECK(range(tokens[1]) == "1:2-1:7");   // "é😀": é is one UTF-16 unit, 😀 two
    CHECK(range(tokens[3]) == "1:9-1:12");  // "x"
    CHECK(tokens[5].type == TokenType::Comment);
    CHECK(range(tokens[6]) == "2:5-2:8");  // "k", after the comment's line break
    CHECK(range(tokens[9]) == "3:0-3:1");
}

TEST_CASE("json tokens: deep nesting costs no recursion", "[json-tokens]") {
    const std::string deep = std::string(200000, '[') + std::string(200000, ']');
    size_t opens = 0, count = 0;
    for (const json::Token& t : all_tokens(deep)) {
        ++count;
        if (t.type == TokenType::LBracket) ++opens;
    }
    CHECK(opens == 200000);
    CHECK(count == 400000);
}

TEST_CASE("json tokens: starting after a byte order mark", "[json-tokens]") {
    const std::string text = "\xEF\xBB\xBF{}";
    json::Tokenizer tokenizer(text, 3);
    json::Token t;
    REQUIRE(tokenizer.next(t));
    CHECK(t.type == TokenType::LBrace);
    CHECK(t.begin == 3);
    CHECK(t.line_start == 0);
}
