#include <catch2/catch.hpp>

#include "analysis/stage_model.h"
#include "syntax/dockerfile_parser.h"

using namespace envbuilder;

TEST_CASE("stage model: parents, --from and mount dependencies, roots", "[analysis][stage-model]") {
    auto df = dockerfile::parse(
        "ARG BASE=alpine\n"
        "FROM $BASE AS base\n"
        "FROM base AS build\n"
        "RUN --mount=type=bind,from=tools,target=/t true\n"
        "FROM busybox AS tools\n"
        "FROM scratch AS final\n"
        "COPY --from=build /out /out\n"
        "FROM alpine AS unrelated\n");
    StageModel model(df);
    REQUIRE(model.stages().size() == 5);
    CHECK(model.stages()[1].parent == 0u);
    CHECK(model.root(1) == 0);
    CHECK(model.root(3) == 3);
    CHECK(model.depends_on(3, 1));
    CHECK(model.depends_on(3, 0));  // through build's parent
    CHECK(model.depends_on(1, 2));  // the bind mount's from=
    CHECK(!model.depends_on(3, 4));
    REQUIRE(model.global_args().size() == 1);
    CHECK(model.global_args()[0].first == "BASE");
    CHECK(model.global_args()[0].second == "alpine");
}

TEST_CASE("predefined platform args", "[analysis][stage-model]") {
    CHECK(is_predefined_platform_arg("TARGETARCH"));
    CHECK(is_predefined_platform_arg("BUILDPLATFORM"));
    CHECK(!is_predefined_platform_arg("HOME"));
    CHECK(platform_arg_value("TARGETARCH", "linux/arm64/v8") == "arm64");
    CHECK(platform_arg_value("TARGETVARIANT", "linux/arm64/v8") == "v8");
    CHECK(platform_arg_value("TARGETOS", "linux/amd64") == "linux");
}
