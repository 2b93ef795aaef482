#include <catch2/catch.hpp>

#include "executor/stage_variables.h"
#include "fake_stage_context.h"

using namespace envbuilder::executor;
using namespace envbuilder::executor::testing;

TEST_CASE("stage_variables: ENV wins over an ARG of the same name", "[executor][variables]") {
    StageState s = empty_stage();
    s.args = {{"NAME", "from-arg"}, {"ONLY_ARG", "a"}};
    set_env(s.image, "NAME", "from-env");
    auto lookup = stage_variables(s);
    REQUIRE(lookup("NAME"));
    CHECK(*lookup("NAME") == "from-env");
    REQUIRE(lookup("ONLY_ARG"));
    CHECK(*lookup("ONLY_ARG") == "a");
    CHECK(lookup("PATH"));
    CHECK(!lookup("UNSET"));
    // The fake context the instruction tests use expands through the same lookup.
    FakeStageContext ctx;
    auto parsed = parse_instruction("RUN true");
    CHECK(ctx.expand(s, "$NAME/$ONLY_ARG", parsed.ins()) == "from-env/a");
}
