// devcontainer.json editor features together: robustness and speed (engine/language/devcontainer/),
// with exact ranges (0-based line, UTF-16 column), on valid and half-typed JSON.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <string>

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

TEST_CASE("a 500-line config is handled quickly", "[devcontainer-features]") {
    std::string text = "{\n  \"name\": \"big\",\n  \"containerEnv\": {\n";
    for (int i = 0; i < 500; ++i)
        text += "    \"VAR_" + std::to_string(i) + "\": \"${localEnv:HOME}/value/" +
                std::to_string(i) + "\",\n";
    text += "    \"LAST\": \"x\"\n  },\n  \"image\": \"x\",\n  \n}\n";
    SourceText src(text);
    const uint32_t blank = src.line_count() - 3;
    auto start = std::chrono::steady_clock::now();
    constexpr int kRounds = 20;
    for (int i = 0; i < kRounds; ++i) {
        CHECK(devcontainer_hover(src, {250, 25}));
        CHECK_FALSE(devcontainer_complete(src, {blank, 2}).empty());
        CHECK(devcontainer_symbols(src).size() == 3);
    }
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    // Generous enough for Debug and sanitizer builds; still catches quadratic behaviour.
    CHECK(elapsed.count() < 2000);
}
