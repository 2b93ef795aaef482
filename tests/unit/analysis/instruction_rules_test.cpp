#include <catch2/catch.hpp>

#include <set>

#include "analysis/dockerfile_lint.h"
#include "analysis/rules/rule.h"
#include "syntax/dockerfile_parser.h"

using namespace envbuilder;

namespace {

// Only the diagnostics of one rule. The other rules (the build checks) are written elsewhere and
// are switched off, so that these tests depend neither on their output nor on their behaviour.
std::vector<Diagnostic> lint(std::string text, std::string_view code, LintOptions options = {}) {
    for (const rules::Rule& rule : rules::dockerfile_rules()) {
        bool ours = false;
        for (const rules::Rule& mine : rules::instruction_rules())
            ours = ours || std::string_view(mine.info.name) == rule.info.name;
        if (!ours) options.disabled_rules.insert(rule.info.name);
    }
    auto df = dockerfile::parse(std::move(text));
    std::vector<Diagnostic> out;
    for (Diagnostic& d : lint_dockerfile(df, options))
        if (d.code == code) out.push_back(std::move(d));
    return out;
}

Range R(uint32_t l1, uint32_t c1, uint32_t l2, uint32_t c2) {
    return {{l1, c1}, {l2, c2}};
}

bool mentions(const Diagnostic& d, std::string_view text) {
    return d.message.find(text) != std::string::npos;
}

// The single diagnostic of `code`, checked for severity and range.
Diagnostic one(std::string text, std::string_view code, Range range,
               Severity severity = Severity::Error) {
    auto ds = lint(std::move(text), code);
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].severity == severity);
    CHECK(ds[0].range == range);
    CHECK(ds[0].url.empty());
    return ds[0];
}

void none(std::string text, std::string_view code) {
    auto ds = lint(std::move(text), code);
    INFO(text);
    for (auto& d : ds) INFO(d.message);
    CHECK(ds.empty());
}

}  // namespace

TEST_CASE("ArgumentCount: FROM takes an image and optionally AS name", "[instruction-rules]") {
    one("FROM\n", "ArgumentCount", R(0, 0, 0, 4));
    auto d = one("FROM alpine foo\n", "ArgumentCount", R(0, 12, 0, 15));
    CHECK(mentions(d, "'foo'"));
    one("FROM alpine AS\n", "ArgumentCount", R(0, 12, 0, 14));
    one("FROM alpine AS a b c\n", "ArgumentCount", R(0, 17, 0, 20));
    one("FROM alpine IS a\n", "ArgumentCount", R(0, 12, 0, 14));
    none("FROM alpine as build\nFROM build\n", "ArgumentCount");
}

TEST_CASE("ArgumentCount: COPY/ADD need a source and a destination", "[instruction-rules]") {
    one("FROM a\nCOPY foo\n", "ArgumentCount", R(1, 0, 1, 4));
    one("FROM a\nADD [\"foo\"]\n", "ArgumentCount", R(1, 0, 1, 3));
    one("FROM a\nCOPY src <<EOF\nx\nEOF\n", "ArgumentCount", R(1, 9, 1, 14));
    none("FROM a\nCOPY <<EOF /dst\nx\nEOF\nADD [\"a\", \"b\"]\nCOPY a b c/\n", "ArgumentCount");
}

TEST_CASE("ArgumentCount: single-value and at-least-one instructions", "[instruction-rules]") {
    auto d = one("FROM a\nUSER app extra\n", "ArgumentCount", R(1, 9, 1, 14));
    CHECK(mentions(d, "USER"));
    one("FROM a\nSTOPSIGNAL SIGTERM now\n", "ArgumentCount", R(1, 19, 1, 22));
    one("FROM a\nENV FOO\n", "ArgumentCount", R(1, 4, 1, 7));
    one("FROM a\nWORKDIR\n", "ArgumentCount", R(1, 0, 1, 7));
    one("FROM a\nEXPOSE\n", "ArgumentCount", R(1, 0, 1, 6));
    one("FROM a\nRUN\n", "ArgumentCount", R(1, 0, 1, 3));
    one("FROM a\nONBUILD\n", "ArgumentCount", R(1, 0, 1, 7));
    one("FROM a\nVOLUME [\"\"]\n", "ArgumentCount", R(1, 8, 1, 10));
    // BuildKit reads the whole text of WORKDIR and MAINTAINER as one argument.
    none(
        "FROM a\nWORKDIR /my dir\nMAINTAINER Jane Doe <jane@example.com>\nENV FOO bar\nRUN "
        "<<EOF\nls\nEOF\n"
        "ARG A B\nCMD [\"x\"]\n",
        "ArgumentCount");
}

TEST_CASE("ArgumentCount: HEALTHCHECK forms", "[instruction-rules]") {
    one("FROM a\nHEALTHCHECK NONE now\n", "ArgumentCount", R(1, 17, 1, 20));
    one("FROM a\nHEALTHCHECK CMD\n", "ArgumentCount", R(1, 12, 1, 15));
    auto d = one("FROM a\nHEALTHCHECK CHECK curl\n", "ArgumentCount", R(1, 12, 1, 17));
    CHECK(mentions(d, "CHECK"));
    one("FROM a\nHEALTHCHECK\n", "ArgumentCount", R(1, 0, 1, 11));
    none(
        "FROM a\nHEALTHCHECK NONE\nHEALTHCHECK --interval=5s CMD curl -f http://x/\nHEALTHCHECK "
        "cmd [\"a\"]\n",
        "ArgumentCount");
}

TEST_CASE("ArgumentCount: ONBUILD triggers are checked too", "[instruction-rules]") {
    one("FROM a\nONBUILD COPY x\n", "ArgumentCount", R(1, 8, 1, 12));
    none("FROM a\nONBUILD COPY x /y\n", "ArgumentCount");
}

TEST_CASE("UnknownFlag: suggestion, fix and instructions without flags", "[instruction-rules]") {
    auto d = one("FROM a\nCOPY --chwon=app a /b\n", "UnknownFlag", R(1, 5, 1, 12));
    CHECK(mentions(d, "did you mean --chown?"));
    REQUIRE(d.fix);
    REQUIRE(d.fix->edits.size() == 1);
    CHECK(d.fix->edits[0].new_text == "--chown");
    CHECK(d.fix->edits[0].range == R(1, 5, 1, 12));

    auto other = one("FROM a\nCOPY --checksum=sha256:x a /b\n", "UnknownFlag", R(1, 5, 1, 15));
    CHECK(mentions(other, "ADD"));
    auto env = one("FROM a\nENV --x=1 A=b\n", "UnknownFlag", R(1, 4, 1, 7));
    CHECK(mentions(env, "takes no flags"));
    CHECK(!env.fix);
    one("FROM a\nONBUILD RUN --mnt=type=cache,target=/x make\n", "UnknownFlag", R(1, 12, 1, 17));

    none(
        "FROM --platform=linux/amd64 a\nCOPY --chown=1 --chmod=644 --link --parents --exclude=x "
        "--from=a a /b\n"
        "ADD --keep-git-dir --checksum=sha256:x --unpack --link a /b\n"
        "RUN --mount=type=cache,target=/x --network=none --security=insecure --device=x make\n"
        "HEALTHCHECK --interval=1s --timeout=1s --start-period=1s --start-interval=1s --retries=3 "
        "CMD x\n"
        "HEALTHCHECK --whatever=1 NONE\n",
        "UnknownFlag");
}

TEST_CASE("DuplicateFlag: once-only flags repeated", "[instruction-rules]") {
    auto d = one("FROM a\nCOPY --from=a --from=b x /y\n", "DuplicateFlag", R(1, 14, 1, 22));
    CHECK(mentions(d, "--from"));
    one("FROM a\nCOPY --link --link x /y\n", "DuplicateFlag", R(1, 12, 1, 18));
    none(
        "FROM a\nCOPY --exclude=a --exclude=b x /y\nRUN --mount=type=cache,target=/a "
        "--mount=type=tmpfs,target=/b x\n",
        "DuplicateFlag");
}

TEST_CASE("MissingFlagValue: bare and empty values", "[instruction-rules]") {
    auto d = one("FROM a\nCOPY --from x /y\n", "MissingFlagValue", R(1, 5, 1, 11));
    CHECK(mentions(d, "--from"));
    one("FROM a\nCOPY --chown= x /y\n", "MissingFlagValue", R(1, 5, 1, 13));
    auto b = one("FROM a\nCOPY --link= x /y\n", "MissingFlagValue", R(1, 5, 1, 12));
    REQUIRE(b.fix);
    CHECK(b.fix->edits[0].new_text == "--link");
    one("FROM --platform a\n", "MissingFlagValue", R(0, 5, 0, 15));
    none("FROM a\nCOPY --link --parents x /y\nADD --keep-git-dir=true x /y\n", "MissingFlagValue");
}

TEST_CASE("InvalidFlagValue: booleans", "[instruction-rules]") {
    auto d = one("FROM a\nCOPY --link=yes x /y\n", "InvalidFlagValue", R(1, 12, 1, 15));
    CHECK(mentions(d, "true or false"));
    none("FROM a\nCOPY --link=TRUE x /y\nADD --keep-git-dir=False x /y\n", "InvalidFlagValue");
}

TEST_CASE("InvalidFlagValue: HEALTHCHECK durations and retries", "[instruction-rules]") {
    auto d = one("FROM a\nHEALTHCHECK --interval=5 CMD x\n", "InvalidFlagValue", R(1, 23, 1, 24));
    CHECK(mentions(d, "unit"));
    one("FROM a\nHEALTHCHECK --timeout=500us CMD x\n", "InvalidFlagValue", R(1, 22, 1, 27));
    one("FROM a\nHEALTHCHECK --timeout=-1s CMD x\n", "InvalidFlagValue", R(1, 22, 1, 25));
    one("FROM a\nHEALTHCHECK --start-period=5x CMD x\n", "InvalidFlagValue", R(1, 27, 1, 29));
    one("FROM a\nHEALTHCHECK --retries=-1 CMD x\n", "InvalidFlagValue", R(1, 22, 1, 24));
    one("FROM a\nHEALTHCHECK --retries=two CMD x\n", "InvalidFlagValue", R(1, 22, 1, 25));
    // 0 means "the default" for durations and retries in current BuildKit.
    none(
        "FROM a\nHEALTHCHECK --interval=0 --timeout=1m30s --start-period=1.5s --start-interval=1ms "
        "--retries=0 CMD x\nHEALTHCHECK --interval=2h45m0.5s --timeout=1ms CMD x\n",
        "InvalidFlagValue");
}

TEST_CASE("InvalidFlagValue: chmod, platform, checksum, from", "[instruction-rules]") {
    one("FROM a\nCOPY --chmod=8888 x /y\n", "InvalidFlagValue", R(1, 13, 1, 17));
    one("FROM a\nCOPY --chmod=17777 x /y\n", "InvalidFlagValue", R(1, 13, 1, 18));
    one("FROM --platform=linux//amd64 a\n", "InvalidFlagValue", R(0, 16, 0, 28));
    one("FROM --platform=banana a\n", "InvalidFlagValue", R(0, 16, 0, 22));
    auto c = one("FROM a\nADD --checksum=sha256:abc https://x/y /z\n", "InvalidFlagValue",
                 R(1, 15, 1, 25));
    CHECK(mentions(c, "64"));
    one("FROM a\nCOPY --from=-x y /z\n", "InvalidFlagValue", R(1, 12, 1, 14));
    none(
        "FROM --platform=$BUILDPLATFORM a\nFROM --platform=linux/arm64/v8 a\nFROM --platform=amd64 "
        "a\n"
        "COPY --chmod=0644 x /y\nCOPY --chmod=u+x,go=r x /y\nCOPY --chmod=$MODE x /y\n"
        "ADD --checksum=sha256:" +
            std::string(64, 'e') + " https://x/y /z\nCOPY --from=$STAGE y /z\n",
        "InvalidFlagValue");
}

TEST_CASE("InvalidRunMount: values, keys and per-type constraints", "[instruction-rules]") {
    auto d = one("FROM a\nRUN --mount=type=cache,target=/root/.cache,sharing=bogus make\n",
                 "InvalidRunMount", R(1, 51, 1, 56));
    CHECK(mentions(d, "shared, private or locked"));
    auto k =
        one("FROM a\nRUN --mount=tpye=cache,target=/x make\n", "InvalidRunMount", R(1, 12, 1, 16));
    CHECK(mentions(k, "did you mean type?"));
    one("FROM a\nRUN --mount=type=volume,target=/x make\n", "InvalidRunMount", R(1, 17, 1, 23));
    one("FROM a\nRUN --mount=type=secret make\n", "InvalidRunMount", R(1, 12, 1, 23));
    one("FROM a\nRUN --mount=type=bind,source=x make\n", "InvalidRunMount", R(1, 12, 1, 30));
    one("FROM a\nRUN --mount=type=bind,target=/x,mode=0600 make\n", "InvalidRunMount",
        R(1, 32, 1, 36));
    one("FROM a\nRUN --mount=required,type=secret,id=x make\n", "InvalidRunMount", R(1, 12, 1, 20));
    one("FROM a\nRUN --mount=type=cache,target=/x,uid=abc make\n", "InvalidRunMount",
        R(1, 37, 1, 40));
    one("FROM a\nRUN --mount=type=secret,id=a,source=b make\n", "InvalidRunMount", R(1, 24, 1, 26));
    one("FROM a\nRUN --mount=type=cache,target=/x,oops make\n", "InvalidRunMount", R(1, 33, 1, 37));
    none(
        "FROM a\nRUN --mount=type=secret,id=tok,required make\n"
        "RUN --mount=type=cache,target=/x,uid=$UID,sharing=locked,mode=0755 make\n"
        "RUN --mount=type=ssh make\nRUN --mount=target=/src,from=build,rw make\n"
        "RUN --mount=type=tmpfs,target=/t,size=64m make\nRUN --mount=type=secret,id=t,env=TOKEN "
        "make\n",
        "InvalidRunMount");
}

TEST_CASE("InvalidRunNetwork and InvalidRunSecurity", "[instruction-rules]") {
    auto n = one("FROM a\nRUN --network=hots make\n", "InvalidRunNetwork", R(1, 14, 1, 18));
    REQUIRE(n.fix);
    CHECK(n.fix->edits[0].new_text == "host");
    none("FROM a\nRUN --network=none make\nRUN --network=default x\nRUN --network=host x\n",
         "InvalidRunNetwork");
    one("FROM a\nRUN --security=unsafe make\n", "InvalidRunSecurity", R(1, 15, 1, 21));
    none("FROM a\nRUN --security=insecure make\nRUN --security=sandbox x\n", "InvalidRunSecurity");
}

TEST_CASE("InvalidPort and InvalidProtocol", "[instruction-rules]") {
    auto ds = lint("FROM a\nEXPOSE 80 99999 8080-80 abc/tcp \"70000\"\n", "InvalidPort");
    REQUIRE(ds.size() == 4);
    CHECK(ds[0].range == R(1, 10, 1, 15));
    CHECK(ds[1].range == R(1, 16, 1, 23));
    CHECK(ds[2].range == R(1, 24, 1, 27));
    CHECK(ds[3].range == R(1, 33, 1, 38));
    CHECK(ds[0].severity == Severity::Error);
    none("FROM a\nEXPOSE 80/tcp 8000-8010/udp 0 65535 $PORT 127.0.0.1:80:80 \"443\"\n",
         "InvalidPort");

    auto p = one("FROM a\nEXPOSE 80/tpc\n", "InvalidProtocol", R(1, 10, 1, 13));
    REQUIRE(p.fix);
    CHECK(p.fix->edits[0].new_text == "tcp");
    none("FROM a\nEXPOSE 80/TCP 53/udp 9/sctp 80/ ${P}/xyz 1.2.3.4:80/foo\n", "InvalidProtocol");
}

TEST_CASE("InvalidStopSignal", "[instruction-rules]") {
    auto d = one("FROM a\nSTOPSIGNAL SIGTREM\n", "InvalidStopSignal", R(1, 11, 1, 18));
    REQUIRE(d.fix);
    CHECK(d.fix->edits[0].new_text == "SIGTERM");
    one("FROM a\nSTOPSIGNAL 65\n", "InvalidStopSignal", R(1, 11, 1, 13));
    one("FROM a\nSTOPSIGNAL 0\n", "InvalidStopSignal", R(1, 11, 1, 12));
    one("FROM a\nSTOPSIGNAL SIGRTMIN+16\n", "InvalidStopSignal", R(1, 11, 1, 22));
    none(
        "FROM a\nSTOPSIGNAL sigquit\nSTOPSIGNAL 9\nSTOPSIGNAL SIGRTMIN+3\nSTOPSIGNAL RTMAX-14\n"
        "STOPSIGNAL $SIG\nSTOPSIGNAL \"SIGKILL\"\nSTOPSIGNAL WINCH\n",
        "InvalidStopSignal");
}

TEST_CASE("ShellRequiresJson", "[instruction-rules]") {
    auto d = one("FROM a\nSHELL /bin/bash -c\n", "ShellRequiresJson", R(1, 6, 1, 18));
    REQUIRE(d.fix);
    CHECK(d.fix->edits[0].new_text == "[\"/bin/bash\", \"-c\"]");
    one("FROM a\nSHELL []\n", "ShellRequiresJson", R(1, 6, 1, 8));
    none("FROM a\nSHELL [\"/bin/sh\", \"-c\"]\nSHELL [\"pwsh\"]\n", "ShellRequiresJson");
}

TEST_CASE("InvalidOnbuildTrigger", "[instruction-rules]") {
    one("FROM a\nONBUILD FROM alpine\n", "InvalidOnbuildTrigger", R(1, 8, 1, 12));
    one("FROM a\nonbuild onbuild RUN x\n", "InvalidOnbuildTrigger", R(1, 8, 1, 15));
    one("FROM a\nONBUILD MAINTAINER me\n", "InvalidOnbuildTrigger", R(1, 8, 1, 18));
    none("FROM a\nONBUILD RUN make\nONBUILD COPY . /src\n", "InvalidOnbuildTrigger");
}

TEST_CASE("UnterminatedQuote in expanded text only", "[instruction-rules]") {
    auto d = one("FROM a\nENV A=\"x\n", "UnterminatedQuote", R(1, 6, 1, 8));
    CHECK(mentions(d, "double-quoted"));
    one("FROM a\nLABEL a='b c\n", "UnterminatedQuote", R(1, 8, 1, 12));
    one("FROM a\nCOPY --chown=\"app x /y\n", "UnterminatedQuote", R(1, 13, 1, 22));
    one("FROM a\nWORKDIR /a/${DIR\n", "UnterminatedQuote", R(1, 11, 1, 16));
    none(
        "FROM a\nRUN echo \"x\nCMD echo 'x\nENV A=\"x\" B='y z'\nCOPY [\"a'b\", \"/c\"]\nWORKDIR "
        "/a/${DIR}\n",
        "UnterminatedQuote");
}

TEST_CASE("UnsupportedModifier", "[instruction-rules]") {
    auto d = one("FROM a\nENV A=${B:=c}\n", "UnsupportedModifier", R(1, 6, 1, 13));
    CHECK(mentions(d, ":="));
    one("ARG V=${X:1:2}\nFROM a\n", "UnsupportedModifier", R(0, 6, 0, 14));
    one("FROM a\nRUN --mount=type=cache,target=${D:=x} make\n", "UnsupportedModifier",
        R(1, 30, 1, 37));
    none(
        "ARG X\nFROM a\nENV A=${B:-c} B=${B#x} C=${C%%y} D=${D/a/b} E=${E:?required}\nRUN echo "
        "${A:=x}\n",
        "UnsupportedModifier");
}

TEST_CASE("InvalidStageName", "[instruction-rules]") {
    auto d = one("FROM alpine AS 1build\n", "InvalidStageName", R(0, 15, 0, 21));
    CHECK(mentions(d, "1build"));
    one("FROM alpine AS my:stage\n", "InvalidStageName", R(0, 15, 0, 23));
    none("FROM alpine AS Build_1.x-y\nFROM alpine\n", "InvalidStageName");
}

TEST_CASE("InvalidImageReference: FROM", "[instruction-rules]") {
    auto d = one("FROM Alpine\n", "InvalidImageReference", R(0, 5, 0, 11));
    CHECK(mentions(d, "lowercase"));
    one("FROM alpine:\n", "InvalidImageReference", R(0, 11, 0, 12));
    one("FROM alpine@sha256:abc\n", "InvalidImageReference", R(0, 19, 0, 22));
    auto e = one("ARG IMG=Bad\nFROM $IMG\n", "InvalidImageReference", R(1, 5, 1, 9));
    CHECK(mentions(e, "'Bad'"));
    auto s = one("FROM SCRATCH\n", "InvalidImageReference", R(0, 5, 0, 12));
    CHECK(mentions(s, "scratch"));

    none(
        "ARG TAG\nARG BASE=alpine\nFROM ${BASE}:${TAG}\nFROM alpine AS Build\nFROM build\nFROM "
        "scratch\n"
        "FROM localhost:5000/x/y:1@sha256:" +
            std::string(64, '0') +
            "\nFROM \"alpine:3\"\n"
            "FROM ${IMG:-debian:12}\nFROM $BUILDPLATFORM\n",
        "InvalidImageReference");

    LintOptions options;
    options.build_args["IMG"] = "ok";
    CHECK(lint("ARG IMG=Bad\nFROM $IMG\n", "InvalidImageReference", options).empty());
}

TEST_CASE("InvalidImageReference: COPY --from of an image", "[instruction-rules]") {
    auto d = one("FROM a AS build\nCOPY --from=Builder /x /y\n", "InvalidImageReference",
                 R(1, 12, 1, 19));
    CHECK(mentions(d, "stage"));
    none(
        "FROM a AS build\nCOPY --from=BUILD /x /y\nCOPY --from=0 /x /y\nCOPY --from=nginx:latest "
        "/x /y\n"
        "COPY --from=$S /x /y\n",
        "InvalidImageReference");
}

TEST_CASE("CopyDestinationNotDirectory", "[instruction-rules]") {
    auto d = one("FROM a\nCOPY a b /dst\n", "CopyDestinationNotDirectory", R(1, 9, 1, 13));
    REQUIRE(d.fix);
    CHECK(d.fix->edits[0].range == R(1, 13, 1, 13));
    CHECK(d.fix->edits[0].new_text == "/");
    auto j = one("FROM a\nADD [\"a\", \"b\", \"/dst\"]\n", "CopyDestinationNotDirectory",
                 R(1, 15, 1, 21));
    REQUIRE(j.fix);
    CHECK(j.fix->edits[0].range == R(1, 20, 1, 20));
    one("FROM a\nCOPY *.txt /dst\n", "CopyDestinationNotDirectory", R(1, 11, 1, 15),
        Severity::Warning);
    none(
        "FROM a\nCOPY a b /dst/\nCOPY a b $DEST\nCOPY a b ${D}\nCOPY a b .\nCOPY a /dst\n"
        "COPY [\"a\", \"b\", \"/dst/\"]\nCOPY *.json ./\nCOPY <<A <<B /dst\na\nA\nb\nB\n",
        "CopyDestinationNotDirectory");
}

TEST_CASE("SingleQuotedJson", "[instruction-rules]") {
    auto d = one("FROM a\nCMD ['npm', 'start']\n", "SingleQuotedJson", R(1, 4, 1, 20),
                 Severity::Warning);
    REQUIRE(d.fix);
    CHECK(d.fix->edits[0].new_text == "[\"npm\", \"start\"]");
    CHECK(d.fix->edits[0].range == R(1, 4, 1, 20));
    auto e = one("FROM a\nENTRYPOINT ['a\\b']\n", "SingleQuotedJson", R(1, 11, 1, 18),
                 Severity::Warning);
    CHECK(!e.fix);
    none("FROM a\nCMD [\"npm\", \"start\"]\nRUN echo '[x]'\nRUN [ -f x ] && echo\nENV A=['a']\n",
         "SingleQuotedJson");
}

TEST_CASE("every instruction rule is in the catalog under a unique name", "[instruction-rules]") {
    const auto mine = rules::instruction_rules();
    CHECK(mine.size() >= 21);
    std::set<std::string> names;
    for (const rules::Rule& rule : rules::dockerfile_rules()) CHECK(names.insert(rule.info.name).second);
    for (const rules::Rule& rule : mine) {
        const rules::Rule* found = rules::find_rule(rule.info.name);
        REQUIRE(found);
        CHECK(found->check == rule.check);
        CHECK(!rule.info.build_check);
        CHECK(std::string_view(rule.info.url).empty());
    }
}

TEST_CASE("InstructionBeforeFrom and NoStages", "[instruction-rules]") {
    auto d = one("ARG X\nRUN x\nENV A=b\nFROM alpine\n", "InstructionBeforeFrom", R(1, 0, 1, 3));
    CHECK(mentions(d, "RUN"));
    none("ARG X\n# comment\nFROM alpine\nRUN x\n", "InstructionBeforeFrom");

    one("", "NoStages", R(0, 0, 0, 0));
    one("# just a comment\nARG X=1\n", "NoStages", R(0, 0, 0, 0));
    none("ARG X\nFROM alpine\n", "NoStages");
}
