// Which open documents the server treats as devcontainer configs: the same locations as lint and
// build (devcontainer/find_configs.h).
#include <catch2/catch.hpp>

#include "devcontainer/find_configs.h"
#include "lsp/documents.h"

using envbuilder::lsp::classify_document;
using envbuilder::lsp::DocumentKind;

TEST_CASE("lsp documents: devcontainer configs by location, like lint and build", "[lsp]") {
    for (const char* path : {"/w/.devcontainer/devcontainer.json", "/w/.devcontainer.json",
                             "/w/.devcontainer/python/devcontainer.json"}) {
        INFO(path);
        CHECK(classify_document(std::string("file://") + path, "jsonc") ==
              DocumentKind::Devcontainer);
        CHECK(envbuilder::devcontainer::is_config_location(path));
    }
    for (const char* path : {"/w/devcontainer.json", "/w/.devcontainer/a/b/devcontainer.json",
                             "/w/.devcontainer/settings.json"}) {
        INFO(path);
        CHECK(classify_document(std::string("file://") + path, "jsonc") == DocumentKind::Other);
        CHECK_FALSE(envbuilder::devcontainer::is_config_location(path));
    }
    CHECK(classify_document("file:///w/.devcontainer/Dockerfile", "plaintext") ==
          DocumentKind::Dockerfile);
}
