#pragma once
// What COPY (instructions/copy.cpp) and ADD (instructions/add.cpp) share: ADD is COPY with
// URLs, git repositories and local archives as sources.
#include <optional>
#include <string>
#include <vector>

#include "executor/copy_files.h"
#include "executor/git_source.h"
#include "executor/step.h"

namespace envbuilder::executor::instructions {

Step copy_step(StageContext& ctx, StageState& s, const dockerfile::Instruction& ins, bool is_add);

// ADD's remote sources, resolved when the step is planned: URLs are downloaded (their digests
// key the step), a git ref is resolved to the commit it names now (checked out only when the
// step runs).
struct RemoteSources {
    std::vector<std::string> local;  // the sources left for the context (or --from)
    std::string key;                 // what identifies the remote content in the cache key
    std::optional<GitSource> git;
    std::string git_commit;
};

RemoteSources resolve_remote_sources(StageContext& ctx, const dockerfile::Instruction& ins,
                                     const std::vector<std::string>& sources, bool is_add,
                                     const std::string& checksum, bool keep_git_dir,
                                     CopySpec& spec);

// Checks out the commit into the work directory; returns where.
std::filesystem::path fetch_git(StageContext& ctx, const dockerfile::Instruction& ins,
                                const GitSource& git, const std::string& commit, bool keep_git_dir);

}  // namespace envbuilder::executor::instructions
