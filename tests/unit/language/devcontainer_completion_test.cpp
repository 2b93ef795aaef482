// devcontainer.json completion (engine/language/devcontainer/), with exact ranges (0-based line,
// UTF-16 column), on valid and half-typed JSON.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <string>

#include "devcontainer_features_support.h"

using namespace envbuilder;
using namespace envbuilder::language;
using namespace envbuilder::testing;

TEST_CASE("completion offers missing top-level properties with value snippets",
          "[devcontainer-features]") {
    const std::string doc = "{\n  \"image\": \"x\",\n  |\n}";
    auto items = complete_at(doc);
    auto names = labels(items);
    CHECK(has(names, "name"));
    CHECK(has(names, "build"));
    CHECK_FALSE(has(names, "image"));    // already there
    CHECK_FALSE(has(names, "appPort"));  // deprecated
    CHECK_FALSE(has(names, "dockerFile"));
    REQUIRE(item(items, "name"));
    CHECK(item(items, "name")->range == R(2, 2, 2, 2));
    CHECK(item(items, "name")->insert_text == "\"name\": \"$1\"");
    CHECK(item(items, "name")->is_snippet);
    CHECK(item(items, "name")->kind == CompletionKind::Property);
    CHECK(item(items, "name")->detail == "string");
    CHECK(item(items, "build")->insert_text == "\"build\": {$1}");
    CHECK(item(items, "runArgs")->insert_text == "\"runArgs\": [$1]");
    CHECK(item(items, "init")->insert_text == "\"init\": ${1|true,false|}");
    CHECK(item(items, "shutdownAction")->insert_text ==
          "\"shutdownAction\": \"${1|none,stopContainer,stopCompose|}\"");
    CHECK(item(items, "$schema")->insert_text == "\"\\$schema\": \"$1\"");
}

TEST_CASE("completion inside an unterminated key string", "[devcontainer-features]") {
    const std::string doc = "{ \"im|";
    auto items = complete_at(doc);
    auto image = item(items, "image");
    REQUIRE(image);
    // The range is what was typed inside the quotes; the closing quote is supplied.
    CHECK(image->range == R(0, 3, 0, 5));
    CHECK(applied(doc, *image) == "{ \"image\": \"$1\"");

    // Nested, with a sibling already present and the rest of the document still below.
    const std::string nested =
        "{\n  \"build\": { \"context\": \"..\", \"do|\n  \"image\": \"x\"\n}";
    auto build_items = complete_at(nested);
    auto names = labels(build_items);
    CHECK(has(names, "dockerfile"));
    CHECK(has(names, "target"));
    CHECK_FALSE(has(names, "context"));
    CHECK_FALSE(has(names, "name"));  // not a build property
    REQUIRE(item(build_items, "dockerfile"));
    CHECK(item(build_items, "dockerfile")->range == R(1, 31, 1, 33));
}

TEST_CASE("completion in a complete key string replaces its text only", "[devcontainer-features]") {
    const std::string doc = "{ \"im|ag\": \"x\" }";
    auto image_items = complete_at(doc);
    auto image = item(image_items, "image");
    REQUIRE(image);
    CHECK(image->range == R(0, 3, 0, 7));
    CHECK(image->insert_text == "image");  // the colon and value are there already
    CHECK_FALSE(image->is_snippet);
    CHECK(applied(doc, *image) == "{ \"image\": \"x\" }");

    const std::string no_colon = "{ \"na|\" }";
    auto name_items = complete_at(no_colon);
    auto name = item(name_items, "name");
    REQUIRE(name);
    CHECK(applied(no_colon, *name) == "{ \"name\": \"$1\" }");
}

TEST_CASE("completion without an opening quote and after trailing or missing commas",
          "[devcontainer-features]") {
    const std::string bare = "{ \"name\": \"x\", wa| }";
    auto wait_items = complete_at(bare);
    auto wait = item(wait_items, "waitFor");
    REQUIRE(wait);
    CHECK(wait->range == R(0, 15, 0, 17));
    CHECK(applied(bare, *wait) ==
          "{ \"name\": \"x\", \"waitFor\": \"${1|initializeCommand,onCreateCommand,"
          "updateContentCommand,postCreateCommand,postStartCommand|}\" }");

    auto trailing = labels(complete_at("{ \"name\": \"x\", |"));
    CHECK(has(trailing, "image"));
    CHECK_FALSE(has(trailing, "name"));

    auto missing_comma = complete_at("{\n  \"name\": \"x\"\n  \"ru|\n}");
    CHECK(has(labels(missing_comma), "runArgs"));
    CHECK_FALSE(has(labels(missing_comma), "name"));
}

TEST_CASE("completion of keys in nested property objects", "[devcontainer-features]") {
    auto host = labels(complete_at("{ \"hostRequirements\": { \"cpus\": 2, | } }"));
    CHECK(host == std::vector<std::string>{"memory", "storage", "gpu"});

    auto gpu = labels(complete_at("{ \"hostRequirements\": { \"gpu\": { \"| } } }"));
    CHECK(gpu == std::vector<std::string>{"cores", "memory"});

    auto port =
        labels(complete_at("{ \"portsAttributes\": { \"3000\": { \"label\": \"a\", | } } }"));
    CHECK(has(port, "onAutoForward"));
    CHECK(has(port, "protocol"));
    CHECK_FALSE(has(port, "label"));

    // Keys of portsAttributes itself are port patterns, not properties.
    CHECK(complete_at("{ \"portsAttributes\": { | } }").empty());
    CHECK(has(labels(complete_at("{ \"otherPortsAttributes\": { | } }")), "requireLocalPort"));
    CHECK(has(labels(complete_at("{ \"mounts\": [ { \"source\": \"a\", | } ] }")), "type"));
    // Free-form objects get nothing.
    CHECK(complete_at("{ \"containerEnv\": { | } }").empty());
    CHECK(complete_at("{ \"customizations\": { \"vscode\": { | } } }").empty());
}

TEST_CASE("completion of enum values with and without the opening quote",
          "[devcontainer-features]") {
    const std::string open = "{ \"shutdownAction\": \"st|";
    auto items = complete_at(open);
    CHECK(labels(items) == std::vector<std::string>{"none", "stopContainer", "stopCompose"});
    REQUIRE(item(items, "stopCompose"));
    CHECK(item(items, "stopCompose")->range == R(0, 21, 0, 23));
    CHECK(item(items, "stopCompose")->kind == CompletionKind::Value);
    CHECK(applied(open, *item(items, "stopCompose")) == "{ \"shutdownAction\": \"stopCompose\"");

    const std::string closed = "{ \"shutdownAction\": \"st|op\" }";
    auto stop_items = complete_at(closed);
    auto stop = item(stop_items, "stopContainer");
    REQUIRE(stop);
    CHECK(stop->range == R(0, 21, 0, 25));
    CHECK(applied(closed, *stop) == "{ \"shutdownAction\": \"stopContainer\" }");

    const std::string unquoted = "{ \"userEnvProbe\": |";
    auto probe_items = complete_at(unquoted);
    auto probe = item(probe_items, "loginShell");
    REQUIRE(probe);
    CHECK(probe->range == R(0, 18, 0, 18));
    CHECK(applied(unquoted, *probe) == "{ \"userEnvProbe\": \"loginShell\"");

    auto protocol =
        labels(complete_at("{ \"portsAttributes\": { \"8080\": { \"protocol\": \"|\" } } }"));
    CHECK(protocol == std::vector<std::string>{"http", "https"});
    auto other = labels(complete_at("{ \"otherPortsAttributes\": { \"onAutoForward\": \"|\" } }"));
    CHECK(has(other, "openPreview"));
    CHECK_FALSE(has(other, "openBrowserOnce"));  // only for specific ports
    auto mount = labels(complete_at("{ \"mounts\": [ { \"type\": \"| } ] }"));
    CHECK(mount == std::vector<std::string>{"bind", "volume"});
    auto wait = labels(complete_at("{ \"waitFor\": \"|\" }"));
    CHECK(has(wait, "postCreateCommand"));

    const std::string boolean = "{ \"init\": t| }";
    auto yes_items = complete_at(boolean);
    auto yes = item(yes_items, "true");
    REQUIRE(yes);
    CHECK(applied(boolean, *yes) == "{ \"init\": true }");
    // A free string value has nothing to offer.
    CHECK(complete_at("{ \"image\": \"|\" }").empty());
}

TEST_CASE("completion of well-known feature ids", "[devcontainer-features]") {
    const std::string doc =
        "{\n  \"features\": {\n    \"ghcr.io/devcontainers/features/node:1\": {},\n    \"|\n  }\n}";
    auto items = complete_at(doc);
    auto names = labels(items);
    CHECK(names.size() == 21);
    CHECK(has(names, "ghcr.io/devcontainers/features/common-utils:2"));
    CHECK(has(names, "ghcr.io/devcontainers/features/docker-in-docker:2"));
    CHECK(has(names, "ghcr.io/devcontainers/features/python:1"));
    CHECK_FALSE(has(names, "ghcr.io/devcontainers/features/node:1"));  // already there
    auto go = item(items, "ghcr.io/devcontainers/features/go:1");
    REQUIRE(go);
    CHECK(go->range == R(3, 5, 3, 5));
    CHECK(go->kind == CompletionKind::Reference);
    CHECK(go->insert_text == "ghcr.io/devcontainers/features/go:1\": {$1}");
    CHECK(contains(go->documentation, "src/go"));

    // Feature options are not completed from the property table.
    CHECK(complete_at("{ \"features\": { \"ghcr.io/devcontainers/features/go:1\": { | } } }")
              .empty());
}

TEST_CASE("completion of ${ variables inside strings", "[devcontainer-features]") {
    const std::string doc = "{ \"workspaceFolder\": \"/w/${loc|";
    auto items = complete_at(doc);
    CHECK(labels(items) ==
          std::vector<std::string>{"localEnv", "containerEnv", "localWorkspaceFolder",
                                   "containerWorkspaceFolder", "localWorkspaceFolderBasename",
                                   "containerWorkspaceFolderBasename", "devcontainerId"});
    auto env = item(items, "localEnv");
    REQUIRE(env);
    CHECK(env->range == R(0, 27, 0, 30));
    CHECK(env->insert_text == "localEnv:${1:NAME}}");
    CHECK(env->is_snippet);
    CHECK(env->kind == CompletionKind::Variable);
    auto folder = item(items, "localWorkspaceFolder");
    REQUIRE(folder);
    CHECK(applied(doc, *folder) == "{ \"workspaceFolder\": \"/w/${localWorkspaceFolder}");

    // With the brace already closed, the whole name is replaced and no brace is added.
    const std::string closed = "{ \"mounts\": [\"source=${loc|alW},target=/x\"] }";
    auto again_items = complete_at(closed);
    auto again = item(again_items, "localWorkspaceFolder");
    REQUIRE(again);
    CHECK(again->range == R(0, 23, 0, 29));
    CHECK(applied(closed, *again) ==
          "{ \"mounts\": [\"source=${localWorkspaceFolder},target=/x\"] }");

    // Past the name or after a closed reference there is nothing to add.
    CHECK(complete_at("{ \"name\": \"${localEnv:HO|\" }").empty());
    CHECK(complete_at("{ \"name\": \"${devcontainerId} |\" }").empty());
}

TEST_CASE("completion counts UTF-16 columns and stays quiet where it should",
          "[devcontainer-features]") {
    const std::string doc = "{ \"name\": \"日本🚀\", \"ima|";
    auto image_items = complete_at(doc);
    auto image = item(image_items, "image");
    REQUIRE(image);
    CHECK(image->range == R(0, 19, 0, 22));
    CHECK(applied(doc, *image) == "{ \"name\": \"日本🚀\", \"image\": \"$1\"");

    CHECK(complete_at("{ // a comment | \n}").empty());
    CHECK(complete_at("{ /* \"na| */ }").empty());
    CHECK(complete_at("|{ }").empty());
    CHECK(complete_at("{ } |").empty());
    CHECK(complete_at("{ \"image\" | }").empty());  // a colon is due, not a name
    CHECK(complete_at("|").empty());
    // A position past the end of a line clamps to it.
    SourceText src("{ \"na\n}");
    auto items = devcontainer_complete(src, {0, 99});
    REQUIRE(item(items, "name"));
    CHECK(item(items, "name")->range == R(0, 3, 0, 5));
}
