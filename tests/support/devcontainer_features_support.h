#pragma once
// What the devcontainer editor feature tests share: a realistic config and helpers that place
// the cursor with a `|` mark.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "completion_test_support.h"
#include "language/devcontainer/features.h"

namespace envbuilder::testing {

inline Range R(uint32_t l1, uint32_t c1, uint32_t l2, uint32_t c2) {
    return {{l1, c1}, {l2, c2}};
}

inline bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

// Completion at the position of `|` in `marked` (which is removed).
inline std::vector<language::CompletionItem> complete_at(const std::string& marked) {
    size_t bar = marked.find('|');
    REQUIRE(bar != std::string::npos);
    std::string text = marked;
    text.erase(bar, 1);
    SourceText src(text);
    return language::devcontainer_complete(src, src.position_at(bar));
}

// The document after applying `item` (snippet syntax left as is).
inline std::string applied(const std::string& marked, const language::CompletionItem& item) {
    std::string text = marked;
    text.erase(marked.find('|'), 1);
    SourceText src(text);
    size_t b = src.offset_at(item.range.start), e = src.offset_at(item.range.end);
    return text.replace(b, e - b, item.insert_text);
}

inline const char* const kConfig = R"({
  // A comment with "quotes" and { braces }
  "name": "日本🚀", "image": "mcr.microsoft.com/devcontainers/base:ubuntu",
  "build": { "dockerfile": "Dockerfile", "args": { "V": "${localEnv:HOME}" } },
  "features": {
    "ghcr.io/devcontainers/features/node:1": { "version": "20" },
    "./local-feature": {},
    "https://example.com/f.tgz": true,
    "Bad Id": {}
  },
  "portsAttributes": { "3000": { "onAutoForward": "notify", "label": "web" } },
  "hostRequirements": { "gpu": { "cores": 2 } },
  "mounts": [ { "type": "bind", "source": "/a", "target": "/b" } ],
  "appPort": 3000,
  "shutdownAction": "none",
  "postCreateCommand": { "deps": "npm ci", "db": ["make", "db"] },
  "workspaceFolder": "/w/${containerWorkspaceFolderBasename}/x"
}
)";

}  // namespace envbuilder::testing
