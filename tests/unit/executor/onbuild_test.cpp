#include <catch2/catch.hpp>

#include "fake_stage_context.h"

using namespace envbuilder::executor;
using namespace envbuilder::executor::testing;

TEST_CASE("ONBUILD stores its trigger, and a trigger cannot be another ONBUILD",
          "[executor][onbuild]") {
    FakeStageContext ctx;
    StageState s = empty_stage();
    CHECK(apply(ctx, s, "ONBUILD RUN make").created_by == "ONBUILD RUN make");
    CHECK(*config(s).on_build == std::vector<std::string>{"RUN make"});
    ctx.trigger = true;
    CHECK_THROWS_WITH(apply(ctx, s, "ONBUILD RUN make"),
                      Catch::Contains("cannot trigger another ONBUILD"));
}
