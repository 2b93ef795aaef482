#include <catch2/catch.hpp>

#include "fake_stage_context.h"

using namespace envbuilder::executor;
using namespace envbuilder::executor::testing;

TEST_CASE("CMD: the exec form as given, the shell form through SHELL", "[executor][cmd]") {
    FakeStageContext ctx;
    StageState s = empty_stage();
    Step step = apply(ctx, s, R"(CMD ["node", "server.js"])");
    CHECK(s.image["config"]["Cmd"] == nlohmann::json({"node", "server.js"}));
    CHECK(step.created_by == R"(CMD ["node","server.js"])");
    CHECK(s.cmd_set);
    apply(ctx, s, R"(SHELL ["/bin/bash", "-c"])");
    apply(ctx, s, "CMD echo $HOME");
    CHECK(s.image["config"]["Cmd"] == nlohmann::json({"/bin/bash", "-c", "echo $HOME"}));
}
