#include <catch2/catch.hpp>

#include <fstream>

#include "context/dockerignore.h"

using namespace envbuilder;
namespace fs = std::filesystem;

TEST_CASE(".dockerignore: patterns, '**', exclusions and comments", "[context][dockerignore]") {
    auto ignore =
        DockerIgnore::parse("# build output\nnode_modules\n**/*.log\n!keep.log\n/dist/\n*.tmp\n");
    CHECK(ignore.excludes("node_modules"));
    CHECK(ignore.excludes("node_modules/x/y.js"));
    CHECK(ignore.excludes("a/b/c.log"));
    CHECK(!ignore.excludes("keep.log"));
    CHECK(ignore.excludes("dist"));
    CHECK(ignore.excludes("x.tmp"));
    CHECK(!ignore.excludes("src/x.tmp"));  // '*' does not cross '/'
    CHECK(!ignore.excludes("src/main.go"));
    CHECK(ignore.has_exclusions());
    CHECK(ignore.patterns().size() == 5);
    CHECK(ignore.patterns()[0].line == 1);
}

TEST_CASE("clean_path and the Dockerfile-specific ignore file", "[context][dockerignore]") {
    CHECK(clean_path("a/./b/../c//") == "a/c");
    CHECK(clean_path("/../x") == "/x");
    CHECK(clean_path("") == ".");
    const fs::path dir =
        fs::temp_directory_path() / ("dockerignore-test-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::ofstream(dir / ".dockerignore") << "general\n";
    CHECK(DockerIgnore::load(dir, dir / "Dockerfile")->excludes("general"));
    std::ofstream(dir / "app.Dockerfile.dockerignore") << "specific\n";
    auto specific = DockerIgnore::load(dir, dir / "app.Dockerfile");
    CHECK(specific->excludes("specific"));
    CHECK(!specific->excludes("general"));
    fs::remove_all(dir / ".dockerignore");
    CHECK(!DockerIgnore::load(dir, dir / "Dockerfile"));
    fs::remove_all(dir);
}
