#include <catch2/catch.hpp>

#include "fake_stage_context.h"

using namespace envbuilder::executor;
using namespace envbuilder::executor::testing;

TEST_CASE("MAINTAINER sets the author; its history keeps the text as written",
          "[executor][maintainer]") {
    FakeStageContext ctx;
    StageState s = empty_stage();
    s.args["WHO"] = "Ada";
    CHECK(apply(ctx, s, "MAINTAINER $WHO").created_by == "MAINTAINER $WHO");
    CHECK(*s.image.author == "Ada");
}
