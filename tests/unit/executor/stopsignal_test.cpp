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

TEST_CASE("STOPSIGNAL refuses, after expansion, what lint refuses", "[executor][stopsignal]") {
    FakeStageContext ctx;
    StageState s = empty_stage();
    s.args["SIG"] = "SIGTREM";
    CHECK_THROWS_WITH(apply(ctx, s, "STOPSIGNAL $SIG"),
                      Catch::Contains("unknown signal 'SIGTREM' (did you mean SIGTERM?)"));
    CHECK_THROWS_WITH(apply(ctx, s, "STOPSIGNAL 65"), Catch::Contains("Linux signals are 1-64"));
    CHECK(apply(ctx, s, "STOPSIGNAL 9").created_by == "STOPSIGNAL 9");
}
