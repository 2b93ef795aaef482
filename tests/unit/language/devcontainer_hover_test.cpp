// devcontainer.json hover (engine/language/devcontainer/), with exact ranges (0-based line,
// UTF-16 column), on valid and half-typed JSON.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <string>

#include "devcontainer_features_support.h"

using namespace envbuilder;
using namespace envbuilder::language;
using namespace envbuilder::testing;

TEST_CASE("hover on a top-level property after non-ASCII text counts UTF-16 columns",
          "[devcontainer-features]") {
    SourceText src(kConfig);
    // `  "name": "日本🚀", ` is 24 bytes but 18 UTF-16 units before "image".
    auto h = devcontainer_hover(src, {2, 20});
    REQUIRE(h);
    CHECK(h->range == R(2, 18, 2, 25));
    CHECK(contains(h->markdown, "**`image`** — `string`"));
    CHECK(contains(h->markdown, "Image to create the container from"));
    CHECK_FALSE(contains(h->markdown, "Deprecated"));
    // The key's closing quote still counts as the key.
    CHECK(devcontainer_hover(src, {2, 25}));
}

TEST_CASE("hover on nested properties shows their path", "[devcontainer-features]") {
    SourceText src(kConfig);
    auto dockerfile = devcontainer_hover(src, {3, 14});
    REQUIRE(dockerfile);
    CHECK(dockerfile->range == R(3, 13, 3, 25));
    CHECK(contains(dockerfile->markdown, "**`build.dockerfile`** — `string`"));

    auto on_auto_forward = devcontainer_hover(src, {10, 34});
    REQUIRE(on_auto_forward);
    CHECK(on_auto_forward->range == R(10, 33, 10, 48));
    CHECK(contains(on_auto_forward->markdown, "`portsAttributes.3000.onAutoForward`"));
    CHECK(contains(on_auto_forward->markdown,
                   "Allowed values: `notify`, `openBrowser`, `openBrowserOnce`, `openPreview`, "
                   "`silent`, `ignore`"));

    auto cores = devcontainer_hover(src, {11, 35});
    REQUIRE(cores);
    CHECK(contains(cores->markdown, "`hostRequirements.gpu.cores`"));
    CHECK(contains(cores->markdown, "`integer ≥ 1`"));

    auto mount_type = devcontainer_hover(src, {12, 17});
    REQUIRE(mount_type);
    CHECK(mount_type->range == R(12, 16, 12, 22));
    CHECK(contains(mount_type->markdown, "`mounts[].type`"));
    CHECK(contains(mount_type->markdown, "`bind`, `volume`"));
}

TEST_CASE("hover on deprecated and enum properties", "[devcontainer-features]") {
    SourceText src(kConfig);
    auto app_port = devcontainer_hover(src, {13, 4});
    REQUIRE(app_port);
    CHECK(app_port->range == R(13, 2, 13, 11));
    CHECK(contains(app_port->markdown, "**Deprecated:** use `forwardPorts` instead."));

    auto shutdown = devcontainer_hover(src, {14, 3});
    REQUIRE(shutdown);
    CHECK(contains(shutdown->markdown, "Allowed values: `none`, `stopContainer`, `stopCompose`"));
}

TEST_CASE("hover on feature ids tells their kind", "[devcontainer-features]") {
    SourceText src(kConfig);
    auto oci = devcontainer_hover(src, {5, 10});
    REQUIRE(oci);
    CHECK(oci->range == R(5, 4, 5, 43));
    CHECK(contains(oci->markdown, "OCI reference"));
    CHECK(contains(oci->markdown,
                   "registry `ghcr.io`, namespace `devcontainers/features`, name "
                   "`node`, version `1`"));
    CHECK(contains(oci->markdown, "Features are reusable install units"));

    auto local = devcontainer_hover(src, {6, 6});
    REQUIRE(local);
    CHECK(contains(local->markdown, "Local feature"));
    auto tarball = devcontainer_hover(src, {7, 6});
    REQUIRE(tarball);
    CHECK(contains(tarball->markdown, "Tarball URL"));
    auto bad = devcontainer_hover(src, {8, 6});
    REQUIRE(bad);
    CHECK(contains(bad->markdown, "Not a valid feature id"));

    // A feature's options are the feature's business, not the table's.
    CHECK_FALSE(devcontainer_hover(src, {5, 50}));
}

TEST_CASE("hover on ${...} variables in strings", "[devcontainer-features]") {
    SourceText src(kConfig);
    auto home = devcontainer_hover(src, {3, 60});
    REQUIRE(home);
    CHECK(home->range == R(3, 57, 3, 73));
    CHECK(contains(home->markdown, "**`${localEnv:HOME}`**"));
    CHECK(contains(home->markdown, "Reads `HOME`. An environment variable of the host"));
    CHECK(contains(home->markdown, "environment variable of the host"));

    auto base = devcontainer_hover(src, {16, 30});
    REQUIRE(base);
    CHECK(base->range == R(16, 25, 16, 60));
    CHECK(contains(base->markdown, "Last path component of containerWorkspaceFolder"));

    SourceText other(
        R"({ "remoteEnv": { "A": "${devcontainerId}-${bogus}-${containerEnv:P:x}" } })");
    auto id = devcontainer_hover(other, {0, 25});
    REQUIRE(id);
    CHECK(id->range == R(0, 23, 0, 40));
    CHECK(contains(id->markdown, "survives rebuilds"));
    auto bogus = devcontainer_hover(other, {0, 44});
    REQUIRE(bogus);
    CHECK(contains(bogus->markdown, "Not a variable"));
    auto env = devcontainer_hover(other, {0, 55});
    REQUIRE(env);
    CHECK(contains(env->markdown, "Reads `P`, with default `x`."));
    // Between the references (a position names the character after it), and outside strings, there
    // is nothing to say.
    CHECK_FALSE(devcontainer_hover(other, {0, 40}));
    CHECK_FALSE(devcontainer_hover(SourceText(R"({ "x": 1 })"), {0, 4}));
}

TEST_CASE("hover says nothing about unknown keys, values or broken text",
          "[devcontainer-features]") {
    SourceText src(kConfig);
    CHECK_FALSE(devcontainer_hover(src, {2, 12}));   // the value of "name"
    CHECK_FALSE(devcontainer_hover(src, {1, 10}));   // a comment
    CHECK_FALSE(devcontainer_hover(src, {15, 26}));  // a named lifecycle command
    CHECK_FALSE(devcontainer_hover(SourceText(R"({ "nope": 1 })"), {0, 4}));
    CHECK_FALSE(devcontainer_hover(SourceText(""), {0, 0}));
    // The parser's recovery keeps what it can: the hover still works before the damage.
    auto h = devcontainer_hover(SourceText("{ \"init\": true, \"image\": \n"), {0, 4});
    REQUIRE(h);
    CHECK(contains(h->markdown, "`init`"));
}
