#include <catch2/catch.hpp>

#include "fake_stage_context.h"

using namespace envbuilder::executor;
using namespace envbuilder::executor::testing;

TEST_CASE("SHELL needs a non-empty JSON form", "[executor][shell]") {
    FakeStageContext ctx;
    StageState s = empty_stage();
    CHECK(apply(ctx, s, R"(SHELL ["/bin/ash", "-eo", "pipefail", "-c"])").created_by ==
          R"(SHELL ["/bin/ash","-eo","pipefail","-c"])");
    CHECK(shell_of(s.image) == std::vector<std::string>{"/bin/ash", "-eo", "pipefail", "-c"});
    try {
        apply(ctx, s, "SHELL /bin/bash -c");
        FAIL("a shell-form SHELL was accepted");
    } catch (const BuildError& e) {
        // Lint's ShellRequiresJson message: one reading (syntax/commands/shell_command.h).
        CHECK(std::string(e.what()).find("SHELL must be a JSON array of strings") !=
              std::string::npos);
        REQUIRE(e.range);
        CHECK(e.range->start.line == 0);
    }
    CHECK_THROWS_WITH(apply(ctx, s, "SHELL []"), Catch::Contains("SHELL [] names no shell"));
}
