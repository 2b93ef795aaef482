#include <catch2/catch.hpp>

#include "executor/image_config.h"
#include "fake_stage_context.h"

using namespace envbuilder::executor;
using namespace envbuilder::executor::testing;

TEST_CASE("ENV sets each pair in the config, expanded, and records what it set",
          "[executor][env]") {
    FakeStageContext ctx;
    StageState s = empty_stage();
    Step step = apply(ctx, s, "ENV APP=/opt/app BIN=$APP/bin");
    CHECK(env_value(s.image, "APP") == "/opt/app");
    CHECK(env_value(s.image, "BIN") == "/opt/app/bin");
    CHECK(step.created_by == "ENV APP=/opt/app BIN=/opt/app/bin");
    CHECK(step.definition == step.created_by);
    CHECK(!step.change_root);
    apply(ctx, s, "ENV APP=/srv");
    CHECK(env_value(s.image, "APP") == "/srv");
    CHECK(env_of(s.image).size() == 3);  // PATH, APP (replaced in place), BIN
}

TEST_CASE("ENV's legacy form and an unterminated variable", "[executor][env]") {
    FakeStageContext ctx;
    StageState s = empty_stage();
    apply(ctx, s, "ENV GREETING hello world");
    CHECK(env_value(s.image, "GREETING") == "hello world");
    CHECK_THROWS_AS(apply(ctx, s, "ENV X=${UNCLOSED"), BuildError);
}
