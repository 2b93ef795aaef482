#pragma once
// Lints a parsed Dockerfile: BuildKit's build checks under their own names, the semantic errors
// BuildKit raises, and the argument/flag checks editors expect.
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "syntax/diagnostic.h"
#include "syntax/dockerfile_ast.h"

namespace envbuilder {

// What is known about a base image once it has been resolved (by the executor or a cache). The
// linter works without it; with it, checks that need the image's config can run.
struct BaseImageInfo {
    std::map<std::string, std::string> env;
    std::string os, architecture, variant;
};
using BaseImageResolver =
    std::function<std::optional<BaseImageInfo>(const std::string& reference, const std::string& platform)>;

struct LintOptions {
    std::set<std::string> disabled_rules;
    std::map<std::string, Severity> severity_overrides;
    // Build context, for .dockerignore (CopyIgnoredFile). Empty: the check does not run.
    std::filesystem::path context_dir;
    std::filesystem::path dockerfile_path;
    std::map<std::string, std::string> build_args;
    BaseImageResolver resolve_base_image;  // optional
    std::string target_platform;           // e.g. "linux/amd64"; default: this host's
};

std::vector<Diagnostic> lint_dockerfile(const dockerfile::Dockerfile& df, const LintOptions& options = {});

}  // namespace envbuilder
