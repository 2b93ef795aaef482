#pragma once
// COPY and ADD: what they read (for the cache key) and writing it into the stage's root.
// Sources come from the build context (confined to it, .dockerignore applied) or from another
// stage's root; destinations are resolved inside the stage root as the container sees them.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "executor/root_paths.h"
#include "syntax/file_mode.h"
#include "context/dockerignore.h"
#include "layers/unpack_limits.h"

namespace envbuilder::executor {

// A source given inline by a heredoc (`COPY <<EOF /dest`), or a file fetched from a URL by ADD.
struct InlineSource {
    std::string name;                           // the file name when the destination is a directory
    std::string content;                        // the body (heredocs)
    std::optional<std::filesystem::path> file;  // the content from this file instead (downloads)
    std::optional<int64_t> mtime;               // e.g. a download's Last-Modified
    uint32_t mode = 0644;
};

struct CopySpec {
    std::filesystem::path source_root;  // the context directory or another stage's root
    bool from_context = true;           // confine symlinks to it and apply `ignore`
    const DockerIgnore* ignore = nullptr;
    std::vector<std::string> sources;  // expanded; wildcards allowed
    std::vector<InlineSource> inline_sources;
    std::string destination;            // expanded, absolute inside the image (WORKDIR applied)
    std::filesystem::path root;         // the stage root written into
    std::optional<UserIds> owner;       // --chown; default root
    std::optional<dockerfile::FileMode> mode;  // --chmod, octal or symbolic
    std::vector<std::string> excludes;  // --exclude patterns
    bool parents = false;               // --parents: keep each source's path under the destination
    bool extract_archives = false;      // ADD: local tar archives are unpacked into the destination
    std::optional<int64_t> mtime;       // for inline sources (SOURCE_DATE_EPOCH), else now
    layers::UnpackBudget* unpack_budget =
        nullptr;  // ADD: archives unpack within the build's limits
};

class CopyError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// A digest of everything the copy reads (names, modes, sizes, contents, link targets), so that
// the step's cache key changes exactly when the copy's result would.
std::string copy_inputs_digest(const CopySpec& spec);

// Copies into spec.root. Every source path is resolved inside its own root (the context
// directory, the stage's or image's filesystem): symbolic links on the way, and a top-level
// source that is one, are followed as if that root were "/", and file content is read through a
// descriptor the kernel opened inside it, so nothing of the host ever lands in the image.
// Throws CopyError for sources that are missing (a link to somewhere not in the root included)
// or that match nothing.
void copy_into_root(const CopySpec& spec);

}  // namespace envbuilder::executor
