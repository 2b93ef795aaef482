#include <catch2/catch.hpp>

#include "features/feature_ref.h"

using namespace envbuilder::features;

namespace {

FeatureRef ok(std::string_view id, const std::filesystem::path& folder = "/ws/.devcontainer") {
    auto parsed = parse_feature_ref(id, folder);
    if (auto* e = std::get_if<FeatureRefError>(&parsed)) FAIL(e->message);
    return std::get<FeatureRef>(parsed);
}

std::string error_of(std::string_view id,
                     const std::filesystem::path& folder = "/ws/.devcontainer") {
    auto parsed = parse_feature_ref(id, folder);
    auto* e = std::get_if<FeatureRefError>(&parsed);
    REQUIRE(e);
    return e->message;
}

}  // namespace

TEST_CASE("feature refs: OCI ids split into registry, namespace, name, tag and digest",
          "[features][feature_ref]") {
    auto node = ok("ghcr.io/devcontainers/features/node:1");
    CHECK(node.kind == SourceKind::Oci);
    CHECK(node.registry == "ghcr.io");
    CHECK(node.namespace_path == "devcontainers/features");
    CHECK(node.name == "node");
    CHECK(node.tag == "1");
    CHECK(node.resource() == "ghcr.io/devcontainers/features/node");

    auto untagged = ok("localhost:5000/ns/f");
    CHECK(untagged.registry == "localhost:5000");
    CHECK(untagged.tag == "latest");

    auto pinned = ok("ghcr.io/a/b/c@sha256:" + std::string(64, 'a'));
    CHECK(pinned.tag.empty());
    CHECK(pinned.digest == "sha256:" + std::string(64, 'a'));
    CHECK(pinned.namespace_path == "a/b");
}

TEST_CASE("feature refs: local folders stay inside .devcontainer", "[features][feature_ref]") {
    auto local = ok("./go-tools");
    CHECK(local.kind == SourceKind::LocalFolder);
    CHECK(local.folder == "/ws/.devcontainer/go-tools");
    CHECK(local.resource() == "/ws/.devcontainer/go-tools");
    // A configuration in .devcontainer/<name>/ may reach a sibling folder.
    CHECK(ok("../shared", "/ws/.devcontainer/python").folder == "/ws/.devcontainer/shared");

    CHECK_THAT(error_of("../outside"), Catch::Contains("outside /ws/.devcontainer"));
    CHECK_THAT(error_of("./x", "/ws"), Catch::Contains("inside a .devcontainer folder"));
}

TEST_CASE("feature refs: tarballs, retired forms and bad ids", "[features][feature_ref]") {
    auto tgz = ok("https://example.com/devcontainer-feature-go.tgz");
    CHECK(tgz.kind == SourceKind::Tarball);
    CHECK(tgz.resource() == "https://example.com/devcontainer-feature-go.tgz");

    CHECK_THAT(error_of("node"), Catch::Contains("ghcr.io/devcontainers/features/node:1"));
    CHECK_THAT(error_of("devcontainers/features/go@v1"),
               Catch::Contains("GitHub release shorthand"));
    CHECK_THAT(error_of("http://example.com/f.tgz"), Catch::Contains("https"));
    CHECK_THAT(error_of("ghcr.io/Devcontainers/features/go"), Catch::Contains("lowercase"));
}
