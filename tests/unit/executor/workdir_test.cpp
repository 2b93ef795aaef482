#include <catch2/catch.hpp>

#include "fake_stage_context.h"

using namespace envbuilder::executor;
using namespace envbuilder::executor::testing;
namespace fs = std::filesystem;

TEST_CASE("WORKDIR resolves against the previous one and creates what is missing",
          "[executor][workdir]") {
    FakeStageContext ctx;
    StageState s = empty_stage();
    const fs::path root = ctx.scratch_path("workdir-test-");
    fs::create_directories(root);
    s.root = root;
    auto first = parse_instruction("WORKDIR /srv/app");
    Step step = handler_for(first.ins().kind)(ctx, s, first.ins());
    CHECK(*config(s).working_dir == "/srv/app");
    CHECK(step.definition == "WORKDIR /srv/app user=");
    CHECK(step.created_by == "WORKDIR /srv/app");
    REQUIRE(step.change_root);
    step.change_root();
    CHECK(fs::is_directory(root / "srv/app"));
    auto relative = parse_instruction("WORKDIR ../lib/./x");
    handler_for(relative.ins().kind)(ctx, s, relative.ins());
    CHECK(*config(s).working_dir == "/srv/lib/x");
    CHECK_THROWS_WITH(
        handler_for(relative.ins().kind)(ctx, s, parse_instruction("WORKDIR \"\"").ins()),
        Catch::Contains("needs a directory"));
    fs::remove_all(root);
}
