// devcontainer.json editor features together: robustness and speed (engine/language/devcontainer/),
// with exact ranges (0-based line, UTF-16 column), on valid and half-typed JSON.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "big_documents.h"
#include "devcontainer_features_support.h"

using namespace envbuilder;
using namespace envbuilder::language;
using namespace envbuilder::testing;

TEST_CASE("every feature answers at every position of valid and broken configs",
          "[devcontainer-features]") {
    const std::vector<std::string> texts = {
        kConfig,
        "{ \"build\": { \"do",
        "{ \"a\": [ } ] } { \"x\"",
        "{\"\\",
        "{ \"name\": \"${",
        "{ \"name\": \"${}\" , , : : \"features\": { \"x\": ",
        "/* open comment { \"name\"",
        "}}]]{[\"",
        "{ \"features\": { \"ghcr.io/x/y:1\" \"ghcr.io/x/z\": [ {",
    };
    for (const std::string& text : texts) {
        SourceText src(text);
        for (uint32_t line = 0; line <= src.line_count(); ++line) {
            for (uint32_t col = 0; col <= src.line(std::min(line, src.line_count() - 1)).size() + 1;
                 ++col) {
                (void)devcontainer_hover(src, {line, col});
                for (const auto& i : devcontainer_complete(src, {line, col})) {
                    CHECK(i.range.start <= i.range.end);
                    CHECK(i.range.start.line == i.range.end.line);
                }
            }
        }
        (void)devcontainer_symbols(src);
    }
}

// Its speed is bench/features_bench's to measure.
TEST_CASE("a 500-line config: hover, completion and symbols", "[devcontainer-features]") {
    SourceText src(big_devcontainer_document());
    const uint32_t blank = src.line_count() - 3;
    CHECK(devcontainer_hover(src, {250, 25}));
    CHECK_FALSE(devcontainer_complete(src, {blank, 2}).empty());
    CHECK(devcontainer_symbols(src).size() == 3);
}
