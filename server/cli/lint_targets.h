#pragma once
// What `lint` was asked to look at: files and directories turned into a list of documents, each
// known to be a Dockerfile or a devcontainer config.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "syntax/diagnostic.h"
#include "syntax/source_text.h"

namespace envbuilder::cli {

enum class DocumentKind { Dockerfile, Devcontainer };

struct LintedFile {
    std::filesystem::path path;  // as the user should see it
    DocumentKind kind;
    SourceText text;
    std::vector<Diagnostic> diagnostics;
};

bool looks_like_dockerfile_name(const std::filesystem::path& path);
bool looks_like_devcontainer_path(const std::filesystem::path& path);

// Lints every target. I/O problems are appended to `errors` (one message each); the files that
// could be read are linted regardless.
std::vector<LintedFile> lint_targets(const std::vector<std::string>& targets,
                                     std::vector<std::string>& errors);

}  // namespace envbuilder::cli
