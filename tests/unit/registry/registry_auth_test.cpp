#include <catch2/catch.hpp>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "registry/auth_challenge.h"
#include "registry/credentials.h"

using namespace envbuilder::registry;
namespace fs = std::filesystem;

TEST_CASE("WWW-Authenticate challenges", "[registry]") {
    auto c = parse_auth_challenges(
        R"(Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull")");
    REQUIRE(c.size() == 1);
    CHECK(c[0].scheme == "bearer");
    CHECK(c[0].param("realm") == "https://auth.docker.io/token");
    CHECK(c[0].param("service") == "registry.docker.io");
    CHECK(c[0].param("scope") == "repository:library/busybox:pull");

    auto two = parse_auth_challenges(R"(Basic realm="Registry Realm", Bearer realm="https://x/token", error="invalid_token")");
    REQUIRE(two.size() == 2);
    CHECK(two[0].scheme == "basic");
    CHECK(two[0].param("realm") == "Registry Realm");
    CHECK(two[1].param("error") == "invalid_token");
    auto escaped = parse_auth_challenges(R"(Bearer realm="a\"b,c", scope=repository:x:pull,push)");
    REQUIRE(escaped.size() >= 1);
    CHECK(escaped[0].param("realm") == "a\"b,c");
    CHECK(parse_auth_challenges("").empty());
    CHECK(parse_auth_challenges("=,,=\"").size() == 0);
}

namespace {
fs::path temp_dir(const std::string& name) {
    auto dir = fs::temp_directory_path() / ("eb-cred-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}
}  // namespace

TEST_CASE("credentials from auths: base64 auth, username/password, identity token", "[registry]") {
    auto dir = temp_dir("auths");
    // "dXNlcjpwYXNzOndvcmQ=" is base64 of "user:pass:word"
    std::ofstream(dir / "config.json") << R"({
      "auths": {
        "https://index.docker.io/v1/": {"auth": "dXNlcjpwYXNzOndvcmQ="},
        "localhost:5000": {"username": "alice", "password": "s3cret"},
        "https://ghcr.io": {"identitytoken": "refresh-token"}
      }})";
    auto store = CredentialStore::from_file(dir / "config.json");
    auto hub = store.lookup("docker.io");
    REQUIRE(hub);
    CHECK(hub->username == "user");
    CHECK(hub->password == "pass:word");
    CHECK(store.lookup("localhost:5000")->password == "s3cret");
    CHECK(store.lookup("ghcr.io")->identity_token == "refresh-token");
    CHECK(!store.lookup("quay.io"));
    CHECK(describe(*store.lookup("localhost:5000")).find("s3cret") == std::string::npos);
    fs::remove_all(dir);
}

TEST_CASE("credentials from a credential helper executable", "[registry]") {
    auto dir = temp_dir("helper");
    fs::path helper = dir / "docker-credential-fake";
    std::ofstream(helper) << "#!/bin/sh\nread server\n"
                             "case \"$server\" in\n"
                             "  registry.example.com) echo '{\"ServerURL\":\"x\",\"Username\":\"bob\",\"Secret\":\"pw\"}' ;;\n"
                             "  https://index.docker.io/v1/) echo '{\"Username\":\"<token>\",\"Secret\":\"idt\"}' ;;\n"
                             "  *) echo 'credentials not found in native keychain'; exit 1 ;;\n"
                             "esac\n";
    fs::permissions(helper, fs::perms::owner_all);
    std::ofstream(dir / "config.json") << R"({"credHelpers": {"registry.example.com": "fake"}, "credsStore": "fake",
                                              "auths": {"other.example.com": {"username": "u", "password": "p"}}})";
    std::string old_path = std::getenv("PATH");
    setenv("PATH", (dir.string() + ":" + old_path).c_str(), 1);
    auto store = CredentialStore::from_file(dir / "config.json");
    auto c = store.lookup("registry.example.com");
    REQUIRE(c);
    CHECK(c->username == "bob");
    CHECK(c->password == "pw");
    CHECK(store.lookup("docker.io")->identity_token == "idt");
    // The store knows nothing of this one, so the auths entry is used.
    CHECK(store.lookup("other.example.com")->username == "u");
    setenv("PATH", old_path.c_str(), 1);
    std::ofstream(dir / "config2.json") << R"({"credHelpers": {"x.example.com": "missing-helper"}})";
    CHECK_THROWS_WITH(CredentialStore::from_file(dir / "config2.json").lookup("x.example.com"),
                      Catch::Contains("docker-credential-missing-helper"));
    fs::remove_all(dir);
}
