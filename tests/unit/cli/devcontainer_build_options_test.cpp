// build.options: the docker build flags envbuilder applies, in both spellings; anything else is
// refused by name, with where it is.
#include <catch2/catch.hpp>

#include "cli/devcontainer_build_options.h"

using namespace envbuilder;
using namespace envbuilder::cli;

namespace {

std::vector<devcontainer::Text> texts(std::vector<std::string> values) {
    std::vector<devcontainer::Text> out;
    for (size_t i = 0; i < values.size(); ++i)
        out.push_back({values[i], {{3, static_cast<uint32_t>(10 + i)}, {3, 20}}});
    return out;
}

}  // namespace

TEST_CASE("build.options: the flags that apply, both spellings", "[cli][build_options]") {
    auto o = parse_build_options(
        texts({"--build-arg", "A=1", "--build-arg=B=x=y", "--target=dev", "--label", "k=v",
               "--platform", "linux/arm64", "--no-cache", "--network=none"}),
        "devcontainer.json");
    CHECK(o.build_args == std::map<std::string, std::string>{{"A", "1"}, {"B", "x=y"}});
    CHECK(o.target == "dev");
    CHECK(o.labels == std::map<std::string, std::string>{{"k", "v"}});
    CHECK(o.platform == "linux/arm64");
    CHECK(o.no_cache);
    CHECK(o.network == "none");
}

TEST_CASE("build.options: anything else is refused by name, with its place",
          "[cli][build_options]") {
    CHECK_THROWS_WITH(parse_build_options(texts({"--add-host=db:10.0.0.1"}), "devcontainer.json"),
                      Catch::StartsWith("devcontainer.json:4:11: build.options: "
                                        "\"--add-host=db:10.0.0.1\" is not supported"));
    CHECK_THROWS_WITH(parse_build_options(texts({"--target"}), "f"),
                      Catch::Contains("--target needs a value"));
    CHECK_THROWS_WITH(parse_build_options(texts({"--network", "bridge2"}), "f"),
                      Catch::Contains("--network bridge2 is not supported"));
    CHECK_THROWS_WITH(parse_build_options(texts({"--build-arg", "=1"}), "f"),
                      Catch::Contains("NAME=VALUE"));
    CHECK_THROWS_WITH(parse_build_options(texts({"--no-cache=true"}), "f"),
                      Catch::Contains("takes no value"));
}
