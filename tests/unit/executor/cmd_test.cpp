#include <catch2/catch.hpp>

#include "fake_stage_context.h"

using namespace envbuilder::executor;
using namespace envbuilder::executor::testing;

TEST_CASE("CMD: the exec form as given, the shell form through SHELL", "[executor][cmd]") {
    FakeStageContext ctx;
    StageState s = empty_stage();
    Step step = apply(ctx, s, R"(CMD ["node", "server.js"])");
    CHECK(*config(s).cmd == std::vector<std::string>{"node", "server.js"});
    CHECK(step.created_by == R"(CMD ["node","server.js"])");
    CHECK(s.cmd_set);
    apply(ctx, s, R"(SHELL ["/bin/bash", "-c"])");
    apply(ctx, s, "CMD echo $HOME");
    CHECK(*config(s).cmd == std::vector<std::string>{"/bin/bash", "-c", "echo $HOME"});
}
