// Real-world-shaped Dockerfiles under tests/corpus/dockerfiles, each with the findings it must
// produce: `<name>.expected` lists "line:Code" (1-based line) for every diagnostic, no more, no less.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "lint_test_support.h"

namespace fs = std::filesystem;

namespace {
std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}
}  // namespace

TEST_CASE("Dockerfile corpus produces exactly the expected findings", "[corpus]") {
    fs::path dir = fs::path(ENVBUILDER_SOURCE_DIR) / "tests/corpus/dockerfiles";
    size_t files = 0;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.path().extension() != ".Dockerfile") continue;
        ++files;
        envbuilder::LintOptions options;
        options.context_dir = dir;
        options.dockerfile_path = entry.path();
        auto found = envbuilder::testing::lint_text(read(entry.path()), options);
        std::vector<std::string> actual;
        for (const auto& d : found) actual.push_back(std::to_string(d.range.start.line + 1) + ":" + d.code);
        std::vector<std::string> expected;
        std::istringstream lines(read(fs::path(entry.path()).replace_extension(".expected")));
        for (std::string line; std::getline(lines, line);)
            if (!line.empty()) expected.push_back(line);
        std::sort(actual.begin(), actual.end());
        std::sort(expected.begin(), expected.end());
        INFO(entry.path().filename().string());
        for (const auto& d : found)
            INFO(std::to_string(d.range.start.line + 1) + ":" + d.code + " " + d.message);
        CHECK(actual == expected);
    }
    CHECK(files >= 6);
}
