#pragma once
// ADD's git sources, as BuildKit reads them: `https://host/repo.git#REF:SUBDIR`,
// `git://host/repo.git#REF`, `ssh://…`, `git@host:repo.git#REF`. REF is a branch, a tag or a
// commit (default: the remote's HEAD); SUBDIR picks a directory of the repository.
#include <atomic>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace envbuilder::executor {

struct GitSource {
    std::string url;     // what git fetches from
    std::string ref;     // empty: HEAD
    std::string subdir;  // empty: the whole tree
};

class GitError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

bool is_git_source(std::string_view source);
// The source as it may be shown or recorded: a password or token in the URL
// (https://user:token@host/…) replaced by "***".
std::string redact_credentials(std::string_view source);
// nullopt with `problem` set when the fragment is malformed (e.g. a SUBDIR with "..").
std::optional<GitSource> parse_git_source(std::string_view source, std::string* problem);

// The commit REF names at the remote now (git ls-remote); a full commit id is taken as it is.
// Throws GitError with git's own words when the remote cannot be read or has no such ref.
// `cancel`, when set, stops git at once (GitError).
std::string resolve_git_commit(const GitSource& source, const std::atomic<bool>* cancel = nullptr);

// Fetches exactly `commit` (shallow, submodules included) into the empty directory `dir`, and
// removes the .git directory unless `keep_git_dir`. Throws GitError, also when SUBDIR is not a
// directory of that commit.
void checkout_git(const GitSource& source, const std::string& commit,
                  const std::filesystem::path& dir, bool keep_git_dir,
                  const std::atomic<bool>* cancel = nullptr);

}  // namespace envbuilder::executor
