#include <catch2/catch.hpp>

#include "fake_stage_context.h"

using namespace envbuilder::executor;
using namespace envbuilder::executor::testing;

TEST_CASE("STOPSIGNAL sets the config's StopSignal, expanded", "[executor][stopsignal]") {
    FakeStageContext ctx;
    StageState s = empty_stage();
    s.args["SIG"] = "SIGQUIT";
    CHECK(apply(ctx, s, "STOPSIGNAL $SIG").created_by == "STOPSIGNAL SIGQUIT");
    CHECK(*config(s).stop_signal == "SIGQUIT");
}
