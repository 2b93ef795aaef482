#include <catch2/catch.hpp>

#include "features/feature_options.h"

using namespace envbuilder::features;
using Json = nlohmann::ordered_json;

namespace {

FeatureMetadata python() {
    auto parsed = parse_feature_metadata(R"({"id":"python","version":"1.0.0","options":{
        "version": {"type":"string","enum":["latest","3.10","3.9"],"default":"latest"},
        "pip": {"type":"boolean","default":true},
        "optimize": {"type":"boolean","default":true},
        "toolsPath": {"type":"string","default":"/usr/local/py-utils"},
        "extra": {"type":"string","proposals":["x"]}}})");
    REQUIRE(parsed.metadata);
    return *parsed.metadata;
}

std::string env_of(const ResolvedOptions& r) {
    return features_env_file(r.values);
}

}  // namespace

TEST_CASE("feature options: environment names as the spec substitutes them",
          "[features][feature_options]") {
    CHECK(option_env_name("version") == "VERSION");
    CHECK(option_env_name("installZsh") == "INSTALLZSH");
    CHECK(option_env_name("tools-path") == "TOOLS_PATH");
    CHECK(option_env_name("1st.option") == "_ST_OPTION");
    CHECK(option_env_name("__x") == "_X");
    CHECK(option_env_name("9") == "_");
}

TEST_CASE("feature options: defaults, then the user's values (the spec's example)",
          "[features][feature_options]") {
    auto r = resolve_options(python(), Json::parse(R"({"version":"3.10","pip":false})"), "python");
    CHECK(r.errors.empty());
    CHECK(
        env_of(r) ==
        "VERSION=\"3.10\"\nPIP=\"false\"\nOPTIMIZE=\"true\"\nTOOLSPATH=\"/usr/local/py-utils\"\n");

    auto version_only = resolve_options(python(), Json("3.9"), "python");
    CHECK(version_only.values[0].value == "3.9");
    CHECK(resolve_options(python(), Json::object(), "python").values.size() == 4);
    CHECK(resolve_options(python(), Json(false), "python").excluded);
    auto extra = resolve_options(python(), Json::parse(R"({"extra":"y","pip":"false"})"), "python");
    CHECK(extra.errors.empty());
    CHECK(extra.values.back().id == "extra");
    CHECK(extra.values[1].value == "false");
}

TEST_CASE("feature options: unknown options, wrong types and values outside enum are errors",
          "[features][feature_options]") {
    auto unknown =
        resolve_options(python(), Json::parse(R"({"verison":"3.9"})"), "ghcr.io/x/python:1");
    REQUIRE(unknown.errors.size() == 1);
    CHECK_THAT(unknown.errors[0], Catch::Contains("ghcr.io/x/python:1 has no option \"verison\""));
    CHECK_THAT(unknown.errors[0], Catch::Contains("\"version\", \"pip\""));

    auto outside = resolve_options(python(), Json::parse(R"({"version":"2.7"})"), "python");
    REQUIRE(outside.errors.size() == 1);
    CHECK_THAT(outside.errors[0],
               Catch::Contains("must be one of \"latest\", \"3.10\", \"3.9\", not \"2.7\""));

    auto number = resolve_options(python(), Json::parse(R"({"toolsPath":18})"), "python");
    REQUIRE(number.errors.size() == 1);
    CHECK_THAT(number.errors[0], Catch::Contains("write it in quotes"));

    auto not_bool = resolve_options(python(), Json::parse(R"({"pip":"yes"})"), "python");
    CHECK_THAT(not_bool.errors.at(0), Catch::Contains("takes true or false"));
}

TEST_CASE("feature options: the env file reads back literally in a shell",
          "[features][feature_options]") {
    std::string env = features_env_file({{"a", "A", "say \"hi\" $HOME `id` \\n"}});
    CHECK(env == "A=\"say \\\"hi\\\" \\$HOME \\`id\\` \\\\n\"\n");
}

TEST_CASE("feature options: a version string for a feature without a version option is named",
          "[features][feature_options]") {
    auto parsed = parse_feature_metadata(R"({"id":"x","version":"1"})");
    REQUIRE(parsed.metadata);
    auto r = resolve_options(*parsed.metadata, Json("2"), "x");
    CHECK(r.errors.empty());
    REQUIRE(r.warnings.size() == 1);
    CHECK_THAT(r.warnings[0], Catch::Contains("no \"version\" option"));
}
