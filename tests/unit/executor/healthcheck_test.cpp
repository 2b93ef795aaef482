#include <catch2/catch.hpp>

#include "fake_stage_context.h"

using namespace envbuilder::executor;
using namespace envbuilder::executor::testing;

TEST_CASE("HEALTHCHECK: Test, durations in nanoseconds, retries", "[executor][healthcheck]") {
    FakeStageContext ctx;
    StageState s = empty_stage();
    apply(ctx, s,
          "HEALTHCHECK --interval=1m30s --timeout=500ms --start-period=2s --retries=3 CMD curl -f "
          "http://localhost/");
    const auto& check = *config(s).healthcheck;
    CHECK(*check.test == std::vector<std::string>{"CMD-SHELL", "curl -f http://localhost/"});
    CHECK(*check.interval == 90'000'000'000LL);
    CHECK(*check.timeout == 500'000'000LL);
    CHECK(*check.start_period == 2'000'000'000LL);
    CHECK(!check.start_interval.present());
    CHECK(*check.retries == 3);
    apply(ctx, s, R"(HEALTHCHECK CMD ["/bin/check", "--quick"])");
    CHECK(*config(s).healthcheck->test == std::vector<std::string>{"CMD", "/bin/check", "--quick"});
    apply(ctx, s, "HEALTHCHECK NONE");
    CHECK(*config(s).healthcheck->test == std::vector<std::string>{"NONE"});
}

TEST_CASE("HEALTHCHECK refuses what lint refuses: bad and overflowing durations, negative retries",
          "[executor][healthcheck]") {
    FakeStageContext ctx;
    StageState s = empty_stage();
    CHECK_THROWS_WITH(apply(ctx, s, "HEALTHCHECK --interval=30 CMD true"),
                      Catch::Contains("a unit is missing"));
    CHECK_THROWS_WITH(apply(ctx, s, "HEALTHCHECK --timeout=99999999999h CMD true"),
                      Catch::Contains("too large"));
    CHECK_THROWS_WITH(apply(ctx, s, "HEALTHCHECK --interval=10us CMD true"),
                      Catch::Contains("at least 1ms"));
    CHECK_THROWS_WITH(apply(ctx, s, "HEALTHCHECK --retries=-1 CMD true"),
                      Catch::Contains("--retries cannot be negative (-1)"));
    // --retries is read as BuildKit reads it (ParseInt), the way lint reads it.
    apply(ctx, s, "HEALTHCHECK --retries=+2 CMD true");
    CHECK(*config(s).healthcheck->retries == 2);
    CHECK_THROWS_WITH(apply(ctx, s, "HEALTHCHECK --retries=2147483648 CMD true"),
                      Catch::Contains("--retries takes a whole number"));
    CHECK_THROWS_WITH(apply(ctx, s, "HEALTHCHECK true"), Catch::Contains("CMD <command> or NONE"));
}
