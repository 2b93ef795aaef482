#include <catch2/catch.hpp>

#include "fake_stage_context.h"

using namespace envbuilder::executor;
using namespace envbuilder::executor::testing;

TEST_CASE("ENTRYPOINT drops an inherited CMD but keeps this stage's", "[executor][entrypoint]") {
    FakeStageContext ctx;
    StageState inherited = empty_stage();
    inherited.image["config"]["Cmd"] = {"bash"};
    apply(ctx, inherited, R"(ENTRYPOINT ["/entry.sh"])");
    CHECK(inherited.image["config"]["Entrypoint"] == nlohmann::json({"/entry.sh"}));
    CHECK(inherited.image["config"]["Cmd"].is_null());

    StageState own = empty_stage();
    apply(ctx, own, R"(CMD ["--serve"])");
    Step step = apply(ctx, own, "ENTRYPOINT exec app");
    CHECK(own.image["config"]["Cmd"] == nlohmann::json({"--serve"}));
    CHECK(own.image["config"]["Entrypoint"] == nlohmann::json({"/bin/sh", "-c", "exec app"}));
    CHECK(step.created_by == R"(ENTRYPOINT ["/bin/sh","-c","exec app"])");
}
