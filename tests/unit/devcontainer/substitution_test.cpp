// The devcontainers CLI's ${…} variables, as its replacement rules have them: the shortest
// ${…} from the left, localEnv with its default, workspace folders, the id, others untouched.
#include <catch2/catch.hpp>

#include "devcontainer/substitution.h"

using namespace envbuilder::devcontainer;

namespace {

SubstitutionContext context() {
    SubstitutionContext c;
    c.local_workspace_folder = "/home/me/project";
    c.config_file = "/home/me/project/.devcontainer/devcontainer.json";
    c.container_workspace_folder = "/workspaces/project";
    c.local_env = [](const std::string& name) -> std::optional<std::string> {
        if (name == "USER") return std::string("me");
        if (name == "EMPTY") return std::string();
        return std::nullopt;
    };
    return c;
}

}  // namespace

TEST_CASE("substitution: localEnv, its default and its alias", "[devcontainer][substitution]") {
    auto c = context();
    CHECK(substitute("${localEnv:USER}", c) == "me");
    CHECK(substitute("${env:USER}", c) == "me");
    CHECK(substitute("a-${localEnv:NOPE}-b", c) == "a--b");
    CHECK(substitute("${localEnv:NOPE:fallback}", c) == "fallback");
    CHECK(substitute("${localEnv:NOPE:a:b}", c) == "a");         // the CLI takes the first part
    CHECK(substitute("${localEnv:EMPTY:fallback}", c).empty());  // set but empty: no default
    CHECK_THROWS_AS(substitute("${localEnv}", c), SubstitutionError);
}

TEST_CASE("substitution: folders, the id, and what stays as written",
          "[devcontainer][substitution]") {
    auto c = context();
    CHECK(substitute("${localWorkspaceFolder}/x", c) == "/home/me/project/x");
    CHECK(substitute("${localWorkspaceFolderBasename}", c) == "project");
    CHECK(substitute("${containerWorkspaceFolder}", c) == "/workspaces/project");
    CHECK(substitute("${containerWorkspaceFolderBasename}", c) == "project");
    CHECK(substitute("${containerEnv:PATH}", c) == "${containerEnv:PATH}");  // only a container
    CHECK(substitute("${unknown} ${HOME}", c) == "${unknown} ${HOME}");
    CHECK(substitute("${localWorkspaceFolder:x}", c) == "${localWorkspaceFolder:x}");
    CHECK(substitute("${ unterminated", c) == "${ unterminated");
    // Shortest match: "${a${localEnv:USER}}" is "${a${localEnv:USER}" then "}".
    CHECK(substitute("${a${localEnv:USER}}", c) == "${a${localEnv:USER}}");
    const std::string id = substitute("${devcontainerId}", c);
    // The value the CLI's own hash gives for these two id labels (node, JSON.stringify with
    // sorted keys, sha256, BigInt in base 32, padded to 52).
    CHECK(id == "0e2es6og3jdg1b2jsrd207bkmrel58lonuoltdmegr184l4o50mg");
    CHECK(id == devcontainer_id(c.local_workspace_folder, c.config_file));
    CHECK(id != devcontainer_id("/elsewhere", c.config_file));
}

TEST_CASE("substitution: inside JSON values, not keys", "[devcontainer][substitution]") {
    auto c = context();
    auto j = nlohmann::ordered_json::parse(
        R"({"${localEnv:USER}": ["${localEnv:USER}", 1, {"k": "${localWorkspaceFolderBasename}"}]})");
    substitute_json(j, c);
    CHECK(j.dump() == R"({"${localEnv:USER}":["me",1,{"k":"project"}]})");
}
