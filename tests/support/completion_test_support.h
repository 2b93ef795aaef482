#pragma once
// Helpers shared by the Dockerfile and devcontainer completion tests.
#include <algorithm>
#include <string>
#include <vector>

#include "language/dockerfile_features.h"

namespace envbuilder::testing {

inline std::vector<std::string> labels(const std::vector<language::CompletionItem>& items) {
    std::vector<std::string> out;
    for (const auto& i : items) out.push_back(i.label);
    return out;
}

inline bool has(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

inline const language::CompletionItem* item(const std::vector<language::CompletionItem>& items,
                                            const std::string& label) {
    for (const auto& i : items)
        if (i.label == label) return &i;
    return nullptr;
}

}  // namespace envbuilder::testing
