#include <catch2/catch.hpp>

#include "command_test_support.h"
#include "syntax/commands/healthcheck_command.h"

using namespace envbuilder::dockerfile;
using namespace envbuilder::dockerfile::testing;
using Kind = CommandError::Kind;

TEST_CASE("HEALTHCHECK: durations in nanoseconds, retries, the test",
          "[syntax][commands][healthcheck]") {
    auto check = parse_healthcheck_command(
        parse_line("HEALTHCHECK --interval=30s --timeout=1m30s --start-period=0 --retries=+3 "
                   "CMD curl -f http://localhost/")
            .ins());
    CHECK(check.ok());
    CHECK(check.value.interval == 30'000'000'000);
    CHECK(check.value.timeout == 90'000'000'000);
    CHECK(check.value.start_period == 0);
    CHECK(!check.value.start_interval);
    CHECK(check.value.retries == 3);
    CHECK(check.value.test == std::vector<std::string>{"CMD-SHELL", "curl -f http://localhost/"});

    auto exec = parse_healthcheck_command(parse_line("HEALTHCHECK cmd [\"true\", \"x\"]").ins());
    CHECK(exec.value.test == std::vector<std::string>{"CMD", "true", "x"});
    auto none = parse_healthcheck_command(parse_line("HEALTHCHECK --interval=bad NONE").ins());
    CHECK(none.ok());  // BuildKit does not read the flags of NONE
    CHECK(none.value.none);
    CHECK(none.value.test == std::vector<std::string>{"NONE"});
}

TEST_CASE("HEALTHCHECK: bad durations and retries, with their ranges",
          "[syntax][commands][healthcheck]") {
    auto check = parse_healthcheck_command(
        parse_line("HEALTHCHECK --interval=30 --timeout=10us --retries=-1 --start-interval=$T "
                   "CMD true")
            .ins());
    REQUIRE(check.errors.size() == 4);
    CHECK(check.errors[0].range == columns(23, 25));
    CHECK_THAT(check.errors[0].message,
               Catch::StartsWith("--interval") && Catch::Contains("a unit is missing"));
    CHECK_THAT(check.errors[1].message, Catch::Contains("at least 1ms"));
    CHECK(check.errors[2].message == "--retries cannot be negative (-1)");
    // Never expanded: a variable is just wrong.
    CHECK(check.errors[3].flag == "start-interval");
    CHECK(!check.value.interval);

    auto not_cmd = parse_healthcheck_command(parse_line("HEALTHCHECK true").ins());
    REQUIRE(not_cmd.errors.size() == 1);
    CHECK(not_cmd.errors[0].kind == Kind::arguments);
    CHECK(not_cmd.errors[0].message == "HEALTHCHECK takes CMD <command> or NONE");
    CHECK(not_cmd.errors[0].range == columns(12, 16));
}

TEST_CASE("HEALTHCHECK --retries: Go's ParseInt(v, 10, 32)", "[syntax][commands][healthcheck]") {
    std::string problem;
    CHECK(parse_retries("0", problem) == 0);
    CHECK(parse_retries("2147483647", problem) == 2147483647);
    CHECK(!parse_retries("2147483648", problem));
    CHECK(problem == "--retries takes a whole number, not '2147483648'");
    CHECK(!parse_retries("3x", problem));
    CHECK(!parse_retries("", problem));
    CHECK(!parse_retries("-", problem));
}
