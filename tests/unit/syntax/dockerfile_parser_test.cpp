#include <catch2/catch.hpp>

#include "syntax/dockerfile_parser.h"

using namespace envbuilder;
using namespace envbuilder::dockerfile;

namespace {
bool has_code(const Dockerfile& df, std::string_view code) {
    for (auto& d : df.diagnostics)
        if (d.code == code) return true;
    return false;
}
}  // namespace

TEST_CASE("every instruction keyword is recognized case-insensitively", "[parser]") {
    const char* names[] = {"FROM",    "RUN", "CMD",     "LABEL",      "MAINTAINER",  "EXPOSE",
                           "ENV",     "ADD", "COPY",    "ENTRYPOINT", "VOLUME",      "USER",
                           "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL"};
    for (int i = 0; i < 18; ++i) {
        CHECK(instruction_kind(names[i]) == static_cast<InstructionKind>(i));
        std::string lower = names[i];
        for (auto& c : lower) c = static_cast<char>(std::tolower(c));
        CHECK(instruction_kind(lower) == static_cast<InstructionKind>(i));
    }
    CHECK(instruction_kind("FORM") == InstructionKind::Unknown);
}

TEST_CASE("stages, names and ranges", "[parser]") {
    auto df =
        parse("ARG V=1\nFROM alpine:3.19 AS build\nRUN make\n\nfrom build as final\nCMD [\"x\"]\n");
    REQUIRE(df.diagnostics.empty());
    REQUIRE(df.instructions.size() == 5);
    REQUIRE(df.global_instructions == std::vector<size_t>{0});
    REQUIRE(df.stages.size() == 2);
    CHECK(df.stages[0].base == "alpine:3.19");
    CHECK(df.stages[0].base_range == Range{{1, 5}, {1, 16}});
    CHECK(df.stages[0].name->text == "build");
    CHECK(df.stages[1].as_keyword->text == "as");
    CHECK(df.stages[1].instructions == std::vector<size_t>{4});
    CHECK(df.find_stage("BUILD") == 0u);
    CHECK(df.instructions[2].keyword_range == Range{{2, 0}, {2, 3}});
    CHECK(df.instructions[4].json->at(0).text == "x");
    CHECK(df.instructions[4].json->at(0).range == Range{{5, 5}, {5, 8}});
}

TEST_CASE("continuations keep comments and empty lines out and map ranges back", "[parser]") {
    auto df = parse(
        "RUN apt-get update && \\\n    # a comment\n\n    apt-get install -y \\\n      curl\n");
    REQUIRE(df.instructions.size() == 1);
    auto& run = df.instructions[0];
    CHECK(run.arguments == "apt-get update &&     apt-get install -y       curl");
    CHECK(run.empty_continuation_lines == std::vector<uint32_t>{2});
    CHECK(run.range == Range{{0, 0}, {4, 10}});
    REQUIRE(run.words.size() == 7);
    CHECK(run.words.back().text == "curl");
    CHECK(run.words.back().range == Range{{4, 6}, {4, 10}});
    CHECK(run.words[3].range == Range{{3, 4}, {3, 11}});
    CHECK(df.comments.size() == 1);
}

TEST_CASE("escape directive switches the continuation character", "[parser]") {
    auto df = parse("# escape=`\nFROM mcr.microsoft.com/windows\nRUN dir C:\\ `\n  && echo hi\n");
    REQUIRE(df.diagnostics.empty());
    CHECK(df.escape == '`');
    REQUIRE(df.instructions.size() == 2);
    CHECK(df.instructions[1].arguments == "dir C:\\   && echo hi");
}

TEST_CASE("directives only count at the top", "[parser]") {
    auto df = parse(
        "# syntax=docker/dockerfile:1\n# check=skip=StageNameCasing\nFROM a\n# escape=`\nRUN x "
        "\\\n y\n");
    REQUIRE(df.directives.size() == 2);
    CHECK(df.directive("syntax")->value == "docker/dockerfile:1");
    CHECK(df.directive("check")->value == "skip=StageNameCasing");
    CHECK(df.escape == '\\');
    CHECK(df.instructions[1].arguments == "x  y");

    auto unknown_first = parse("# foo=bar\n# escape=`\nFROM a\n");
    CHECK(unknown_first.directives.empty());
    CHECK(unknown_first.escape == '\\');

    auto bad = parse("# escape=x\nFROM a\n");
    CHECK(has_code(bad, "InvalidEscapeDirective"));
    auto dup = parse("# syntax=a\n# Syntax=b\nFROM a\n");
    CHECK(has_code(dup, "DuplicateDirective"));
}

TEST_CASE("flags with and without values", "[parser]") {
    auto df = parse(
        "COPY --from=build --chown=1000:1000 --link src/ /app/\n"
        "RUN --mount=type=cache,target=/root/.cache --network=none pip install x\n");
    auto& copy = df.instructions[0];
    REQUIRE(copy.flags.size() == 3);
    CHECK(copy.flags[0].name == "from");
    CHECK(*copy.flags[0].value == "build");
    CHECK(copy.flags[0].value_range == Range{{0, 12}, {0, 17}});
    CHECK(!copy.flags[2].value);
    CHECK(copy.words.size() == 2);
    CHECK(copy.arguments == "src/ /app/");
    auto& run = df.instructions[1];
    CHECK(run.flag("mount")->value == "type=cache,target=/root/.cache");
    CHECK(run.flag("network")->value == "none");
    CHECK(run.arguments == "pip install x");
}

TEST_CASE("exec form and shell form", "[parser]") {
    auto df = parse(
        "CMD [\"echo\", \"a\\\"b\"]\nCMD echo hi\nENTRYPOINT ['x']\nSHELL [\"/bin/sh\",\"-c\"]\n");
    CHECK(df.instructions[0].is_exec_form());
    CHECK(df.instructions[0].json->at(1).text == "a\"b");
    CHECK(!df.instructions[1].is_exec_form());
    CHECK(!df.instructions[2].is_exec_form());
    CHECK(df.instructions[2].json_like);
    CHECK(df.instructions[3].json->size() == 2);
}

TEST_CASE("ENV and LABEL key=value with quotes, and the legacy form", "[parser]") {
    auto df = parse(
        "ENV A=1 B=\"two words\" C='x y'\nENV LEGACY value with spaces\nLABEL \"com.x\"=\"y\"\n");
    auto& env = df.instructions[0];
    REQUIRE(env.pairs.size() == 3);
    CHECK(env.pairs[1].key == "B");
    CHECK(*env.pairs[1].value == "\"two words\"");
    CHECK(env.pairs[1].key_range == Range{{0, 8}, {0, 9}});
    CHECK(env.pairs[1].value_range == Range{{0, 10}, {0, 21}});
    auto& legacy = df.instructions[1];
    CHECK(legacy.legacy_key_value);
    CHECK(legacy.pairs[0].key == "LEGACY");
    CHECK(*legacy.pairs[0].value == "value with spaces");
    CHECK(df.instructions[2].pairs[0].key == "com.x");

    auto bad = parse("ENV A=1 B\n");
    CHECK(has_code(bad, "MissingKeyValueSeparator"));
}

TEST_CASE("ARG with and without defaults", "[parser]") {
    auto df = parse("ARG A\nARG B=2 C=\"x\"\n");
    CHECK(!df.instructions[0].pairs[0].value);
    CHECK(df.instructions[1].pairs.size() == 2);
    CHECK(*df.instructions[1].pairs[1].value == "\"x\"");
}

TEST_CASE("heredocs: plain, tab-stripping, quoted, several on one line", "[parser]") {
    auto df = parse(
        "FROM a\n"
        "RUN <<EOF\necho one\nEOF\n"
        "RUN <<-'END' bash\n\techo $HOME\n\tEND\n"
        "COPY <<A <<B /dst/\nfirst\nA\nsecond\nB\n"
        "RUN echo done\n");
    REQUIRE(df.diagnostics.empty());
    REQUIRE(df.instructions.size() == 5);
    auto& r1 = df.instructions[1];
    REQUIRE(r1.heredocs.size() == 1);
    CHECK(r1.heredocs[0].body == "echo one\n");
    CHECK(r1.heredocs[0].expand);
    CHECK(r1.range == Range{{1, 0}, {3, 3}});
    auto& r2 = df.instructions[2];
    CHECK(r2.heredocs[0].strip_tabs);
    CHECK(!r2.heredocs[0].expand);
    CHECK(r2.heredocs[0].delimiter == "END");
    CHECK(r2.heredocs[0].body == "echo $HOME\n");
    auto& c = df.instructions[3];
    REQUIRE(c.heredocs.size() == 2);
    CHECK(c.heredocs[0].body == "first\n");
    CHECK(c.heredocs[1].body == "second\n");
    CHECK(df.instructions[4].arguments == "echo done");
    CHECK(df.instructions[4].range.start.line == 12);

    auto open = parse("FROM a\nRUN <<EOF\necho\n");
    CHECK(has_code(open, "UnterminatedHeredoc"));
    auto quoted = parse("RUN echo \"<<EOF\"\n");
    CHECK(quoted.instructions[0].heredocs.empty());
}

TEST_CASE("ONBUILD wraps a trigger instruction", "[parser]") {
    auto df = parse("FROM a\nONBUILD COPY --from=x . /app\n");
    auto& ob = df.instructions[1];
    REQUIRE(ob.trigger);
    CHECK(ob.trigger->kind == InstructionKind::Copy);
    CHECK(ob.trigger->keyword_range == Range{{1, 8}, {1, 12}});
    CHECK(ob.trigger->flag("from")->value == "x");
}

TEST_CASE("unknown instructions are reported and parsing goes on", "[parser]") {
    auto df = parse("FROM a\nRUNN make\nCOPY . .\n");
    REQUIRE(df.diagnostics.size() == 1);
    CHECK(df.diagnostics[0].code == "UnknownInstruction");
    CHECK(df.diagnostics[0].range == Range{{1, 0}, {1, 4}});
    CHECK(df.diagnostics[0].message.find("RUN") != std::string::npos);
    CHECK(df.instructions.size() == 3);
    CHECK(df.instructions[2].kind == InstructionKind::Copy);
}

TEST_CASE("columns are UTF-16 code units", "[parser]") {
    auto df = parse("LABEL desc=\"héllo 😀\" x=1\n");
    auto& pairs = df.instructions[0].pairs;
    REQUIRE(pairs.size() == 2);
    CHECK(pairs[1].key_range == Range{{0, 22}, {0, 23}});
}

TEST_CASE("the parser survives hostile input", "[parser]") {
    std::string junk;
    for (int i = 0; i < 2000; ++i) junk += static_cast<char>((i * 7919) % 256);
    auto df = parse(junk);
    CHECK(df.source.text().size() == junk.size());
    auto df2 = parse("RUN \\");
    CHECK(df2.instructions.size() == 1);
    auto df3 = parse("\xff\xfe RUN x\nCOPY [\"unterminated\n");
    CHECK(df3.instructions.size() == 2);
    auto df4 = parse("FROM\nARG\nENV\nLABEL =\nONBUILD\nHEALTHCHECK\n");
    CHECK(df4.instructions.size() == 6);
}

TEST_CASE("each remaining instruction parses into its parts", "[parser]") {
    auto df = parse(
        "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n"
        "MAINTAINER Jane Doe <jane@example.com>\n"
        "EXPOSE 80/tcp 53/udp\n"
        "ADD --checksum=sha256:0123 --chown=app https://example.com/a.tgz /opt/\n"
        "VOLUME [\"/data\", \"/logs\"]\n"
        "VOLUME /cache /tmp/x\n"
        "USER app:app\n"
        "WORKDIR /srv/app\n"
        "STOPSIGNAL SIGQUIT\n"
        "HEALTHCHECK --interval=5s --retries=3 CMD curl -f http://localhost/\n"
        "HEALTHCHECK NONE\n"
        "ENTRYPOINT [\"/entry\"]\n"
        "SHELL [\"/bin/bash\", \"-euo\", \"pipefail\", \"-c\"]\n");
    REQUIRE(df.diagnostics.empty());
    REQUIRE(df.instructions.size() == 13);
    const auto& from = df.instructions[0];
    CHECK(from.flag("platform")->value == "$BUILDPLATFORM");
    CHECK(from.words.size() == 3);
    CHECK(df.stages[0].name->text == "build");
    CHECK(df.instructions[1].kind == InstructionKind::Maintainer);
    CHECK(df.instructions[1].arguments == "Jane Doe <jane@example.com>");
    CHECK(df.instructions[2].words.size() == 2);
    CHECK(df.instructions[2].words[1].range == Range{{2, 14}, {2, 20}});
    const auto& add = df.instructions[3];
    CHECK(add.flags.size() == 2);
    CHECK(add.words[0].text == "https://example.com/a.tgz");
    CHECK(df.instructions[4].json->size() == 2);
    CHECK(!df.instructions[5].json);
    CHECK(df.instructions[5].words.size() == 2);
    CHECK(df.instructions[6].arguments == "app:app");
    CHECK(df.instructions[7].arguments == "/srv/app");
    CHECK(df.instructions[8].arguments == "SIGQUIT");
    const auto& hc = df.instructions[9];
    CHECK(hc.flag("interval")->value == "5s");
    CHECK(hc.words.front().text == "CMD");
    CHECK(df.instructions[10].words.front().text == "NONE");
    CHECK(df.instructions[11].json->at(0).text == "/entry");
    CHECK(df.instructions[12].json->size() == 4);
}

TEST_CASE("comments directly above an instruction are kept with it", "[parser]") {
    auto df = parse("# base image\n# pinned\nFROM a\n\n# unrelated\n\nRUN x\n");
    CHECK(df.instructions[0].preceding_comments ==
          std::vector<std::string>{"base image", "pinned"});
    CHECK(df.instructions[0].preceding_comments_range == Range{{0, 0}, {1, 8}});
    CHECK(df.instructions[1].preceding_comments.empty());
}

TEST_CASE("ONBUILD triggers read their heredoc bodies", "[parser]") {
    auto df = parse("FROM a\nONBUILD RUN <<EOF\necho hi\nEOF\nCMD [\"x\"]\n");
    REQUIRE(df.diagnostics.empty());
    REQUIRE(df.instructions.size() == 3);
    CHECK(df.instructions[1].trigger->heredocs[0].body == "echo hi\n");
    CHECK(df.instructions[1].range.end.line == 3);
    CHECK(df.instructions[2].kind == InstructionKind::Cmd);
}

TEST_CASE("heredocs: a file descriptor too large for an int is no here-document (fuzz find)",
          "[parser]") {
    envbuilder::dockerfile::Dockerfile df;
    REQUIRE_NOTHROW(
        df = envbuilder::dockerfile::parse("FROM a\nRUN cat 99999999999<<EOF\nhi\nEOF\n"));
    REQUIRE(df.instructions.size() >= 2);
    CHECK(df.instructions[1].heredocs.empty());
    auto small = envbuilder::dockerfile::parse("FROM a\nRUN cat 3<<EOF\nhi\nEOF\n");
    REQUIRE(small.instructions.size() == 2);
    REQUIRE(small.instructions[1].heredocs.size() == 1);
    CHECK(small.instructions[1].heredocs[0].file_descriptor == 3);
}
