// The rules BuildKit checks (docs.docker.com/reference/build-checks), one TEST_CASE per rule: the
// range, the severity, the fix and the documentation link each reports.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "lint_test_support.h"

using namespace envbuilder;
using envbuilder::testing::lint_rule;
using envbuilder::testing::lint_text;

namespace {
Range R(uint32_t l1, uint32_t c1, uint32_t l2, uint32_t c2) { return {{l1, c1}, {l2, c2}}; }
}  // namespace

TEST_CASE("StageNameCasing", "[build-checks]") {
    auto d = lint_rule("FROM alpine AS Builder\n", "StageNameCasing");
    REQUIRE(d.size() == 1);
    CHECK(d[0].severity == Severity::Warning);
    CHECK(d[0].range == R(0, 15, 0, 22));
    CHECK(d[0].fix->edits[0].new_text == "builder");
    CHECK(d[0].url == "https://docs.docker.com/reference/build-checks/stage-name-casing/");
    CHECK(lint_rule("FROM alpine AS builder\n", "StageNameCasing").empty());
}

TEST_CASE("FromAsCasing", "[build-checks]") {
    auto d = lint_rule("FROM alpine as b\n", "FromAsCasing");
    REQUIRE(d.size() == 1);
    CHECK(d[0].range == R(0, 12, 0, 14));
    CHECK(d[0].fix->edits[0].new_text == "AS");
    CHECK(lint_rule("from alpine AS b\n", "FromAsCasing").size() == 1);
    CHECK(lint_rule("FROM alpine AS b\nfrom alpine as c\n", "FromAsCasing").empty());
    CHECK(lint_rule("From alpine as b\n", "FromAsCasing").empty());
}

TEST_CASE("NoEmptyContinuation", "[build-checks]") {
    auto d = lint_rule("FROM a\nRUN x \\\n\n  y\n", "NoEmptyContinuation");
    REQUIRE(d.size() == 1);
    CHECK(d[0].range.start.line == 2);
    CHECK(d[0].fix->edits[0].range == R(2, 0, 3, 0));
    CHECK(lint_rule("FROM a\nRUN x \\\n# comment\n  y\n", "NoEmptyContinuation").empty());
}

TEST_CASE("ConsistentInstructionCasing", "[build-checks]") {
    auto d = lint_rule("FROM a\nRUN x\nrun y\nCOPY . .\n", "ConsistentInstructionCasing");
    REQUIRE(d.size() == 1);
    CHECK(d[0].range == R(2, 0, 2, 3));
    CHECK(d[0].message.find("uppercase") != std::string::npos);
    CHECK(d[0].fix->edits[0].new_text == "RUN");
    auto lower = lint_rule("from a\nrun x\nRun y\n", "ConsistentInstructionCasing");
    REQUIRE(lower.size() == 1);
    CHECK(lower[0].fix->edits[0].new_text == "run");
    CHECK(lint_rule("arg x\nFROM a\nRUN x\n", "ConsistentInstructionCasing").empty());
}

TEST_CASE("DuplicateStageName and ReservedStageName", "[build-checks]") {
    auto d = lint_rule("FROM a AS x\nFROM b AS X\n", "DuplicateStageName");
    REQUIRE(d.size() == 1);
    CHECK(d[0].range.start.line == 1);
    CHECK(lint_rule("FROM a AS x\nFROM b AS y\n", "DuplicateStageName").empty());
    CHECK(lint_rule("FROM a AS scratch\n", "ReservedStageName").size() == 1);
    CHECK(lint_rule("FROM a AS context\n", "ReservedStageName").size() == 1);
    CHECK(lint_rule("FROM a AS scratchpad\n", "ReservedStageName").empty());
}

TEST_CASE("JSONArgsRecommended", "[build-checks]") {
    auto d = lint_rule("FROM a\nCMD node server.js\n", "JSONArgsRecommended");
    REQUIRE(d.size() == 1);
    CHECK(d[0].range == R(1, 0, 1, 18));
    CHECK(d[0].fix->edits[0].new_text == "[\"node\", \"server.js\"]");
    auto piped = lint_rule("FROM a\nENTRYPOINT a | b\n", "JSONArgsRecommended");
    REQUIRE(piped.size() == 1);
    CHECK(!piped[0].fix);
    CHECK(lint_rule("FROM a\nCMD [\"node\"]\n", "JSONArgsRecommended").empty());
    CHECK(lint_rule("FROM a\nSHELL [\"/bin/bash\", \"-c\"]\nCMD node x\n", "JSONArgsRecommended").empty());
    CHECK(lint_rule("FROM a AS base\nSHELL [\"bash\", \"-c\"]\nFROM base\nCMD x y\n", "JSONArgsRecommended").empty());
}

TEST_CASE("MaintainerDeprecated", "[build-checks]") {
    auto d = lint_rule("FROM a\nMAINTAINER Jane <j@x.org>\n", "MaintainerDeprecated");
    REQUIRE(d.size() == 1);
    CHECK(d[0].fix->edits[0].new_text == "LABEL org.opencontainers.image.authors=\"Jane <j@x.org>\"");
    CHECK(lint_rule("FROM a\nLABEL maintainer=x\n", "MaintainerDeprecated").empty());
}

TEST_CASE("UndefinedArgInFrom", "[build-checks]") {
    auto d = lint_rule("ARG VERSION=1\nFROM alpine:${VERSON}\n", "UndefinedArgInFrom");
    REQUIRE(d.size() == 1);
    CHECK(d[0].range == R(1, 14, 1, 20));
    CHECK(d[0].message.find("did you mean VERSION") != std::string::npos);
    CHECK(lint_rule("ARG VERSION\nFROM --platform=$BUILDPLATFORM alpine:${VERSION}\n", "UndefinedArgInFrom").empty());
    CHECK(lint_rule("FROM --platform=$PLAT alpine\n", "UndefinedArgInFrom").size() == 1);
}

TEST_CASE("WorkdirRelativePath", "[build-checks]") {
    auto d = lint_rule("FROM a\nWORKDIR app\n", "WorkdirRelativePath");
    REQUIRE(d.size() == 1);
    CHECK(d[0].range == R(1, 8, 1, 11));
    CHECK(lint_rule("FROM a\nWORKDIR /app\nWORKDIR sub\n", "WorkdirRelativePath").empty());
    CHECK(lint_rule("FROM a AS b\nWORKDIR /x\nFROM b\nWORKDIR y\n", "WorkdirRelativePath").empty());
    CHECK(lint_rule("FROM a\nENV D=/srv\nWORKDIR $D\n", "WorkdirRelativePath").empty());
    CHECK(lint_rule("FROM a\nENV D=srv\nWORKDIR $D\n", "WorkdirRelativePath").size() == 1);
}

TEST_CASE("UndefinedVar", "[build-checks]") {
    auto d = lint_rule("FROM scratch\nENV FOO=1\nCOPY $FOOO /x\n", "UndefinedVar");
    REQUIRE(d.size() == 1);
    CHECK(d[0].range == R(2, 6, 2, 10));
    CHECK(d[0].message.find("did you mean $FOO") != std::string::npos);
    // A global ARG must be declared again inside the stage.
    auto g = lint_rule("ARG V=1\nFROM alpine\nENV X=$V\n", "UndefinedVar");
    REQUIRE(g.size() == 1);
    CHECK(lint_rule("ARG V=1\nFROM alpine\nARG V\nENV X=$V\n", "UndefinedVar").empty());
    // Unknown image env: a name that is no near-miss might come from the image.
    CHECK(lint_rule("FROM node\nWORKDIR $NODE_HOME\n", "UndefinedVar").empty());
    CHECK(lint_rule("FROM scratch\nWORKDIR $NODE_HOME\n", "UndefinedVar").size() == 1);
    // With the image's env known, the check is complete.
    LintOptions with_image;
    with_image.resolve_base_image = [](const std::string&, const std::string&) {
        return std::optional<BaseImageInfo>(BaseImageInfo{{{"NODE_HOME", "/n"}}, "linux", "amd64", ""});
    };
    CHECK(lint_rule("FROM node\nWORKDIR $NODE_HOME\nUSER $OTHER\n", "UndefinedVar", with_image).size() == 1);
    CHECK(lint_rule("FROM scratch\nCOPY ${MISSING:-x} /\nRUN echo $NOPE\n", "UndefinedVar").empty());
    CHECK(lint_rule("FROM scratch\nENV PATH=$PATH:/x\n", "UndefinedVar").empty());
}

TEST_CASE("MultipleInstructionsDisallowed", "[build-checks]") {
    auto d = lint_rule("FROM a\nCMD [\"a\"]\nCMD [\"b\"]\nFROM b\nCMD [\"c\"]\n", "MultipleInstructionsDisallowed");
    REQUIRE(d.size() == 1);
    CHECK(d[0].range == R(1, 0, 1, 3));
    CHECK(lint_rule("FROM a\nCMD [\"a\"]\nENTRYPOINT [\"b\"]\n", "MultipleInstructionsDisallowed").empty());
}

TEST_CASE("LegacyKeyValueFormat", "[build-checks]") {
    auto d = lint_rule("FROM a\nENV PATH_X /usr/bin extra\n", "LegacyKeyValueFormat");
    REQUIRE(d.size() == 1);
    CHECK(d[0].fix->edits[0].new_text == "PATH_X=\"/usr/bin extra\"");
    CHECK(lint_rule("FROM a\nLABEL k v\n", "LegacyKeyValueFormat")[0].fix->edits[0].new_text == "k=v");
    CHECK(lint_rule("FROM a\nENV K=v\n", "LegacyKeyValueFormat").empty());
}

TEST_CASE("InvalidBaseImagePlatform runs with a resolver", "[build-checks]") {
    LintOptions options;
    options.target_platform = "linux/amd64";
    options.resolve_base_image = [](const std::string& ref, const std::string&) {
        if (ref == "arm-only") return std::optional<BaseImageInfo>(BaseImageInfo{{}, "linux", "arm64", "v8"});
        return std::optional<BaseImageInfo>(BaseImageInfo{{}, "linux", "amd64", ""});
    };
    auto d = lint_rule("FROM arm-only\n", "InvalidBaseImagePlatform", options);
    REQUIRE(d.size() == 1);
    CHECK(d[0].message.find("linux/arm64/v8") != std::string::npos);
    CHECK(lint_rule("FROM fine\n", "InvalidBaseImagePlatform", options).empty());
    CHECK(lint_rule("FROM arm-only\n", "InvalidBaseImagePlatform").empty());
}

TEST_CASE("RedundantTargetPlatform and FromPlatformFlagConstDisallowed", "[build-checks]") {
    auto d = lint_rule("FROM --platform=$TARGETPLATFORM alpine\n", "RedundantTargetPlatform");
    REQUIRE(d.size() == 1);
    CHECK(d[0].fix->edits[0].range == R(0, 5, 0, 32));
    CHECK(lint_rule("FROM --platform=$BUILDPLATFORM alpine\n", "RedundantTargetPlatform").empty());
    CHECK(lint_rule("FROM --platform=linux/amd64 alpine\n", "FromPlatformFlagConstDisallowed").size() == 1);
    CHECK(lint_rule("FROM --platform=linux/amd64 alpine AS build-amd64\n", "FromPlatformFlagConstDisallowed").empty());
    CHECK(lint_rule("FROM --platform=$BUILDPLATFORM alpine\n", "FromPlatformFlagConstDisallowed").empty());
}

TEST_CASE("SecretsUsedInArgOrEnv", "[build-checks]") {
    auto d = lint_rule("FROM a\nARG GITHUB_TOKEN\nENV AWS_SECRET_ACCESS_KEY=x\n", "SecretsUsedInArgOrEnv");
    REQUIRE(d.size() == 2);
    CHECK(d[0].range == R(1, 4, 1, 16));
    CHECK(lint_rule("FROM a\nARG PUBLIC_KEY\nENV PASSWORD1=x MONKEY=y KEY_FILE=z\n", "SecretsUsedInArgOrEnv").empty());
}

TEST_CASE("ExposeProtoCasing and ExposeInvalidFormat", "[build-checks]") {
    auto d = lint_rule("FROM a\nEXPOSE 80/TCP 53/udp\n", "ExposeProtoCasing");
    REQUIRE(d.size() == 1);
    CHECK(d[0].fix->edits[0].range == R(1, 10, 1, 13));
    CHECK(d[0].fix->edits[0].new_text == "tcp");
    auto f = lint_rule("FROM a\nEXPOSE 127.0.0.1:8080:80 8080:80 443\n", "ExposeInvalidFormat");
    REQUIRE(f.size() == 2);
    CHECK(f[1].fix->edits[0].new_text == "80");
    CHECK(lint_rule("FROM a\nEXPOSE 80 443/tcp\n", "ExposeInvalidFormat").empty());
}

TEST_CASE("InvalidDefinitionDescription is experimental", "[build-checks]") {
    std::string text = "# check=experimental=InvalidDefinitionDescription\n\n# the version to use\nARG VERSION=1\n"
                       "# builder compiles\nFROM a AS builder\n";
    auto d = lint_rule(text, "InvalidDefinitionDescription");
    REQUIRE(d.size() == 1);
    CHECK(d[0].range.start.line == 2);
    CHECK(lint_rule("# the version\nARG VERSION=1\nFROM a\n", "InvalidDefinitionDescription").empty());
}

TEST_CASE("CopyIgnoredFile reads .dockerignore", "[build-checks]") {
    auto dir = std::filesystem::temp_directory_path() / ("eb-ignore-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / ".dockerignore") << "# comment\nsecrets/\n*.log\n";
    LintOptions options;
    options.context_dir = dir;
    std::string text = "# check=experimental=CopyIgnoredFile\nFROM a\nCOPY secrets/key.pem app.log src/ /app/\n";
    auto d = lint_rule(text, "CopyIgnoredFile", options);
    REQUIRE(d.size() == 2);
    CHECK(d[0].range == R(2, 5, 2, 20));
    CHECK(lint_rule("FROM a\nCOPY app.log /\n", "CopyIgnoredFile", options).empty());  // not enabled
    std::filesystem::remove_all(dir);
}

TEST_CASE("stage references: self, cycles, later stages, images", "[build-checks]") {
    auto self = lint_rule("FROM a AS x\nCOPY --from=x /a /b\n", "CircularStageReference");
    REQUIRE(self.size() == 1);
    CHECK(self[0].severity == Severity::Error);
    CHECK(self[0].range == R(1, 12, 1, 13));
    auto cycle = lint_text("FROM a AS x\nCOPY --from=y /a /b\nFROM a AS y\nCOPY --from=x /a /b\n");
    CHECK(testing::only(cycle, "CircularStageReference").size() == 1);
    CHECK(testing::only(cycle, "CopyFromLaterStage").empty());
    auto later = lint_rule("FROM a AS x\nCOPY --from=y /a /b\nFROM a AS y\n", "CopyFromLaterStage");
    REQUIRE(later.size() == 1);
    auto image = lint_rule("FROM a AS builder\nFROM b\nCOPY --from=buidler /a /b\nCOPY --from=nginx:1 /c /d\n",
                           "StageReferenceIsImage");
    REQUIRE(image.size() == 2);
    CHECK(image[0].severity == Severity::Information);
    CHECK(image[0].fix->edits[0].new_text == "builder");
    CHECK(!image[1].fix);
    CHECK(lint_rule("FROM a AS x\nFROM b\nCOPY --from=x /a /b\nCOPY --from=0 /a /b\n", "StageReferenceIsImage").empty());
    auto mount = lint_rule("FROM a AS deps\nFROM b\nRUN --mount=type=cache,from=dep,target=/x true\n", "StageReferenceIsImage");
    REQUIRE(mount.size() == 1);
    CHECK(mount[0].range == R(2, 28, 2, 31));
}

TEST_CASE("check directive: skip, error, experimental", "[build-checks]") {
    std::string body = "FROM a AS Builder\nMAINTAINER x\n";
    CHECK(lint_rule("# check=skip=StageNameCasing\n" + body, "StageNameCasing").empty());
    CHECK(lint_rule("# check=skip=StageNameCasing\n" + body, "MaintainerDeprecated").size() == 1);
    CHECK(lint_rule("# check=skip=all\n" + body, "MaintainerDeprecated").empty());
    auto err = lint_rule("# check=error=true\n" + body, "StageNameCasing");
    REQUIRE(err.size() == 1);
    CHECK(err[0].severity == Severity::Error);
    CHECK(testing::only(lint_text("# check=bogus=1\n" + body), "InvalidCheckDirective").size() == 1);
}

TEST_CASE("options: disabled rules and severity overrides", "[build-checks]") {
    LintOptions options;
    options.disabled_rules = {"StageNameCasing"};
    options.severity_overrides = {{"MaintainerDeprecated", Severity::Hint}};
    auto all = lint_text("FROM a AS Builder\nMAINTAINER x\n", options);
    CHECK(testing::only(all, "StageNameCasing").empty());
    REQUIRE(testing::only(all, "MaintainerDeprecated").size() == 1);
    CHECK(testing::only(all, "MaintainerDeprecated")[0].severity == Severity::Hint);
}

TEST_CASE("InvalidDefaultArgInFrom", "[build-checks]") {
    auto d = lint_rule("ARG TAG\nFROM busybox:${TAG}\n", "InvalidDefaultArgInFrom");
    REQUIRE(d.size() == 1);
    CHECK(d[0].range == R(1, 5, 1, 19));
    CHECK(lint_rule("ARG IMAGE\nFROM ${IMAGE}\n", "InvalidDefaultArgInFrom").size() == 1);
    CHECK(lint_rule("ARG VARIANT\nFROM busybox:stable${VARIANT}\n", "InvalidDefaultArgInFrom").empty());
    CHECK(lint_rule("ARG TAG\nFROM busybox:${TAG:-1.36}\n", "InvalidDefaultArgInFrom").empty());
    CHECK(lint_rule("ARG TAG=1.36\nFROM busybox:${TAG}\n", "InvalidDefaultArgInFrom").empty());
}

TEST_CASE("ARG scoping: platform args get values, proxy args need no ARG", "[build-checks]") {
    // TARGETARCH declared in the stage has the target's value, so this WORKDIR is absolute.
    LintOptions options;
    options.target_platform = "linux/arm64";
    CHECK(lint_rule("FROM scratch\nARG TARGETARCH\nWORKDIR /opt/${TARGETARCH}\n", "WorkdirRelativePath", options).empty());
    CHECK(lint_rule("FROM scratch\nARG TARGETARCH\nWORKDIR ${TARGETARCH}\n", "WorkdirRelativePath", options).size() == 1);
    CHECK(lint_rule("FROM scratch\nCOPY $TARGETARCH /x\n", "UndefinedVar").size() == 1);
    LintOptions proxy;
    proxy.build_args = {{"HTTP_PROXY", "http://proxy:3128"}};
    CHECK(lint_rule("FROM scratch\nENV P=$HTTP_PROXY\n", "UndefinedVar", proxy).empty());
    CHECK(lint_rule("FROM scratch\nENV P=$HTTP_PROXY\n", "UndefinedVar").size() == 1);
}

TEST_CASE("a later ARG replaces an earlier value, an ENV is not overridden", "[build-checks]") {
    CHECK(lint_rule("FROM scratch\nARG D=rel\nARG D=/abs\nWORKDIR $D\n", "WorkdirRelativePath").empty());
    CHECK(lint_rule("FROM scratch\nENV D=rel\nARG D=/abs\nWORKDIR $D\n", "WorkdirRelativePath").size() == 1);
}

TEST_CASE("DirectiveCasing", "[build-checks]") {
    auto d = lint_rule("# ESCAPE=`\nFROM a\n", "DirectiveCasing");
    REQUIRE(d.size() == 1);
    CHECK(d[0].range == R(0, 2, 0, 8));
    CHECK(d[0].fix->edits[0].new_text == "escape");
    CHECK(lint_rule("# escape=`\nFROM a\n", "DirectiveCasing").empty());
}
