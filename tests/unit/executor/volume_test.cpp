#include <catch2/catch.hpp>

#include "fake_stage_context.h"

using namespace envbuilder::executor;
using namespace envbuilder::executor::testing;

TEST_CASE("VOLUME takes words or a JSON array into the config's Volumes", "[executor][volume]") {
    FakeStageContext ctx;
    StageState s = empty_stage();
    CHECK(apply(ctx, s, "VOLUME /data /cache").created_by == R"(VOLUME ["/data","/cache"])");
    CHECK(apply(ctx, s, R"(VOLUME ["/var/lib/app"])").created_by == R"(VOLUME ["/var/lib/app"])");
    const auto& volumes = *config(s).volumes;
    CHECK(volumes.size() == 3);
    CHECK(volumes.count("/var/lib/app"));
}
