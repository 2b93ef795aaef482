#include <catch2/catch.hpp>

#include "oci/reference.h"

using namespace envbuilder::oci;

namespace {

Reference ok(std::string_view text) {
    auto result = parse_reference(text);
    if (const ReferenceError* e = get_error(result)) {
        FAIL("'" << text << "' failed: " << e->message << " at " << e->offset);
    }
    return *get_reference(result);
}

ReferenceError bad(std::string_view text) {
    auto result = parse_reference(text);
    if (const Reference* r = get_reference(result)) {
        FAIL("'" << text << "' parsed as " << r->str());
    }
    return *get_error(result);
}

const std::string kHex64(64, 'a');

}  // namespace

TEST_CASE("official images are normalized to docker.io/library with the latest tag",
          "[reference]") {
    Reference r = ok("busybox");
    CHECK(r.registry == "docker.io");
    CHECK(r.repository == "library/busybox");
    CHECK(r.tag == "latest");
    CHECK(r.digest.empty());
    CHECK(r.str() == "docker.io/library/busybox:latest");
    CHECK(r.name() == "docker.io/library/busybox");
    CHECK(r.familiar() == "busybox:latest");
    CHECK(r.familiar_name() == "busybox");
    CHECK(r.registry_host() == "registry-1.docker.io");
}

TEST_CASE("user repositories and explicit tags", "[reference]") {
    Reference r = ok("user/repo:1.2-alpine");
    CHECK(r.str() == "docker.io/user/repo:1.2-alpine");
    CHECK(r.familiar() == "user/repo:1.2-alpine");

    Reference hub = ok("docker.io/library/alpine:3.20");
    CHECK(hub.familiar() == "alpine:3.20");
    CHECK(ok("index.docker.io/library/alpine").registry == "docker.io");
    CHECK(ok("docker.io/alpine").repository == "library/alpine");
}

TEST_CASE("registry detection: dots, ports, localhost", "[reference]") {
    Reference port = ok("host:5000/repo:tag");
    CHECK(port.registry == "host:5000");
    CHECK(port.repository == "repo");
    CHECK(port.tag == "tag");
    CHECK(port.registry_host() == "host:5000");

    Reference local = ok("localhost/x");
    CHECK(local.registry == "localhost");
    CHECK(local.repository == "x");
    CHECK(local.str() == "localhost/x:latest");

    Reference ghcr = ok("ghcr.io/org/team/app:v1");
    CHECK(ghcr.registry == "ghcr.io");
    CHECK(ghcr.repository == "org/team/app");
    CHECK(ghcr.familiar() == "ghcr.io/org/team/app:v1");

    CHECK(ok("[::1]:5000/foo").registry == "[::1]:5000");
    // Docker reads an upper-case first component as a registry host.
    CHECK(ok("Registry/foo").registry == "Registry");
    // Without a '/', "localhost:5000" is the image localhost with tag 5000.
    Reference tagged = ok("localhost:5000");
    CHECK(tagged.repository == "library/localhost");
    CHECK(tagged.tag == "5000");
}

TEST_CASE("digests, with and without a tag", "[reference]") {
    Reference d = ok("repo@sha256:" + kHex64);
    CHECK(d.tag.empty());
    CHECK(d.digest == "sha256:" + kHex64);
    CHECK(d.str() == "docker.io/library/repo@sha256:" + kHex64);

    Reference both = ok("repo:1@sha256:" + kHex64);
    CHECK(both.tag == "1");
    CHECK(both.familiar() == "repo:1@sha256:" + kHex64);

    CHECK(ok("repo@sha512:" + std::string(128, '0')).digest.size() == 7 + 128);
    CHECK(ok("repo@sha384:" + std::string(96, 'f')).digest.size() == 7 + 96);
}

TEST_CASE("repository components allow the documented separators", "[reference]") {
    CHECK(ok("x/a.b_c__d-e---f/g").repository == "x/a.b_c__d-e---f/g");
    // A first component with a '.' is a registry host, as in Docker.
    CHECK(ok("a.b/c").registry == "a.b");
    CHECK(ok("my-registry.example.com:443/a/b").registry == "my-registry.example.com:443");
    CHECK(ok("x:" + std::string(128, 't')).tag.size() == 128);
}

TEST_CASE("upper case in the repository is an error at its offset", "[reference]") {
    ReferenceError e = bad("Busybox");
    CHECK(e.message == "repository name must be lowercase");
    CHECK(e.offset == 0);
    CHECK(bad("ghcr.io/org/App").offset == 12);
    CHECK(bad("foo/Bar").offset == 4);
}

TEST_CASE("tag errors", "[reference]") {
    ReferenceError empty = bad("alpine:");
    CHECK(empty.offset == 7);
    CHECK(empty.message.find("tag") != std::string::npos);
    CHECK(bad("alpine:-x").offset == 7);
    CHECK(bad("alpine:a+b").offset == 8);
    ReferenceError longer = bad("x:" + std::string(129, 't'));
    CHECK(longer.message.find("128") != std::string::npos);
}

TEST_CASE("digest errors", "[reference]") {
    ReferenceError short_hex = bad("a@sha256:abc");
    CHECK(short_hex.offset == 9);
    CHECK(short_hex.message.find("64") != std::string::npos);
    CHECK(bad("a@md5:" + kHex64).message.find("unsupported digest algorithm") != std::string::npos);
    CHECK(bad("a@sha256:" + std::string(64, 'A')).message.find("lowercase") != std::string::npos);
    CHECK(bad("a@" + kHex64).offset == 2);
    CHECK(bad("@sha256:" + kHex64).offset == 0);
    // Errors come left to right: the bad name is reported before the bad digest.
    CHECK(bad("A@sha256:abc").offset == 0);
}

TEST_CASE("name errors", "[reference]") {
    CHECK(bad("").offset == 0);
    CHECK(bad("a//b").offset == 2);
    CHECK(bad("a_").offset == 1);
    CHECK(bad("a..b").offset == 2);
    CHECK(bad("-a").offset == 0);
    CHECK(bad("a b").offset == 1);
    CHECK(bad("ghcr.io/").offset == 8);
    CHECK(bad("localhost:abc/x").offset == 10);
    CHECK(bad("my_host.com/x").offset == 2);
    CHECK(bad(kHex64).message.find("image ID") != std::string::npos);
    ReferenceError longer = bad("example.com/" + std::string(250, 'a'));
    CHECK(longer.message.find("255") != std::string::npos);
}
