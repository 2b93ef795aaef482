#include <catch2/catch.hpp>

#include "fake_stage_context.h"

using namespace envbuilder::executor;
using namespace envbuilder::executor::testing;

TEST_CASE("LABEL expands keys and values into the config's Labels", "[executor][label]") {
    FakeStageContext ctx;
    StageState s = empty_stage();
    s.args["VERSION"] = "1.2";
    Step step = apply(ctx, s, "LABEL org.opencontainers.image.version=$VERSION \"name\"=\"a b\"");
    CHECK(config(s).labels->at("org.opencontainers.image.version") == "1.2");
    CHECK(config(s).labels->at("name") == "a b");
    CHECK(step.created_by == "LABEL org.opencontainers.image.version=1.2 name=a b");
}
