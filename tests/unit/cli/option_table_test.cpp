// The one parser behind every command's options: both value spellings, --help, a mistyped option
// with the nearest known one, a missing value, a repeat of a single-valued option.
#include <catch2/catch.hpp>

#include <sstream>

#include "cli/option_table.h"

using namespace envbuilder::cli;

namespace {
struct Settings {
    std::string image, workspace;
    std::vector<std::string> args;
    bool no_push = false;
};

CommandTable table_of(Settings& s) {
    auto store = [](std::string& field) {
        return [&field](const std::string& v) -> std::optional<std::string> {
            field = v;
            return std::nullopt;
        };
    };
    return {"demo",
            "[options] PATH",
            {{"--image", "REF", "where to push", false, store(s.image)},
             {"--workspace", "DIR", "the folder\nwith the config", false, store(s.workspace)},
             {"--build-arg", "NAME=VALUE", "a build argument", true,
              [&s](const std::string& v) -> std::optional<std::string> {
                  if (v.find('=') == std::string::npos) return "--build-arg needs NAME=VALUE";
                  s.args.push_back(v);
                  return std::nullopt;
              }},
             {"--no-push", "", "do not push", false,
              [&s](const std::string&) -> std::optional<std::string> {
                  s.no_push = true;
                  return std::nullopt;
              },
              "-n"}},
            "PATH: what to build\n"};
}
}  // namespace

TEST_CASE("option table: --flag value, --flag=value, short names and positionals", "[options]") {
    Settings s;
    auto outcome =
        parse_options(table_of(s), {"--image", "a/b:1", "--workspace=/w=x", "here", "-n",
                                    "--build-arg", "A=1", "--build-arg=B=2", "--", "--image"});
    CHECK(outcome.problem.empty());
    CHECK_FALSE(outcome.help);
    CHECK(s.image == "a/b:1");
    CHECK(s.workspace == "/w=x");  // only the first '=' splits
    CHECK(s.no_push);
    CHECK(s.args == std::vector<std::string>{"A=1", "B=2"});
    CHECK(outcome.positionals == std::vector<std::string>{"here", "--image"});
}

TEST_CASE("option table: every problem names the option and what is wrong", "[options]") {
    Settings s;
    auto table = table_of(s);
    CHECK(parse_options(table, {"--imag", "x"}).problem ==
          "unknown option '--imag' (did you mean --image?)");
    CHECK(parse_options(table, {"--frobnicate"}).problem == "unknown option '--frobnicate'");
    CHECK(parse_options(table, {"--workspace"}).problem ==
          "--workspace needs a value (--workspace DIR)");
    CHECK(parse_options(table, {"--image", "a", "--image=b"}).problem ==
          "--image is given twice (it takes one value)");
    CHECK(parse_options(table, {"--no-push=yes"}).problem == "--no-push takes no value, got 'yes'");
    CHECK(parse_options(table, {"--build-arg", "A"}).problem == "--build-arg needs NAME=VALUE");
    // The first problem stops parsing: what follows is not taken.
    Settings after;
    parse_options(table_of(after), {"--bogus", "--image", "x"});
    CHECK(after.image.empty());
}

TEST_CASE("option table: --help and -h, and the usage drawn from the table", "[options]") {
    Settings s;
    auto table = table_of(s);
    CHECK(parse_options(table, {"--image", "x", "--help"}).help);
    CHECK(parse_options(table, {"-h"}).help);
    CHECK(usage(table) ==
          "usage: envbuilder demo [options] PATH\n"
          "\n"
          "options:\n"
          "  -h, --help                  show this help\n"
          "  --image REF                 where to push\n"
          "  --workspace DIR             the folder\n"
          "                              with the config\n"
          "  --build-arg NAME=VALUE      a build argument (repeatable)\n"
          "  -n, --no-push               do not push\n"
          "\n"
          "PATH: what to build\n");
    std::ostringstream out, err;
    CHECK(finish_parsing(table, parse_options(table, {"--help"}), out, err) == 0);
    CHECK(out.str() == usage(table));
    CHECK(err.str().empty());
    std::ostringstream out2, err2;
    CHECK(finish_parsing(table, parse_options(table, {"--imag"}), out2, err2) == 2);
    CHECK(out2.str().empty());
    CHECK_THAT(err2.str(), Catch::StartsWith("envbuilder demo: unknown option '--imag'") &&
                               Catch::Contains("envbuilder demo --help"));
    std::ostringstream out3, err3;
    CHECK(finish_parsing(table, parse_options(table, {"--image", "x"}), out3, err3) ==
          std::nullopt);
}
