#include <catch2/catch.hpp>

#include "syntax/run_mount.h"

using envbuilder::dockerfile::parse_run_mount;

TEST_CASE("RUN --mount: fields, aliases and defaults", "[syntax][run-mount]") {
    auto cache = parse_run_mount(
        "type=cache,target=/root/.cache,id=pip,sharing=locked,mode=0700,uid=1000,ro");
    CHECK(cache.problems.empty());
    CHECK(cache.mount.type == "cache");
    CHECK(cache.mount.target == "/root/.cache");
    CHECK(cache.mount.id == "pip");
    CHECK(cache.mount.mode == 0700u);
    CHECK(cache.mount.uid == 1000u);
    CHECK(cache.mount.readonly);

    auto bind = parse_run_mount("dst=/src,from=builder,src=/out,rw=true");
    CHECK(bind.problems.empty());
    CHECK(bind.mount.type == "bind");
    CHECK(bind.mount.target == "/src");
    CHECK(bind.mount.source == "/out");
    CHECK(bind.mount.from == "builder");
    CHECK(bind.mount.readwrite);

    auto secret = parse_run_mount("type=secret,id=npm,env=NPM_TOKEN,required");
    CHECK(secret.problems.empty());
    CHECK(secret.mount.required);
    CHECK(secret.mount.env == "NPM_TOKEN");
}

TEST_CASE("RUN --mount: each problem where it is", "[syntax][run-mount]") {
    auto unknown = parse_run_mount("type=cach,target=/x");
    REQUIRE(unknown.problems.size() == 1);
    CHECK(unknown.problems[0].message.find("did you mean cache?") != std::string::npos);
    CHECK(unknown.problems[0].begin == 5);
    CHECK(unknown.problems[0].end == 9);

    CHECK(parse_run_mount("type=bind").problems.at(0).message.find("needs target=") !=
          std::string::npos);
    CHECK(parse_run_mount("type=tmpfs,target=/t,mode=0700")
              .problems.at(0)
              .message.find("mode is not allowed") != std::string::npos);
    CHECK(parse_run_mount("required,type=secret,id=x")
              .problems.at(0)
              .message.find("put type= before required") != std::string::npos);
    CHECK(parse_run_mount("type=secret,id=a,source=b")
              .problems.at(0)
              .message.find("either id= or source=") != std::string::npos);
    CHECK(parse_run_mount("type=cache,target=/x,uid=-1")
              .problems.at(0)
              .message.find("non-negative") != std::string::npos);
    CHECK(parse_run_mount("\"type=cache")
              .problems.at(0)
              .message.find("not a valid comma-separated list") != std::string::npos);
    CHECK(parse_run_mount("type=cache,target=/x,colour=red")
              .problems.at(0)
              .message.find("unknown mount option") != std::string::npos);
}

TEST_CASE("RUN --mount as written: values with variables are not judged", "[syntax][run-mount]") {
    CHECK(parse_run_mount("type=cache,target=/x,uid=$UID", true).problems.empty());
    CHECK(!parse_run_mount("type=cache,target=/x,uid=$UID", false).problems.empty());
}
