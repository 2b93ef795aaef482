// devcontainer.json document symbols (engine/language/devcontainer/), with exact ranges (0-based
// line, UTF-16 column), on valid and half-typed JSON.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <string>

#include "devcontainer_features_support.h"

using namespace envbuilder;
using namespace envbuilder::language;
using namespace envbuilder::testing;

TEST_CASE("document symbols: one per top-level property, objects nested",
          "[devcontainer-features]") {
    SourceText src(
        "{\n"
        "  \"name\": \"日本🚀\",\n"
        "  \"build\": {\n"
        "    \"dockerfile\": \"Dockerfile\"\n"
        "  },\n"
        "  \"features\": {\n"
        "    \"ghcr.io/devcontainers/features/node:1\": {}\n"
        "  },\n"
        "  \"runArgs\": [\"--init\", \"-e\"],\n"
        "  \"postCreateCommand\": { \"a\": \"x\", \"b\": [\"y\"] }, \"init\": true\n"
        "}\n");
    auto symbols = devcontainer_symbols(src);
    REQUIRE(symbols.size() == 6);
    CHECK(symbols[0].name == "name");
    CHECK(symbols[0].detail == "日本🚀");
    CHECK(symbols[0].kind == SymbolKind::Directive);
    CHECK(symbols[0].range == R(1, 2, 1, 16));
    CHECK(symbols[0].selection_range == R(1, 2, 1, 8));

    CHECK(symbols[1].name == "build");
    CHECK(symbols[1].range == R(2, 2, 4, 3));
    CHECK(symbols[1].selection_range == R(2, 2, 2, 9));
    REQUIRE(symbols[1].children.size() == 1);
    CHECK(symbols[1].children[0].name == "dockerfile");
    CHECK(symbols[1].children[0].detail == "Dockerfile");
    CHECK(symbols[1].children[0].range == R(3, 4, 3, 30));

    REQUIRE(symbols[2].children.size() == 1);
    CHECK(symbols[2].children[0].name == "ghcr.io/devcontainers/features/node:1");
    CHECK(symbols[2].children[0].range == R(6, 4, 6, 47));
    CHECK(symbols[2].children[0].children.empty());

    CHECK(symbols[3].name == "runArgs");
    CHECK(symbols[3].detail == "2 items");
    CHECK(symbols[3].children.empty());

    CHECK(symbols[4].name == "postCreateCommand");
    CHECK(symbols[4].range == R(9, 2, 9, 47));
    REQUIRE(symbols[4].children.size() == 2);
    CHECK(symbols[4].children[1].name == "b");
    CHECK(symbols[4].children[1].selection_range == R(9, 35, 9, 38));

    CHECK(symbols[5].name == "init");
    CHECK(symbols[5].detail == "true");
    CHECK(symbols[5].range == R(9, 49, 9, 61));

    CHECK(devcontainer_symbols(SourceText("")).empty());
    CHECK(devcontainer_symbols(SourceText("[1, 2]")).empty());
    CHECK(devcontainer_symbols(SourceText("[{ \"image\": \"x\" }]")).empty());
    // Whatever follows the root object is not part of it.
    CHECK(devcontainer_symbols(SourceText("// c\n{ \"a\": 1 } { \"b\": 2 }")).size() == 1);
    // Broken text: the members the parser recovered are still listed.
    // Broken text: unclosed members end where the text ends, a dangling key is a symbol too.
    auto broken = devcontainer_symbols(SourceText("{ \"image\": \"x\" \"build\": { \"do"));
    REQUIRE(broken.size() == 2);
    CHECK(broken[0].name == "image");
    CHECK(broken[1].name == "build");
    CHECK(broken[1].range == R(0, 15, 0, 29));
    REQUIRE(broken[1].children.size() == 1);
    CHECK(broken[1].children[0].name == "do");
    CHECK(broken[1].children[0].range == R(0, 26, 0, 29));
}
