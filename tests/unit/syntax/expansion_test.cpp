#include <catch2/catch.hpp>

#include <map>

#include "syntax/expansion.h"

using namespace envbuilder::dockerfile;

namespace {
Expansion run(std::string_view text, std::map<std::string, std::string> env = {}) {
    VariableLookup lookup = [&env](std::string_view name) -> const std::string* {
        auto it = env.find(std::string(name));
        return it == env.end() ? nullptr : &it->second;
    };
    return expand(text, lookup);
}
}  // namespace

TEST_CASE("plain and braced variables", "[expansion]") {
    CHECK(run("$A-${A}x", {{"A", "1"}}).value == "1-1x");
    CHECK(run("a$", {}).value == "a$");
    CHECK(run("$-x", {}).value == "$-x");
    auto r = run("$MISSING/${ALSO}", {});
    CHECK(r.value == "/");
    CHECK(r.unset == std::vector<std::string>{"MISSING", "ALSO"});
}

TEST_CASE("POSIX modifiers distinguish unset from empty", "[expansion]") {
    std::map<std::string, std::string> env{{"E", ""}, {"S", "set"}};
    CHECK(run("${E:-d}", env).value == "d");
    CHECK(run("${E-d}", env).value == "");
    CHECK(run("${U-d}", env).value == "d");
    CHECK(run("${S:+alt}", env).value == "alt");
    CHECK(run("${E:+alt}", env).value == "");
    CHECK(run("${E+alt}", env).value == "alt");
    CHECK(run("${U+alt}", env).value == "");
    CHECK(run("${S:?boom}", env).value == "set");
    auto err = run("${E:?must be set}", env);
    REQUIRE(err.error);
    CHECK(err.error->message == "E: must be set");
    CHECK(!run("${E?x}", env).error);
    CHECK(run("${U?x}", env).error);
    CHECK(run("${U:-$S}", env).value == "set");
    CHECK(run("${U:-d}", env).unset.empty());
}

TEST_CASE("BuildKit pattern modifiers", "[expansion]") {
    std::map<std::string, std::string> env{{"P", "/usr/local/bin/tool.tar.gz"}};
    CHECK(run("${P#*/}", env).value == "usr/local/bin/tool.tar.gz");
    CHECK(run("${P##*/}", env).value == "tool.tar.gz");
    CHECK(run("${P%.*}", env).value == "/usr/local/bin/tool.tar");
    CHECK(run("${P%%.*}", env).value == "/usr/local/bin/tool");
    CHECK(run("${P/local/opt}", env).value == "/usr/opt/bin/tool.tar.gz");
    CHECK(run("${P//\\//:}", env).value == ":usr:local:bin:tool.tar.gz");
}

TEST_CASE("quotes and escapes", "[expansion]") {
    std::map<std::string, std::string> env{{"A", "x y"}};
    auto r = run("'$A' \"$A\" \\$A $A", env);
    CHECK(r.value == "$A x y $A x y");
    CHECK(r.words == std::vector<std::string>{"$A", "x y", "$A", "x", "y"});
    CHECK(run("\"\"", {}).words == std::vector<std::string>{""});
    CHECK(run("'open", {}).error);
    CHECK(run("\"open", {}).error);
}

TEST_CASE("unsupported modifiers are errors", "[expansion]") {
    auto r = run("${A:0:2}", {{"A", "abc"}});
    REQUIRE(r.error);
    CHECK(r.error->message.find("unsupported modifier") != std::string::npos);
    CHECK(run("${A^^}", {}).error);
    CHECK(run("${A", {}).error);
    CHECK(run("${}", {}).error);
}

TEST_CASE("reference scan finds names and positions", "[expansion]") {
    auto scan = scan_variable_references("echo $A ${B:-x} '$C' \"${D}\"");
    REQUIRE(scan.references.size() == 3);
    CHECK(scan.references[0].name == "A");
    CHECK(scan.references[0].begin == 5);
    CHECK(scan.references[0].end == 7);
    CHECK(scan.references[1].name == "B");
    CHECK(scan.references[1].has_default());
    CHECK(scan.references[1].name_begin == 10);
    CHECK(scan.references[2].name == "D");
    CHECK(scan.references[2].braced);
}
