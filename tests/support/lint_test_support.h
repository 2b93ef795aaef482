#pragma once
// Helpers for rule tests: lint a Dockerfile text and pick the diagnostics of one rule.
#include <string>
#include <vector>

#include "analysis/dockerfile_lint.h"
#include "syntax/dockerfile_parser.h"

namespace envbuilder::testing {

inline std::vector<Diagnostic> lint_text(const std::string& text, const LintOptions& options = {}) {
    return lint_dockerfile(dockerfile::parse(text), options);
}

inline std::vector<Diagnostic> only(const std::vector<Diagnostic>& all, const std::string& code) {
    std::vector<Diagnostic> out;
    for (const auto& d : all)
        if (d.code == code) out.push_back(d);
    return out;
}

inline std::vector<Diagnostic> lint_rule(const std::string& text, const std::string& code,
                                         const LintOptions& options = {}) {
    return only(lint_text(text, options), code);
}

}  // namespace envbuilder::testing
