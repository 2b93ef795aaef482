// The devcontainer.metadata label, shaped as the devcontainers CLI writes it (its LABEL line,
// continuation lines joined): the properties it keeps, their order, and the base image's entries.
#include <catch2/catch.hpp>

#include "features/metadata_label.h"

using namespace envbuilder::features;
using Json = nlohmann::ordered_json;

TEST_CASE("metadata label: a feature's entry is its id and the properties a container needs",
          "[features][metadata]") {
    Json feature = Json::parse(R"({"id":"node","version":"1.2.0","name":"Node",
        "options":{"version":{"type":"string","default":"lts"}},
        "customizations":{"vscode":{"extensions":["dbaeumer.vscode-eslint"]}},
        "containerEnv":{"NVM_DIR":"/usr/local/share/nvm"},
        "mounts":[{"source":"m","target":"/m","type":"volume"}],
        "capAdd":["SYS_PTRACE"],"init":true,"postCreateCommand":"node -v",
        "installsAfter":["x"],"legacyIds":["n"]})");
    // id first, then the CLI's order; options, containerEnv and the rest stay out.
    CHECK(feature_metadata_entry("ghcr.io/devcontainers/features/node:1", feature).dump() ==
          R"({"id":"ghcr.io/devcontainers/features/node:1","postCreateCommand":"node -v",)"
          R"("init":true,"capAdd":["SYS_PTRACE"],"mounts":[{"source":"m","target":"/m",)"
          R"("type":"volume"}],"customizations":{"vscode":{"extensions":)"
          R"(["dbaeumer.vscode-eslint"]}}})");
}

TEST_CASE("metadata label: the configuration's entry keeps what the CLI keeps, in its order",
          "[features][metadata]") {
    Json config = Json::parse(R"({"name":"demo","build":{"dockerfile":"Dockerfile"},
        "remoteUser":"vscode","forwardPorts":[3000],"features":{"a":{}},
        "containerEnv":{"A":"${localEnv:HOME}"},"postCreateCommand":["npm","ci"],
        "hostRequirements":{"cpus":2},"runArgs":["--init"],"waitFor":"postCreateCommand"})");
    // Variables are kept as written: the CLI substitutes them when it reads the label back.
    CHECK(config_metadata_entry(config).dump() ==
          R"({"postCreateCommand":["npm","ci"],"waitFor":"postCreateCommand",)"
          R"("containerEnv":{"A":"${localEnv:HOME}"},"remoteUser":"vscode",)"
          R"("forwardPorts":[3000],"hostRequirements":{"cpus":2}})");
    CHECK(config_metadata_entry(Json::parse(R"({"name":"x"})")).empty());
}

TEST_CASE("metadata label: value spacing, empty entries left out, base entries read",
          "[features][metadata]") {
    std::vector<Json> entries = {Json::parse(R"({"id":"a"})"), Json::object(),
                                 Json::parse(R"({"remoteUser":"x \"q\" $HOME"})")};
    CHECK(metadata_label_value(entries) == R"([ {"id":"a"}, {"remoteUser":"x \"q\" $HOME"} ])");
    CHECK(metadata_label_value({Json::object()}).empty());
    CHECK(metadata_label_value({}).empty());

    auto array = parse_metadata_label(R"([{"remoteUser":"a"},{"id":"f"}])");
    CHECK(array.problem.empty());
    CHECK(array.entries.size() == 2);
    auto object = parse_metadata_label(R"({"remoteUser":"a"})");
    REQUIRE(object.entries.size() == 1);
    CHECK(object.entries[0]["remoteUser"] == "a");
    CHECK(parse_metadata_label("not json").problem == "it is not JSON");
    CHECK(!parse_metadata_label("42").problem.empty());
    CHECK(parse_metadata_label("42").entries.empty());
}
