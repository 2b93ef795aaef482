#include <catch2/catch.hpp>

#include "fake_stage_context.h"

using namespace envbuilder::executor;
using namespace envbuilder::executor::testing;

TEST_CASE("SHELL needs the JSON form", "[executor][shell]") {
    FakeStageContext ctx;
    StageState s = empty_stage();
    CHECK(apply(ctx, s, R"(SHELL ["/bin/ash", "-eo", "pipefail", "-c"])").created_by ==
          R"(SHELL ["/bin/ash","-eo","pipefail","-c"])");
    CHECK(shell_of(s.image) == std::vector<std::string>{"/bin/ash", "-eo", "pipefail", "-c"});
    try {
        apply(ctx, s, "SHELL /bin/bash -c");
        FAIL("a shell-form SHELL was accepted");
    } catch (const BuildError& e) {
        CHECK(std::string(e.what()).find("JSON form") != std::string::npos);
        REQUIRE(e.range);
        CHECK(e.range->start.line == 0);
    }
}
