#include <catch2/catch.hpp>

#include "features/feature_metadata.h"

using namespace envbuilder::features;

TEST_CASE("feature metadata: every property the spec defines is read",
          "[features][feature_metadata]") {
    auto result = parse_feature_metadata(R"({
        // comments are fine, as the devcontainers CLI reads these files
        "id": "tools", "version": "1.2.0", "name": "Tools", "description": "d",
        "documentationURL": "https://example.com", "keywords": ["k"], "licenseURL": "https://l",
        "options": {
            "version": {"type": "string", "enum": ["latest", "1.0"], "default": "latest", "description": "v"},
            "installZsh": {"type": "boolean", "default": true},
            "flavor": {"type": "string", "proposals": ["a"], "default": ""}
        },
        "containerEnv": {"TOOLS_HOME": "/opt/tools", "PATH": "/opt/tools/bin:${PATH}"},
        "privileged": true, "init": false, "capAdd": ["SYS_PTRACE"], "securityOpt": ["seccomp=unconfined"],
        "entrypoint": "/usr/local/share/start.sh",
        "mounts": [{"type": "volume", "source": "v", "target": "/v"}],
        "customizations": {"vscode": {"extensions": ["x.y"]}},
        "onCreateCommand": "echo hi", "postStartCommand": ["a", "b"],
        "legacyIds": ["old-tools"], "deprecated": true,
        "dependsOn": {"ghcr.io/x/y/common:1": {"user": "dev"}},
        "installsAfter": ["ghcr.io/x/y/git"]
    })");
    REQUIRE(result.metadata);
    CHECK(result.problems.empty());
    const FeatureMetadata& m = *result.metadata;
    CHECK(m.id == "tools");
    CHECK(m.version == "1.2.0");
    REQUIRE(m.options.size() == 3);
    CHECK(m.options[0].enum_values == std::vector<std::string>{"latest", "1.0"});
    CHECK(m.options[1].type == OptionType::Boolean);
    CHECK(m.options[1].default_value == true);
    CHECK(m.options[2].proposals == std::vector<std::string>{"a"});
    REQUIRE(m.container_env.size() == 2);
    CHECK(m.container_env[1].second == "/opt/tools/bin:${PATH}");
    CHECK(m.privileged == true);
    CHECK(m.init == false);
    CHECK(m.cap_add == std::vector<std::string>{"SYS_PTRACE"});
    CHECK(m.mounts.size() == 1);
    CHECK(m.customizations["vscode"]["extensions"][0] == "x.y");
    REQUIRE(m.lifecycle_commands.size() == 2);
    CHECK(m.lifecycle_commands[1].first == "postStartCommand");
    CHECK(m.legacy_ids == std::vector<std::string>{"old-tools"});
    CHECK(m.deprecated);
    REQUIRE(m.depends_on.size() == 1);
    CHECK(m.depends_on[0].second["user"] == "dev");
    CHECK(m.installs_after == std::vector<std::string>{"ghcr.io/x/y/git"});
    CHECK(m.document["keywords"][0] == "k");
}

TEST_CASE("feature metadata: wrong types and missing fields are errors with their place",
          "[features][feature_metadata]") {
    auto result = parse_feature_metadata(
        "{\n  \"id\": \"x\",\n  \"options\": {\"v\": {\"type\": \"number\"}},\n  \"capAdd\": "
        "\"SYS_PTRACE\"\n}");
    CHECK_FALSE(result.metadata);
    std::string text = describe_problems(result, "f/devcontainer-feature.json");
    CHECK_THAT(text, Catch::Contains("f/devcontainer-feature.json:3:"));
    CHECK_THAT(text, Catch::Contains("\"options.v.type\" must be \"string\" or \"boolean\""));
    CHECK_THAT(text, Catch::Contains("\"capAdd\" must be an array of strings, not string"));
    CHECK_THAT(text, Catch::Contains("\"version\" is required"));

    auto bad_default = parse_feature_metadata(
        R"({"id":"x","version":"1","options":{"b":{"type":"boolean","default":"yes"}}})");
    CHECK_FALSE(bad_default.metadata);
    CHECK_THAT(describe_problems(bad_default, "f"), Catch::Contains("must be true or false"));

    auto not_in_enum = parse_feature_metadata(
        R"({"id":"x","version":"1","options":{"v":{"type":"string","enum":["a"],"default":"b"}}})");
    CHECK_FALSE(not_in_enum.metadata);

    CHECK_FALSE(parse_feature_metadata("[1, 2]").metadata);
    CHECK_FALSE(parse_feature_metadata("{\"id\": ").metadata);
    CHECK_FALSE(parse_feature_metadata(std::string("\xff\xfe{", 3)).metadata);
}

TEST_CASE("feature metadata: unknown properties are named, not dropped silently",
          "[features][feature_metadata]") {
    auto result = parse_feature_metadata(
        R"({"id":"x","version":"1","colour":"red","options":{"o":{"type":"string","default":"","hint":"h"}}})");
    REQUIRE(result.metadata);
    REQUIRE(result.problems.size() == 2);
    CHECK(result.problems[0].severity == envbuilder::Severity::Warning);
    CHECK_THAT(result.problems[0].message, Catch::Contains("\"colour\""));
    CHECK_THAT(result.problems[1].message, Catch::Contains("options.o.hint"));
}
