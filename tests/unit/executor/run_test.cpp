#include <catch2/catch.hpp>

#include "executor/instructions/read_command.h"
#include "fake_stage_context.h"

using namespace envbuilder::executor;
using namespace envbuilder::executor::testing;

// RUN's step is planned here; running it needs the sandbox (tests/unit/sandbox_test.cpp and the
// live build tests).
TEST_CASE("RUN's cache key holds the command, environment, user, workdir and flags",
          "[executor][run]") {
    FakeStageContext ctx;
    StageState s = empty_stage();
    s.args["VERSION"] = "2";
    config(s).user = std::string("app");
    config(s).working_dir = std::string("/src");
    auto parsed = parse_instruction("RUN --network=none make install");
    Step step = handler_for(parsed.ins().kind)(ctx, s, parsed.ins());
    CHECK(step.change_root);
    CHECK(step.created_by == "RUN /bin/sh -c make install # buildkit");
    CHECK(step.definition.find("make install") != std::string::npos);
    CHECK(step.definition.find("VERSION=2") != std::string::npos);
    CHECK(step.definition.find("user=app") != std::string::npos);
    CHECK(step.definition.find("workdir=/src") != std::string::npos);
    CHECK(step.definition.find("network=none") != std::string::npos);

    auto exec = parse_instruction(R"(RUN ["echo", "hi"])");
    CHECK(handler_for(exec.ins().kind)(ctx, s, exec.ins()).created_by ==
          R"(RUN ["echo","hi"] # buildkit)");
}

TEST_CASE("RUN refuses unknown --network and --security values and unallowed insecure",
          "[executor][run]") {
    FakeStageContext ctx;
    StageState s = empty_stage();
    auto plan = [&](const std::string& line) {
        auto parsed = parse_instruction(line);
        return handler_for(parsed.ins().kind)(ctx, s, parsed.ins());
    };
    CHECK_THROWS_WITH(plan("RUN --network=bridge true"), Catch::Contains("default, none or host"));
    CHECK_THROWS_WITH(plan("RUN --security=paranoid true"), Catch::Contains("sandbox or insecure"));
    CHECK_THROWS_WITH(plan("RUN --security=insecure true"),
                      Catch::Contains("--allow security.insecure"));
    ctx.build_request.allow_security_insecure = true;
    CHECK(plan("RUN --security=insecure true").definition.find("security=insecure") !=
          std::string::npos);
    // What the typed reading (syntax/commands/run_command.h) refuses, as BuildKit does.
    CHECK_THROWS_WITH(plan("RUN --bogus true"), Catch::Contains("unknown flag --bogus"));
    CHECK_THROWS_WITH(plan("RUN --network=none --network=host true"),
                      Catch::Contains("--network is given more than once"));
    CHECK_THROWS_WITH(plan("RUN --mount true"), Catch::Contains("--mount needs a value"));
}

TEST_CASE("RUN --mount is read by the same parser as lint, after expansion", "[executor][run]") {
    FakeStageContext ctx;
    ctx.build_request.cache_dir = ctx.scratch_path("run-test-cache-");
    std::filesystem::create_directories(ctx.build_request.cache_dir);
    StageState s = empty_stage();
    s.args["TARGET"] = "/root/.cache";
    auto plan = [&](const std::string& line) {
        auto parsed = parse_instruction(line);
        return handler_for(parsed.ins().kind)(ctx, s, parsed.ins());
    };
    CHECK(plan("RUN --mount=type=cache,target=$TARGET true")
              .definition.find("mount=cache:/root/.cache:/root/.cache") != std::string::npos);
    CHECK(plan("RUN --mount=type=tmpfs,target=/tmp,size=64m true")
              .definition.find("mount=tmpfs:/tmp") != std::string::npos);
    CHECK_THROWS_WITH(plan("RUN --mount=type=cache true"), Catch::Contains("needs target="));
    CHECK_THROWS_WITH(plan("RUN --mount=type=bind,target=/x,mode=0600 true"),
                      Catch::Contains("mode is not allowed"));
    CHECK_THROWS_WITH(plan("RUN --mount=type=volume,target=/x true"),
                      Catch::Contains("unknown mount type 'volume'"));
    CHECK_THROWS_WITH(plan("RUN --mount=type=secret,id=token,required true"),
                      Catch::Contains("--secret id=token"));
    // An optional secret that was not given is absent: the step does not mention it.
    CHECK(plan("RUN --mount=type=secret,id=token true").definition.find("secret") ==
          std::string::npos);
    std::filesystem::remove_all(ctx.build_request.cache_dir);
}

TEST_CASE("RUN --security=insecure: one decision for the pre-check and the step",
          "[executor][run]") {
    using envbuilder::executor::instructions::missing_entitlement;
    BuildRequest request;
    auto insecure = parse_instruction("RUN --security=insecure true");
    auto run = envbuilder::dockerfile::parse_run_command(insecure.ins());
    auto problem = missing_entitlement(run.value, request);
    REQUIRE(problem);
    CHECK_THAT(*problem, Catch::Contains("--allow security.insecure"));
    request.allow_security_insecure = true;
    CHECK(!missing_entitlement(run.value, request));
    auto sandboxed = parse_instruction("RUN --security=sandbox true");
    CHECK(!missing_entitlement(envbuilder::dockerfile::parse_run_command(sandboxed.ins()).value,
                               BuildRequest{}));
}
