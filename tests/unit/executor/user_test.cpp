#include <catch2/catch.hpp>

#include "fake_stage_context.h"

using namespace envbuilder::executor;
using namespace envbuilder::executor::testing;

TEST_CASE("USER sets the config's User, expanded", "[executor][user]") {
    FakeStageContext ctx;
    StageState s = empty_stage();
    s.args["APP_USER"] = "app";
    Step step = apply(ctx, s, "USER ${APP_USER}:staff");
    CHECK(*config(s).user == "app:staff");
    CHECK(step.created_by == "USER app:staff");
}
