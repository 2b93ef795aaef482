// Local features checked without the network, as lint and the language server do: options
// against the folder's devcontainer-feature.json, unreadable folders, deprecation.
#include <catch2/catch.hpp>

#include <fstream>

#include "devcontainer/devcontainer.h"
#include "features/local_check.h"

using namespace envbuilder;
namespace fs = std::filesystem;

namespace {

void write(const fs::path& file, const std::string& text) {
    fs::create_directories(file.parent_path());
    std::ofstream(file) << text;
}

std::vector<Diagnostic> check(const fs::path& config, const std::string& text) {
    write(config, text);
    auto analysis = devcontainer::analyze_devcontainer(SourceText(text), config);
    return features::check_local_features(analysis.config, config);
}

}  // namespace

TEST_CASE("local features: options checked against the folder's devcontainer-feature.json",
          "[features][local_check]") {
    fs::path ws = fs::temp_directory_path() / ("eb-local-check-" + std::to_string(::getpid()));
    fs::remove_all(ws);
    write(ws / ".devcontainer/tool/devcontainer-feature.json",
          R"({"id": "tool", "version": "1.0.0", "deprecated": true,
              "options": {"flavour": {"type": "string", "enum": ["a", "b"], "default": "a"}}})");
    write(ws / ".devcontainer/tool/install.sh", "#!/bin/sh\n");
    const fs::path config = ws / ".devcontainer/devcontainer.json";

    auto d = check(config,
                   "{\"image\": \"x\",\n \"features\": {\"./tool\": {\"flavour\": \"c\", "
                   "\"extra\": true}}}");
    std::vector<std::string> codes;
    for (const auto& x : d) codes.push_back(x.code);
    CHECK(codes == std::vector<std::string>{"InvalidFeatureOption", "InvalidFeatureOption",
                                            "DeprecatedFeature"});
    REQUIRE(d.size() == 3);
    CHECK(d[0].severity == Severity::Error);
    CHECK(d[0].range.start.line == 1);  // on the options object the user wrote
    CHECK(d[0].range.start.character == 24);
    bool enum_named = false;
    for (const auto& x : d) enum_named |= x.message.find("\"a\", \"b\"") != std::string::npos;
    CHECK(enum_named);

    CHECK(check(config, R"({"image": "x", "features": {"./tool": {"flavour": "b"}}})").size() ==
          1);  // only the deprecation

    d = check(config, R"({"image": "x", "features": {"./missing": {}}})");
    REQUIRE(d.size() == 1);
    CHECK(d[0].code == "FeatureNotFound");
    CHECK(d[0].message.find("missing") != std::string::npos);

    // OCI and tarball features are not fetched here; invalid ids are the validator's.
    CHECK(
        check(
            config,
            R"({"image": "x", "features": {"ghcr.io/devcontainers/features/git:1": {"x": 1}, "./": {}}})")
            .empty());
    fs::remove_all(ws);
}
