#include <catch2/catch.hpp>

#include <functional>
#include <limits>
#include <random>
#include <string>

#include "big_documents.h"
#include "syntax/jsonc.h"

using namespace envbuilder;
using jsonc::Kind;

namespace {

// "line:col-line:col", so that a failing check prints something readable.
std::string show(Range r) {
    return std::to_string(r.start.line) + ":" + std::to_string(r.start.character) + "-" +
           std::to_string(r.end.line) + ":" + std::to_string(r.end.character);
}

jsonc::Document parse(std::string text) {
    SourceText source(std::move(text));
    return jsonc::parse(source);
}

std::vector<const Diagnostic*> with_code(const jsonc::Document& doc, std::string_view code) {
    std::vector<const Diagnostic*> out;
    for (const Diagnostic& d : doc.diagnostics) {
        if (d.code == code) out.push_back(&d);
    }
    return out;
}

// Describes a tree completely (kinds, values, keys, ranges, byte spans), to compare two parses.
void describe(const jsonc::Value& v, std::string& out) {
    out += jsonc::kind_name(v.kind);
    out +=
        "@" + show(v.range) + "/" + std::to_string(v.start_byte) + "-" + std::to_string(v.end_byte);
    if (v.is_string()) out += "=" + v.string;
    if (v.is_number()) out += "=" + std::to_string(v.number);
    if (v.is_bool()) out += v.boolean ? "=true" : "=false";
    out += "(";
    for (const auto& item : v.items) describe(item, out), out += ",";
    for (const auto& m : v.members) {
        out += m.key + "@" + show(m.key_range) + ":";
        describe(m.value, out);
        out += ",";
    }
    out += ")";
}

std::string describe(const jsonc::Document& doc) {
    std::string out;
    if (doc.root) describe(*doc.root, out);
    for (const Diagnostic& d : doc.diagnostics)
        out += "\n" + d.code + "@" + show(d.range) + ": " + d.message;
    return out;
}

// parse() reads flawless documents without tree-sitter; both routes must agree on everything.
void check_both_routes_agree(const std::string& text) {
    SourceText source(text);
    INFO("document: " << text);
    CHECK(describe(jsonc::parse(source)) == describe(jsonc::parse_with_tree_sitter(source)));
}

}  // namespace

TEST_CASE("jsonc: every kind of value keeps its range", "[jsonc]") {
    auto doc = parse(R"({"s": "x", "n": -1.5e2, "t": true, "f": false, "z": null, "a": [1, {}]})");
    REQUIRE(doc.diagnostics.empty());
    REQUIRE(doc.root);
    const jsonc::Value& root = *doc.root;
    REQUIRE(root.is_object());
    CHECK(show(root.range) == "0:0-0:71");
    REQUIRE(root.members.size() == 6);

    const jsonc::Member& s = root.members[0];
    CHECK(s.key == "s");
    CHECK(show(s.key_range) == "0:1-0:4");
    CHECK(s.value.is_string());
    CHECK(s.value.string == "x");
    CHECK(show(s.value.range) == "0:6-0:9");
    CHECK(s.value.start_byte == 6);
    CHECK(s.value.end_byte == 9);

    const jsonc::Value* n = root.find("n");
    REQUIRE(n);
    CHECK(n->number == -150.0);
    CHECK(n->is_integer());
    CHECK(show(n->range) == "0:16-0:22");
    CHECK(root.find("t")->boolean);
    CHECK(root.find("f")->is_bool());
    CHECK_FALSE(root.find("f")->boolean);
    CHECK(root.find("z")->is_null());

    const jsonc::Value* a = root.find("a");
    REQUIRE(a);
    REQUIRE(a->items.size() == 2);
    CHECK(a->items[0].number == 1);
    CHECK(a->items[1].is_object());
    CHECK(show(a->items[1].range) == "0:67-0:69");
    CHECK(root.find("missing") == nullptr);
}

TEST_CASE("jsonc: strings are decoded, surrogate pairs included", "[jsonc]") {
    auto doc =
        parse(R"(["a\"b\\c\/d\b\f\n\r\t", "\u00e9\u20AC", "\ud83d\ude00", "\ud800x", "plain é"])");
    REQUIRE(doc.diagnostics.empty());
    const auto& items = doc.root->items;
    REQUIRE(items.size() == 5);
    CHECK(items[0].string == "a\"b\\c/d\b\f\n\r\t");
    CHECK(items[1].string == "\xC3\xA9\xE2\x82\xAC");  // é €
    CHECK(items[2].string == "\xF0\x9F\x98\x80");      // 😀 from a surrogate pair
    CHECK(items[3].string == "\xEF\xBF\xBDx");         // a lone surrogate becomes U+FFFD
    CHECK(items[4].string == "plain \xC3\xA9");
}

TEST_CASE("jsonc: comments are accepted silently", "[jsonc]") {
    auto doc = parse(
        "// leading\n{\n  /* block\n     comment */ \"a\": 1, // trailing\n  \"b\": /* inline */ "
        "[2]\n}\n");
    CHECK(doc.diagnostics.empty());
    REQUIRE(doc.root);
    CHECK(doc.root->find("a")->number == 1);
    CHECK(doc.root->find("b")->items.size() == 1);
    CHECK(show(doc.root->members[0].key_range) == "3:16-3:19");
}

TEST_CASE("jsonc: columns are UTF-16 code units", "[jsonc]") {
    // "ключ" is 4 UTF-16 units (8 bytes); 😀 is 2 units (4 bytes).
    auto doc = parse("{\"ключ\": \"😀\", \"b\": 1}");
    REQUIRE(doc.diagnostics.empty());
    const auto& members = doc.root->members;
    CHECK(show(members[0].key_range) == "0:1-0:7");
    CHECK(show(members[0].value.range) == "0:9-0:13");
    CHECK(show(members[1].key_range) == "0:15-0:18");
    CHECK(show(members[1].value.range) == "0:20-0:21");
}

TEST_CASE("jsonc: trailing commas keep the whole model and come with a fix", "[jsonc]") {
    SECTION("object") {
        auto doc = parse("{\"a\": 1, \"b\": 2,}");
        REQUIRE(doc.root);
        CHECK(doc.root->members.size() == 2);
        REQUIRE(doc.diagnostics.size() == 1);
        const Diagnostic& d = doc.diagnostics[0];
        CHECK(d.code == "TrailingComma");
        CHECK(d.severity == Severity::Warning);
        CHECK(show(d.range) == "0:15-0:16");
        REQUIRE(d.fix);
        REQUIRE(d.fix->edits.size() == 1);
        CHECK(show(d.fix->edits[0].range) == "0:15-0:16");
        CHECK(d.fix->edits[0].new_text.empty());
    }
    SECTION("array") {
        auto doc = parse("[1, 2,]");
        REQUIRE(doc.root);
        CHECK(doc.root->items.size() == 2);
        REQUIRE(doc.diagnostics.size() == 1);
        CHECK(doc.diagnostics[0].code == "TrailingComma");
        CHECK(show(doc.diagnostics[0].range) == "0:5-0:6");
    }
    SECTION("nested, and followed by a comment") {
        auto doc = parse("{\n  \"a\": [1,],\n  \"b\": {\"c\": true,}, // note\n}");
        REQUIRE(doc.root);
        CHECK(doc.root->find("a")->items.size() == 1);
        CHECK(doc.root->find("b")->find("c")->boolean);
        auto commas = with_code(doc, "TrailingComma");
        REQUIRE(commas.size() == 3);
        CHECK(show(commas[0]->range) == "1:9-1:10");
        CHECK(show(commas[1]->range) == "2:17-2:18");
        CHECK(show(commas[2]->range) == "2:19-2:20");
        CHECK(doc.diagnostics.size() == 3);
    }
    SECTION("a comma between values is no trailing comma") {
        CHECK(parse("[1, 2]").diagnostics.empty());
        CHECK(parse("{\"a\": 1, \"b\": 2}").diagnostics.empty());
    }
}

TEST_CASE("jsonc: syntax errors are precise and explain what was expected", "[jsonc]") {
    auto single_error = [](const std::string& text) {
        auto doc = parse(text);
        REQUIRE(doc.diagnostics.size() == 1);
        CHECK(doc.diagnostics[0].code == "JsonSyntax");
        CHECK(doc.diagnostics[0].severity == Severity::Error);
        return doc;
    };

    SECTION("missing comma between properties on separate lines") {
        auto doc = single_error("{\n  \"a\": 1\n  \"b\": 2\n}");
        const Diagnostic& d = doc.diagnostics[0];
        CHECK(d.message == "Expected ',' between properties");
        CHECK(show(d.range) == "1:8-1:8");  // right where the comma belongs
        REQUIRE(d.fix);
        CHECK(d.fix->edits[0].new_text == ",");
        CHECK(show(d.fix->edits[0].range) == "1:8-1:8");
        CHECK(doc.root->members.size() == 2);  // both properties survive
    }
    SECTION("missing comma on one line points at the next property") {
        auto doc = single_error("{\"a\": 1 \"b\": 2}");
        CHECK(show(doc.diagnostics[0].range) == "0:8-0:11");
        CHECK(doc.root->members.size() == 2);
    }
    SECTION("missing comma between array elements") {
        auto doc = single_error("[1 2]");
        CHECK(doc.diagnostics[0].message == "Expected ',' between array elements");
        CHECK(show(doc.diagnostics[0].range) == "0:3-0:4");
    }
    SECTION("missing colon") {
        auto doc = single_error("{\"a\" 1}");
        CHECK(doc.diagnostics[0].message == "Expected ':' after property name \"a\"");
        CHECK(show(doc.diagnostics[0].range) == "0:5-0:6");
        CHECK(doc.root->find("a")->number == 1);
    }
    SECTION("missing value") {
        auto doc = single_error("{\"a\": }");
        CHECK(doc.diagnostics[0].message == "Expected a value for property \"a\", found '}'");
        CHECK(show(doc.diagnostics[0].range) == "0:6-0:7");
        CHECK(doc.root->find("a")->is_invalid());
    }
    SECTION("missing value at the end of a line") {
        auto doc = single_error("{\n  \"a\":\n}");
        CHECK(show(doc.diagnostics[0].range) == "1:6-1:6");
    }
    SECTION("unclosed object") {
        auto doc = single_error("{\"a\": 1");
        CHECK(doc.diagnostics[0].message ==
              "Expected '}' to close the object that starts on line 1");
        CHECK(show(doc.diagnostics[0].range) == "0:7-0:7");
        CHECK(doc.root->find("a")->number == 1);
    }
    SECTION("wrong closing bracket") {
        auto doc = single_error("{\"a\": [1, 2}");
        CHECK(doc.diagnostics[0].message ==
              "Expected ']' to close the array that starts on line 1, found '}'");
        CHECK(show(doc.diagnostics[0].range) == "0:11-0:12");
    }
    SECTION("unclosed string") {
        auto doc = single_error("{\"a\": \"abc}");
        CHECK(doc.diagnostics[0].message == "String is not closed: add '\"' at its end");
        CHECK(show(doc.diagnostics[0].range) == "0:6-0:11");
    }
    SECTION("line break inside a string") {
        auto doc = single_error("{\"a\": \"x\ny\"}");
        CHECK(show(doc.diagnostics[0].range) == "0:6-0:8");
    }
    SECTION("unknown literal") {
        auto doc = single_error("{\"a\": tru}");
        CHECK(doc.diagnostics[0].message ==
              "Unknown value 'tru': expected a string, number, object, array, true, false or null");
        CHECK(show(doc.diagnostics[0].range) == "0:6-0:9");
    }
    SECTION("capitalised literal") {
        auto doc = single_error("[True]");
        CHECK(doc.diagnostics[0].message ==
              "Unknown value 'True': JSON literals are lowercase, write true");
    }
    SECTION("single quotes") {
        auto doc = single_error("{'a': 1}");
        CHECK(doc.diagnostics[0].message ==
              "Property names must be in double quotes, not single quotes");
        CHECK(show(doc.diagnostics[0].range) == "0:1-0:4");
        CHECK(doc.root->find("a")->number == 1);
    }
    SECTION("unquoted property name") {
        auto doc = single_error("{a: 1}");
        CHECK(doc.diagnostics[0].message == "Property names must be in double quotes: write \"a\"");
        CHECK(show(doc.diagnostics[0].range) == "0:1-0:2");
    }
    SECTION("invalid escape") {
        auto doc = single_error(R"({"a": "x\qy"})");
        CHECK(show(doc.diagnostics[0].range) == "0:8-0:10");
        CHECK(doc.root->find("a")->string == "x\\qy");
    }
    SECTION("short unicode escape") {
        auto doc = single_error(R"(["\u12"])");
        CHECK(doc.diagnostics[0].message ==
              "\\u must be followed by exactly four hexadecimal digits");
    }
    SECTION("raw control character") {
        auto doc = single_error("[\"a\tb\"]");
        CHECK(show(doc.diagnostics[0].range) == "0:3-0:4");
    }
    SECTION("stray closing brace") {
        auto doc = single_error("{\"a\": 1}}");
        CHECK(doc.diagnostics[0].message == "Unexpected '}' after the end of the top-level value");
        CHECK(show(doc.diagnostics[0].range) == "0:8-0:9");
    }
    SECTION("two top-level values") {
        auto doc = single_error("{} {}");
        CHECK(show(doc.diagnostics[0].range) == "0:3-0:5");
    }
    SECTION("double comma") {
        auto doc = single_error("[1,,2]");
        CHECK(doc.diagnostics[0].message == "Unexpected ',': two commas in a row");
        CHECK(show(doc.diagnostics[0].range) == "0:3-0:4");
        CHECK(doc.root->items.size() == 2);
    }
    SECTION("unclosed block comment") {
        auto doc = single_error("{} /* never closed");
        CHECK(doc.diagnostics[0].message == "Comment is not closed: add '*/' at its end");
    }
    SECTION("number with a leading plus") {
        auto doc = single_error("[+1]");
        CHECK(show(doc.diagnostics[0].range) == "0:1-0:3");
    }
}

TEST_CASE("jsonc: a half-typed document still yields what it can", "[jsonc]") {
    auto doc = parse("{\n  \"image\": \"ubuntu\",\n  \"features\": {\n    \"ghcr.io/x/y/z\": {\n");
    REQUIRE(doc.root);
    CHECK(doc.root->find("image")->string == "ubuntu");
    REQUIRE(doc.root->find("features"));
    CHECK(doc.root->find("features")->find("ghcr.io/x/y/z"));
    REQUIRE(doc.diagnostics.size() == 1);  // only the innermost unclosed object is reported
    CHECK(doc.diagnostics[0].code == "JsonSyntax");
}

TEST_CASE("jsonc: empty documents are reported", "[jsonc]") {
    for (const char* text : {"", "   \n\t", "// only a comment\n"}) {
        auto doc = parse(text);
        CHECK_FALSE(doc.root);
        REQUIRE(doc.diagnostics.size() == 1);
        CHECK(doc.diagnostics[0].code == "JsonSyntax");
        CHECK(show(doc.diagnostics[0].range) == "0:0-0:0");
    }
}

TEST_CASE("jsonc: duplicate keys warn and the last one wins", "[jsonc]") {
    auto doc = parse("{\"a\": 1,\n \"b\": 2,\n \"a\": 3}");
    REQUIRE(doc.diagnostics.size() == 1);
    const Diagnostic& d = doc.diagnostics[0];
    CHECK(d.code == "DuplicateProperty");
    CHECK(d.severity == Severity::Warning);
    CHECK(show(d.range) == "2:1-2:4");
    CHECK(d.message == "Property \"a\" is already defined on line 1; this later value replaces it");
    CHECK(doc.root->find("a")->number == 3);
    CHECK(doc.root->members.size() == 3);

    SECTION("large objects too") {
        std::string text = "{";
        for (int i = 0; i < 40; ++i)
            text += "\"k" + std::to_string(i) + "\": " + std::to_string(i) + ",";
        text += "\"k7\": 0}";
        auto big = parse(text);
        REQUIRE(big.diagnostics.size() == 1);
        CHECK(big.diagnostics[0].code == "DuplicateProperty");
    }
    SECTION("equal keys in different objects are fine") {
        CHECK(parse("{\"a\": {\"a\": 1}, \"b\": {\"a\": 2}}").diagnostics.empty());
    }
}

TEST_CASE("jsonc: numbers", "[jsonc]") {
    auto doc = parse("[0, -0, 12, 1.25, 1e3, 2E-2, 1e+5, 1.5e400]");
    REQUIRE(doc.diagnostics.empty());
    const auto& items = doc.root->items;
    REQUIRE(items.size() == 8);
    CHECK(items[2].number == 12);
    CHECK(items[3].number == 1.25);
    CHECK_FALSE(items[3].is_integer());
    CHECK(items[4].number == 1000);
    CHECK(items[5].number == Approx(0.02));
    CHECK(items[6].number == 100000);  // tree-sitter-json splits "1e+5"; the parser glues it back
    CHECK(show(items[6].range) == "0:29-0:33");
    CHECK(items[7].number == std::numeric_limits<double>::infinity());
    CHECK(parse("[1.]").diagnostics.size() == 1);
}

TEST_CASE("jsonc: CRLF line endings and a byte order mark", "[jsonc]") {
    auto doc = parse("\xEF\xBB\xBF{\r\n  \"a\": 1\r\n}\r\n");
    REQUIRE(doc.diagnostics.empty());
    CHECK(show(doc.root->members[0].key_range) == "1:2-1:5");
    CHECK(show(doc.root->range) == "0:1-2:1");  // the BOM is one UTF-16 unit
}

TEST_CASE("jsonc: never throws, whatever the input", "[jsonc]") {
    std::mt19937 rng(12345);
    const std::string alphabet = "{}[],:\"\\/*tfn0123456789.-+eE \n\tabcu'\x80\xC3\xA9\xF0";
    for (int round = 0; round < 3000; ++round) {
        std::string text;
        size_t length = rng() % 60;
        for (size_t i = 0; i < length; ++i) text += alphabet[rng() % alphabet.size()];
        CHECK_NOTHROW(parse(text));
    }
    CHECK_NOTHROW(parse(std::string(200000, '[')));
    CHECK_NOTHROW(parse(std::string(5000, '[') + std::string(5000, ']')));
    std::string deep_objects;
    for (int i = 0; i < 2000; ++i) deep_objects += "{\"a\":";
    CHECK_NOTHROW(parse(deep_objects));
    auto too_deep = parse(std::string(200000, '['));
    CHECK_FALSE(too_deep.diagnostics.empty());
}

// Its speed is bench/features_bench's to measure.
TEST_CASE("jsonc: a 500-line document parses", "[jsonc]") {
    SourceText source(envbuilder::testing::big_jsonc_document());
    auto doc = jsonc::parse(source);
    CHECK(doc.diagnostics.empty());
    REQUIRE(doc.root);
    CHECK(doc.root->members.size() == 497);
}

TEST_CASE("jsonc: the fast route and tree-sitter build the same tree", "[jsonc]") {
    check_both_routes_agree(
        R"({"s": "x", "n": -1.5e2, "t": true, "f": false, "z": null, "a": [1, {}]})");
    check_both_routes_agree(
        "// c\n{\r\n  \"é😀\": \"\\u00e9\\ud83d\\ude00\\n\", /* x\n y */ \"b\": [ ]\n}\n");
    check_both_routes_agree("\xEF\xBB\xBF{\"a\": 1e+5, \"a\": 0.5E-3}");
    check_both_routes_agree("[1, 2,]");
    check_both_routes_agree("{\"a\": \"tab\there\"}");
    check_both_routes_agree("[1.]");
    check_both_routes_agree("[01]");
    check_both_routes_agree("[truex]");
    check_both_routes_agree("  ");
    check_both_routes_agree("{} // end");
    check_both_routes_agree("{} /* open");

    // Random documents built from JSON pieces, mostly valid, sometimes not.
    std::mt19937 rng(4242);
    const std::vector<std::string> atoms = {"0",
                                            "-12",
                                            "3.5",
                                            "1e+5",
                                            "2E-7",
                                            "true",
                                            "false",
                                            "null",
                                            "\"\"",
                                            "\"text\"",
                                            "\"é😀\"",
                                            "\"\\\"\\\\\\u0041\"",
                                            "\"${localEnv:HOME}\""};
    const std::vector<std::string> gaps = {"",           " ",          "\n", "\r\n  ",
                                           " // note\n", "/* a\nb */", "\t"};
    auto gap = [&] { return gaps[rng() % gaps.size()]; };
    std::function<std::string(int)> value = [&](int depth) -> std::string {
        unsigned pick = rng() % (depth > 3 ? 1 : 3);
        if (pick == 0) return atoms[rng() % atoms.size()];
        size_t n = rng() % 4;
        std::string out = pick == 1 ? "[" : "{";
        for (size_t i = 0; i < n; ++i) {
            if (i) out += ",";
            out += gap();
            if (pick == 2) out += "\"k" + std::to_string(rng() % 3) + "\"" + gap() + ":" + gap();
            out += value(depth + 1) + gap();
        }
        if (n && rng() % 8 == 0) out += ",";  // now and then a trailing comma
        return out + (pick == 1 ? "]" : "}");
    };
    for (int round = 0; round < 400; ++round) check_both_routes_agree(gap() + value(0) + gap());

    // And random garbage: whatever the fast route accepts, tree-sitter must read the same way.
    const std::string alphabet = "{}[],:\"\\/*tfn0123456789.-+eE \n\tabu'\xC3\xA9";
    for (int round = 0; round < 1500; ++round) {
        std::string text;
        size_t length = rng() % 30;
        for (size_t i = 0; i < length; ++i) text += alphabet[rng() % alphabet.size()];
        check_both_routes_agree(text);
    }
}
