#include <catch2/catch.hpp>

#include "executor/instructions/instructions.h"
#include "fake_stage_context.h"

using namespace envbuilder::executor;
using namespace envbuilder::executor::testing;

TEST_CASE("FROM: the base and --platform expanded with the global ARGs", "[executor][from]") {
    FakeStageContext ctx;
    StageState globals;
    globals.args = {{"BASE", "debian:bookworm"}, {"BUILDPLATFORM", "linux/arm64"}};
    auto parsed = parse_instruction("FROM --platform=$BUILDPLATFORM ${BASE} AS build");
    auto named = instructions::from(ctx, globals, parsed.ins(), parsed.df.stages.at(0).base);
    CHECK(named.base == "debian:bookworm");
    REQUIRE(named.platform);
    CHECK(named.platform->str() == "linux/arm64/v8");
    auto plain = parse_instruction("FROM scratch");
    CHECK(!instructions::from(ctx, globals, plain.ins(), "scratch").platform);
    auto bad = parse_instruction("FROM --platform=linux/ busybox");
    // Read by lint's parser (syntax/commands/from_command.h) before the registry layer's.
    CHECK_THROWS_WITH(instructions::from(ctx, globals, bad.ins(), "busybox"),
                      Catch::Contains("empty part in platform 'linux/'"));
    // A platform from a variable is read after expansion, by the same parser.
    globals.args["P"] = "linux/amd64/v1/x";
    auto expanded = parse_instruction("FROM --platform=$P busybox");
    CHECK_THROWS_WITH(instructions::from(ctx, globals, expanded.ins(), "busybox"),
                      Catch::Contains("too many '/'-separated parts in platform"));
}
