#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "syntax/jsonc.h"
#include "syntax/jsonc_fast_reader.h"

using namespace envbuilder;

namespace {

std::optional<jsonc::Value> fast(const std::string& text, std::vector<Diagnostic>& diagnostics) {
    SourceText source(text);  // the value tree keeps no reference to it
    return jsonc::detail::read_flawless(source, diagnostics);
}

}  // namespace

TEST_CASE("jsonc fast reader: reads flawless JSONC whole", "[jsonc]") {
    std::vector<Diagnostic> diagnostics;
    auto v =
        fast("\xEF\xBB\xBF// c\n{\"a\": [1, -2.5e+2, true, null], /* x\n */ \"é\": \"\\u00e9\"}\f",
             diagnostics);
    REQUIRE(v);
    CHECK(diagnostics.empty());
    REQUIRE(v->is_object());
    CHECK(v->find("a")->items.size() == 4);
    CHECK(v->find("a")->items[1].number == -250.0);
    CHECK(v->find("é")->string == "é");
    CHECK(v->members[1].key_range == Range{{2, 4}, {2, 7}});  // UTF-16 columns, after the comment
    CHECK(v->range == Range{{1, 0}, {2, 18}});
}

TEST_CASE("jsonc fast reader: gives up on any flaw and leaves no diagnostics", "[jsonc]") {
    for (const char* text : {"[1,]", "{\"a\":1,}", "{\"a\" 1}", "[01]", "[1.]", "[+1]", "['a']",
                             "[\"a\\x\"]", "[\"tab\there\"]", "{} /* open", "{a: 1}", "[1] [2]", "",
                             "  ", "[truex]", "{\"a\": 1, \"a\": [}"}) {
        INFO(text);
        std::vector<Diagnostic> diagnostics;
        CHECK_FALSE(fast(text, diagnostics));
        CHECK(diagnostics.empty());
    }
}

TEST_CASE("jsonc fast reader: duplicates are its only diagnostics", "[jsonc]") {
    std::vector<Diagnostic> diagnostics;
    REQUIRE(fast("{\"a\": 1, \"a\": 2}", diagnostics));
    REQUIRE(diagnostics.size() == 1);
    CHECK(diagnostics[0].code == jsonc::kDuplicateProperty);
}

TEST_CASE("jsonc fast reader: leaves deep nesting to the path that reports it", "[jsonc]") {
    std::vector<Diagnostic> diagnostics;
    const std::string deep = std::string(300, '[') + std::string(300, ']');
    CHECK_FALSE(fast(deep, diagnostics));
    CHECK(fast(std::string(200, '[') + std::string(200, ']'), diagnostics));
    jsonc::Document doc = jsonc::parse(SourceText(deep));
    REQUIRE(doc.diagnostics.size() == 1);
    CHECK(doc.diagnostics[0].message ==
          "The JSON is nested more than 256 levels deep; the deeper part is ignored");
}

TEST_CASE("jsonc fast reader: form feeds and vertical tabs read as tree-sitter reads them",
          "[jsonc]") {
    for (const char* text : {"{\f\"a\":\v1}", "[\v]", "\f{}\f"}) {
        INFO(text);
        SourceText source(text);
        jsonc::Document via_tree_sitter = jsonc::parse_with_tree_sitter(source);
        CHECK(via_tree_sitter.diagnostics.empty());
        std::vector<Diagnostic> diagnostics;
        CHECK(fast(text, diagnostics));
    }
}
