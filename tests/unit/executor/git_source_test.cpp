#include <catch2/catch.hpp>

#include "executor/git_source.h"

using namespace envbuilder::executor;

// Fetching needs a git server (tests/live/build_live_test.cpp clones a local repository); what
// a source names is read here.
TEST_CASE("git sources: which strings are repositories, and their ref and subdir",
          "[executor][git]") {
    CHECK(is_git_source("https://github.com/acme/app.git"));
    CHECK(is_git_source("git@github.com:acme/app.git"));
    CHECK(is_git_source("https://github.com/acme/app.git#v1.2.0:docs"));
    CHECK(!is_git_source("https://example.com/file.tar.gz"));
    CHECK(!is_git_source("src/app.git.bak"));
    std::string problem;
    auto source = parse_git_source("https://github.com/acme/app.git#v1.2.0:docs", &problem);
    REQUIRE(source);
    CHECK(source->url == "https://github.com/acme/app.git");
    CHECK(source->ref == "v1.2.0");
    CHECK(source->subdir == "docs");
    auto plain = parse_git_source("https://github.com/acme/app.git", &problem);
    REQUIRE(plain);
    CHECK(plain->ref.empty());
    CHECK(plain->subdir.empty());
    CHECK(!parse_git_source("https://github.com/acme/app.git#main:../etc", &problem));
    CHECK(!problem.empty());
}

TEST_CASE("git sources: credentials in the URL never reach a message or the history",
          "[executor][git]") {
    const std::string shown =
        redact_credentials("https://user:s3cret-token@github.com/acme/app.git");
    CHECK(shown.find("s3cret-token") == std::string::npos);
    CHECK(shown.find("github.com/acme/app.git") != std::string::npos);
    CHECK(redact_credentials("https://github.com/acme/app.git") ==
          "https://github.com/acme/app.git");
}
