#include "executor/git_source.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sstream>
#include <vector>

extern char** environ;

namespace envbuilder::executor {

namespace fs = std::filesystem;

namespace {

bool is_commit_id(std::string_view ref) {
    return (ref.size() == 40 || ref.size() == 64) &&
           std::all_of(ref.begin(), ref.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

struct GitResult {
    int status = -1;
    std::string output;  // stdout and stderr together
};

// Runs git with `args` (no shell), never prompting for credentials (a build has no terminal to
// answer on); the caller's git configuration and credential helpers still apply.
GitResult run_git(const std::vector<std::string>& args, const fs::path& cwd,
                  const std::atomic<bool>* cancel) {
    std::vector<std::string> argv_storage{"git"};
    if (!cwd.empty()) {
        argv_storage.push_back("-C");
        argv_storage.push_back(cwd.string());
    }
    argv_storage.insert(argv_storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_storage) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_storage;
    for (char** e = environ; *e; ++e)
        if (std::strncmp(*e, "GIT_TERMINAL_PROMPT=", 20) != 0) env_storage.emplace_back(*e);
    env_storage.emplace_back("GIT_TERMINAL_PROMPT=0");
    std::vector<char*> envp;
    for (auto& e : env_storage) envp.push_back(e.data());
    envp.push_back(nullptr);

    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw GitError("cannot run git: pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 2);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    // git gets nothing of the builder's but 0, 1 and 2 (no registry socket, no blob file).
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    pid_t pid = 0;
    const int spawned = ::posix_spawnp(&pid, "git", &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipe_fds[1]);
    GitResult result;
    if (spawned != 0) {
        ::close(pipe_fds[0]);
        throw GitError(std::string("cannot run git (apt-get install git): ") +
                       std::strerror(spawned));
    }
    char buffer[4096];
    bool cancelled = false;
    for (;;) {
        // Woken every 100 ms to see whether the build was cancelled meanwhile.
        pollfd ready{pipe_fds[0], POLLIN, 0};
        if (::poll(&ready, 1, 100) == 0) {
            if (cancel && cancel->load() && !cancelled) {
                ::kill(pid, SIGKILL);
                cancelled = true;
            }
            continue;
        }
        ssize_t n = ::read(pipe_fds[0], buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        result.output.append(buffer, static_cast<size_t>(n));
    }
    ::close(pipe_fds[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (cancelled) throw GitError("git was stopped: the build was cancelled");
    result.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

// git's own messages may repeat the URL it was given, credentials and all.
std::string scrubbed(std::string text, const std::string& url) {
    const std::string shown = redact_credentials(url);
    if (shown == url) return text;
    for (size_t at = text.find(url); at != std::string::npos; at = text.find(url, at))
        text.replace(at, url.size(), shown);
    return text;
}

std::string last_lines(const std::string& text) {
    std::string trimmed = text;
    while (!trimmed.empty() && (trimmed.back() == '\n' || trimmed.back() == '\r'))
        trimmed.pop_back();
    size_t start = trimmed.size();
    for (int lines = 0; lines < 3 && start > 0; ++lines) {
        size_t nl = trimmed.rfind('\n', start - 1);
        start = nl == std::string::npos ? 0 : nl + 1;
        if (nl == std::string::npos) break;
    }
    return trimmed.substr(start);
}

}  // namespace

bool is_git_source(std::string_view source) {
    auto starts = [&](std::string_view p) { return source.substr(0, p.size()) == p; };
    if (starts("git://") || starts("git@") || starts("ssh://")) return true;
    if (!starts("http://") && !starts("https://")) return false;
    std::string_view path = source.substr(0, source.find('#'));
    return path.size() > 4 && path.substr(path.size() - 4) == ".git";
}

std::string redact_credentials(std::string_view source) {
    const size_t scheme = source.find("://");
    if (scheme == std::string_view::npos) return std::string(source);
    const size_t host_start = scheme + 3;
    const size_t path = source.find('/', host_start);
    const size_t at = source.rfind('@', path == std::string_view::npos ? source.size() : path);
    if (at == std::string_view::npos || at < host_start) return std::string(source);
    const size_t colon = source.find(':', host_start);
    if (colon == std::string_view::npos || colon > at) return std::string(source);
    return std::string(source.substr(0, colon + 1)) + "***" + std::string(source.substr(at));
}

std::optional<GitSource> parse_git_source(std::string_view source, std::string* problem) {
    GitSource git;
    const size_t hash = source.find('#');
    git.url = std::string(source.substr(0, hash));
    if (hash != std::string_view::npos) {
        std::string_view fragment = source.substr(hash + 1);
        const size_t colon = fragment.find(':');
        git.ref = std::string(fragment.substr(0, colon));
        if (colon != std::string_view::npos) git.subdir = std::string(fragment.substr(colon + 1));
    }
    while (!git.subdir.empty() && git.subdir.front() == '/') git.subdir.erase(0, 1);
    std::istringstream parts(git.subdir);
    for (std::string part; std::getline(parts, part, '/');)
        if (part == "..") {
            if (problem) *problem = "the subdirectory '" + git.subdir + "' leaves the repository";
            return std::nullopt;
        }
    if (!git.ref.empty() && git.ref.front() == '-') {
        if (problem) *problem = "'" + git.ref + "' is not a git ref";
        return std::nullopt;
    }
    if (git.url.empty() || git.url.front() == '-') {
        if (problem) *problem = "'" + std::string(source) + "' names no repository";
        return std::nullopt;
    }
    return git;
}

std::string resolve_git_commit(const GitSource& source, const std::atomic<bool>* cancel) {
    if (is_commit_id(source.ref)) return source.ref;
    const std::string ref = source.ref.empty() ? "HEAD" : source.ref;
    GitResult r = run_git({"ls-remote", "--", source.url, ref}, {}, cancel);
    if (r.status != 0)
        throw GitError("git ls-remote " + redact_credentials(source.url) +
                       " failed: " + last_lines(scrubbed(r.output, source.url)));
    // Prefer what the name means exactly: HEAD, a branch, then a tag (peeled to its commit).
    std::string best;
    int best_rank = 0;
    std::istringstream lines(r.output);
    for (std::string line; std::getline(lines, line);) {
        const size_t tab = line.find('\t');
        if (tab == std::string::npos) continue;
        const std::string commit = line.substr(0, tab), name = line.substr(tab + 1);
        int rank = 0;
        if (name == ref) rank = 4;
        if (name == "refs/heads/" + ref) rank = 3;
        if (name == "refs/tags/" + ref + "^{}") rank = 2;
        if (name == "refs/tags/" + ref && rank == 0) rank = 1;
        if (rank > best_rank) best = commit, best_rank = rank;
    }
    if (best.empty())
        throw GitError(redact_credentials(source.url) + " has no branch or tag '" + ref + "'");
    return best;
}

void checkout_git(const GitSource& source, const std::string& commit, const fs::path& dir,
                  bool keep_git_dir, const std::atomic<bool>* cancel) {
    auto must = [&](const std::vector<std::string>& args, const std::string& what) {
        GitResult r = run_git(args, dir, cancel);
        if (r.status != 0)
            throw GitError(what + " " + redact_credentials(source.url) +
                           " failed: " + last_lines(scrubbed(r.output, source.url)));
    };
    fs::create_directories(dir);
    must({"init", "-q"}, "git init for");
    // By commit id where the server allows it (protocol v2 does); else by the ref's name, and
    // the commit checked below.
    GitResult fetched = run_git(
        {"fetch", "-q", "--depth", "1", "--no-tags", "--", source.url, commit}, dir, cancel);
    if (fetched.status != 0 && !source.ref.empty() && !is_commit_id(source.ref))
        fetched =
            run_git({"fetch", "-q", "--depth", "1", "--no-tags", "--", source.url, source.ref}, dir,
                    cancel);
    if (fetched.status != 0)
        throw GitError("git fetch of " + redact_credentials(source.url) +
                       " failed: " + last_lines(scrubbed(fetched.output, source.url)));
    must({"checkout", "-q", "--detach", "FETCH_HEAD"}, "git checkout of");
    GitResult head = run_git({"rev-parse", "HEAD"}, dir, cancel);
    std::string got = head.output.substr(0, head.output.find('\n'));
    if (head.status != 0 || got != commit)
        throw GitError(redact_credentials(source.url) + ": fetched " + got + ", not the commit " +
                       commit);
    must({"submodule", "update", "-q", "--init", "--recursive", "--depth", "1"},
         "git submodule update for");
    if (!keep_git_dir) fs::remove_all(dir / ".git");
    std::error_code ec;
    if (!source.subdir.empty() && !fs::is_directory(dir / source.subdir, ec))
        throw GitError(redact_credentials(source.url) + " has no directory '" + source.subdir +
                       "' at " + commit);
}

}  // namespace envbuilder::executor
