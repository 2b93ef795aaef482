#include <catch2/catch.hpp>

#include "command_test_support.h"
#include "syntax/commands/run_command.h"

using namespace envbuilder::dockerfile;
using namespace envbuilder::dockerfile::testing;
using Kind = CommandError::Kind;

TEST_CASE("RUN: flags typed, mounts kept as written", "[syntax][commands][run]") {
    auto line = parse_line(
        "RUN --network=none --security=insecure --mount=type=cache,target=$DIR "
        "--mount=type=tmpfs,target=/t --device=gpu [\"make\", \"all\"]");
    auto run = parse_run_command(line.ins());
    CHECK(run.ok());
    CHECK(run.value.network == RunNetwork::none);
    CHECK(run.value.security == RunSecurity::insecure);
    REQUIRE(run.value.mounts.size() == 2);
    CHECK(run.value.mounts[0].text == "type=cache,target=$DIR");
    CHECK(run.value.mounts[0].range == columns(47, 69));
    CHECK(run.value.devices.size() == 1);
    CHECK(run.value.exec_form);
    CHECK(run.value.exec == std::vector<std::string>{"make", "all"});

    auto plain = parse_run_command(parse_line("RUN echo hi").ins());
    CHECK(plain.ok());
    CHECK(plain.value.network == RunNetwork::default_);
    CHECK(plain.value.security == RunSecurity::sandbox);
    CHECK(!plain.value.exec_form);
    CHECK(plain.value.shell == "echo hi");
}

TEST_CASE("RUN: bad --network and --security values, with their ranges and a suggestion",
          "[syntax][commands][run]") {
    auto run = parse_run_command(parse_line("RUN --network=hots --security=$MODE true").ins());
    REQUIRE(run.errors.size() == 2);
    CHECK(run.errors[0].kind == Kind::invalid_value);
    CHECK(run.errors[0].flag == "network");
    CHECK(run.errors[0].range == columns(14, 18));
    CHECK(run.errors[0].message ==
          "unknown network mode 'hots' for RUN --network (did you mean host?); expected "
          "default, none or host");
    CHECK(run.errors[0].suggestion == "host");
    // Not expanded by BuildKit: a variable is an error for the builder (lint leaves it).
    CHECK(run.errors[1].flag == "security");
    CHECK(run.errors[1].value == "$MODE");
    CHECK_THAT(run.errors[1].message, Catch::Contains("expected sandbox or insecure"));
}

TEST_CASE("RUN: unknown, repeated and empty flags", "[syntax][commands][run]") {
    auto run = parse_run_command(
        parse_line("RUN --bogus --network=none --network=host --mount true").ins());
    REQUIRE(run.errors.size() == 3);
    CHECK(run.errors[0].kind == Kind::unknown_flag);
    CHECK(run.errors[0].message == "unknown flag --bogus");
    CHECK(run.errors[0].range == columns(4, 11));
    CHECK(run.errors[1].kind == Kind::duplicate_flag);
    CHECK(run.errors[1].message == "--network is given more than once; RUN accepts it only once");
    CHECK(run.errors[2].kind == Kind::missing_value);
    CHECK(run.errors[2].message == "--mount needs a value");
}

TEST_CASE("RUN --mount: one parser for the text as written and the expanded one",
          "[syntax][commands][run]") {
    auto line = parse_line("RUN --mount=type=cache,target=$DIR,mode=abc true");
    const auto parsed = parse_run_command(line.ins());
    const RawValue& raw = parsed.value.mounts.at(0);
    auto unexpanded = parse_run_mount_value(raw);
    REQUIRE(unexpanded.errors.size() == 1);
    CHECK(unexpanded.errors[0].flag == "mount");
    CHECK(unexpanded.errors[0].range == raw.range);
    // The part of the value the error is about: mode=abc.
    CHECK(raw.text.substr(unexpanded.errors[0].begin,
                          unexpanded.errors[0].end - unexpanded.errors[0].begin) == "abc");
    const std::string expanded = "type=cache,target=/cache";
    auto read = parse_run_mount_value(raw, &expanded);
    CHECK(read.ok());
    CHECK(read.value.type == "cache");
    CHECK(read.value.target == "/cache");
    const std::string missing = "type=cache";
    auto bad = parse_run_mount_value(raw, &missing);
    REQUIRE(bad.errors.size() == 1);
    CHECK_THAT(bad.errors[0].message, Catch::Contains("needs target="));
    CHECK(bad.errors[0].value == "type=cache");
}

TEST_CASE("RUN <<EOF alone is a script; with more text the shell reads the here-document",
          "[syntax][commands][run]") {
    auto script = parse_run_command(parse_line("RUN <<EOF\necho hi\nEOF").ins());
    CHECK(script.value.heredoc_script);
    REQUIRE(script.value.heredocs.size() == 1);
    CHECK(script.value.heredocs[0].body == "echo hi\n");
    auto piped = parse_run_command(parse_line("RUN cat <<EOF\nhi\nEOF").ins());
    CHECK(!piped.value.heredoc_script);
    CHECK(piped.value.heredocs.size() == 1);
}
