#include <catch2/catch.hpp>

#include "fake_stage_context.h"

using namespace envbuilder::executor;
using namespace envbuilder::executor::testing;

TEST_CASE("ENTRYPOINT drops an inherited CMD but keeps this stage's", "[executor][entrypoint]") {
    FakeStageContext ctx;
    StageState inherited = empty_stage();
    config(inherited).cmd = std::vector<std::string>{"bash"};
    apply(ctx, inherited, R"(ENTRYPOINT ["/entry.sh"])");
    CHECK(*config(inherited).entrypoint == std::vector<std::string>{"/entry.sh"});
    // Written "Cmd": null, as Docker does, not left out.
    CHECK(config(inherited).cmd.is_null());
    CHECK(envbuilder::oci::to_json(inherited.image)["config"]["Cmd"].is_null());
    CHECK(envbuilder::oci::to_json(inherited.image)["config"].contains("Cmd"));

    StageState own = empty_stage();
    apply(ctx, own, R"(CMD ["--serve"])");
    Step step = apply(ctx, own, "ENTRYPOINT exec app");
    CHECK(*config(own).cmd == std::vector<std::string>{"--serve"});
    CHECK(*config(own).entrypoint == std::vector<std::string>{"/bin/sh", "-c", "exec app"});
    CHECK(step.created_by == R"(ENTRYPOINT ["/bin/sh","-c","exec app"])");
}
