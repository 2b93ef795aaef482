// The registry options shared by pull, push, inspect and build: transfer limits and the
// Retry-After cap, with clear errors for bad values.
#include <catch2/catch.hpp>

#include "cli/registry_options.h"

using namespace envbuilder;

namespace {
// Parses `args` with the registry options' table: the first problem, or "" when all were taken.
std::string parse(const std::vector<std::string>& args, cli::RegistrySettings& settings) {
    cli::CommandTable table{"test", "", {}, ""};
    cli::add_registry_options(table.options, settings);
    auto outcome = cli::parse_options(table, args);
    if (!outcome.positionals.empty()) return "not a registry option: " + outcome.positionals[0];
    return outcome.problem;
}
}  // namespace

TEST_CASE("registry options: transfer limits and the Retry-After cap", "[registry][options]") {
    cli::RegistrySettings settings;
    CHECK(settings.options.limits.low_speed_bytes == 1024);
    CHECK(settings.options.limits.low_speed_seconds == 30);
    CHECK(settings.options.limits.deadline_seconds == 3600);
    CHECK(settings.options.max_retry_wait == std::chrono::seconds(60));

    CHECK(parse({"--low-speed-limit", "100/5", "--transfer-timeout", "0", "--max-retry-wait", "7"},
                settings) == "");
    CHECK(settings.options.limits.low_speed_bytes == 100);
    CHECK(settings.options.limits.low_speed_seconds == 5);
    CHECK(settings.options.limits.deadline_seconds == 0);
    CHECK(settings.options.max_retry_wait == std::chrono::seconds(7));

    for (const char* bad : {"100", "100/", "/5", "0/5", "100/0", "-1/5", "1k/5", "100/5s"}) {
        INFO(bad);
        CHECK_THAT(parse({"--low-speed-limit", bad}, settings),
                   Catch::Contains("BYTES/SECONDS") && Catch::Contains(bad));
    }
    CHECK_THAT(parse({"--transfer-timeout", "forever"}, settings),
               Catch::Contains("--transfer-timeout") && Catch::Contains("'forever'"));
    CHECK_THAT(parse({"--max-retry-wait", "-3"}, settings), Catch::Contains("'-3'"));
    CHECK_THAT(parse({"--low-speed-limit"}, settings), Catch::Contains("needs"));
    // The limits kept their last good values.
    CHECK(settings.options.limits.low_speed_bytes == 100);
}

TEST_CASE("registry options: a mirror URL's password never reaches the error",
          "[registry][options][redact]") {
    cli::RegistrySettings settings;
    std::string problem = parse({"--registry-mirror", "ftp://user:topsecret@m.example"}, settings);
    CHECK_THAT(problem, Catch::Contains("ftp://***@m.example"));
    CHECK(problem.find("topsecret") == std::string::npos);
    CHECK(parse({"--registry-mirror", "https://user:topsecret@m.example"}, settings) == "");
    REQUIRE(settings.options.mirrors["docker.io"].size() == 1);
}
