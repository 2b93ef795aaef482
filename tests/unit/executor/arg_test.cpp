#include <catch2/catch.hpp>

#include "fake_stage_context.h"

using namespace envbuilder::executor;
using namespace envbuilder::executor::testing;

TEST_CASE("ARG takes a --build-arg over its default, a global ARG, then the platform ones",
          "[executor][arg]") {
    FakeStageContext ctx;
    ctx.build_request.build_args = {{"GIVEN", "from-cli"}};
    ctx.globals = {{"GLOBAL", "from-global"}};
    StageState s = empty_stage();
    Step step = apply(ctx, s, "ARG GIVEN=default DEFAULTED=d GLOBAL TARGETARCH UNSET");
    CHECK(s.args.at("GIVEN") == "from-cli");
    CHECK(s.args.at("DEFAULTED") == "d");
    CHECK(s.args.at("GLOBAL") == "from-global");
    CHECK(s.args.at("TARGETARCH") == "amd64");
    CHECK(!s.args.count("UNSET"));
    CHECK(step.created_by ==
          "ARG GIVEN=from-cli DEFAULTED=d GLOBAL=from-global TARGETARCH=amd64 UNSET");
    // ARGs never reach the image config.
    CHECK(config(s).env->size() == 1);
}
