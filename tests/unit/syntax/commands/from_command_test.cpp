#include <catch2/catch.hpp>

#include "command_test_support.h"
#include "syntax/commands/from_command.h"

using namespace envbuilder::dockerfile;
using namespace envbuilder::dockerfile::testing;

TEST_CASE("FROM: platform kept as written, image and stage name", "[syntax][commands][from]") {
    auto from =
        parse_from_command(parse_line("FROM --platform=$BUILDPLATFORM golang:1.22 AS build").ins());
    CHECK(from.ok());
    REQUIRE(from.value.platform);
    CHECK(from.value.platform->text == "$BUILDPLATFORM");
    CHECK(from.value.platform->range == columns(16, 30));
    CHECK(from.value.image.text == "golang:1.22");
    REQUIRE(from.value.stage_name);
    CHECK(from.value.stage_name->text == "build");
    const std::string expanded = "linux/arm64/v8", bad = "linux/";
    CHECK(parse_platform_value(*from.value.platform, &expanded).value == "linux/arm64/v8");
    auto wrong = parse_platform_value(*from.value.platform, &bad);
    REQUIRE(wrong.errors.size() == 1);
    CHECK_THAT(wrong.errors[0].message, Catch::StartsWith("empty part in platform 'linux/'"));
    CHECK(wrong.errors[0].range == from.value.platform->range);
}

TEST_CASE("FROM: a bad platform as written, with its range", "[syntax][commands][from]") {
    auto from = parse_from_command(parse_line("FROM --platform=linux/amd64/v8/x busybox").ins());
    REQUIRE(from.errors.size() == 1);
    CHECK(from.errors[0].range == columns(16, 32));
    CHECK_THAT(from.errors[0].message, Catch::StartsWith("too many '/'-separated parts"));
    CHECK(parse_from_command(parse_line("FROM --platform=arm64 busybox").ins()).ok());
    CHECK(!parse_from_command(parse_line("FROM --platform=plan10 busybox").ins()).ok());
}
