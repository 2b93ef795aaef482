#pragma once
// Runs one RUN step's process tree inside a stage's root filesystem, isolated from the host: new
// mount, PID, UTS and IPC namespaces, pivoted into the root, with /proc, a read-only /sys, a
// minimal /dev (null, zero, full, random, urandom, tty, ptmx + pts, shm) and copies of the host's
// resolv.conf and hosts; the host network. Confined as Docker confines a container by default
// (confinement.h, seccomp_filter.h): Docker's capability list, its seccomp profile's refusals,
// its masked and read-only /proc and /sys paths, every filesystem but /dev mounted nodev, and no
// file descriptor of the builder's but 0, 1 and 2. Nothing it mounts is visible outside, and
// killing its PID 1 ends every process it started.
#include "executor/confinement.h"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace envbuilder::executor {

class SandboxError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// A RUN --mount: a host directory or file bound into the root, or a tmpfs.
struct SandboxMount {
    enum class Kind { bind, tmpfs };
    Kind kind = Kind::bind;
    std::filesystem::path source;  // bind: on the host
    std::string target;            // absolute, inside the image
    bool readonly = false;
    std::string tmpfs_options;  // e.g. "size=65536k"
};

struct SandboxSpec {
    std::filesystem::path root;
    std::vector<std::string> argv;
    std::vector<std::string> env;  // "NAME=value"
    std::string workdir = "/";
    uint32_t uid = 0;
    uint32_t gid = 0;
    std::vector<uint32_t> supplementary_groups;
    std::string hostname = "envbuilder";
    bool isolate_network = false;  // RUN --network=none: a network namespace with nothing in it
    SecurityMode security = SecurityMode::sandbox;
    // Where the sandbox keeps its own files for the step (private copies of resolv.conf and
    // hosts); the caller's, under the cache directory, so that nothing is left in /tmp.
    std::filesystem::path scratch_dir;
    // Mounted in order. A missing target directory is created (and stays, as in BuildKit); a
    // missing target file for a bound file is created for the step and removed after it.
    std::vector<SandboxMount> mounts;
    // Each line the process tree writes (stdout and stderr, interleaved as written), without '\n';
    // a line longer than kMaxOutputLine bytes comes in pieces of that size.
    std::function<void(std::string_view line)> on_output;
    const std::atomic<bool>* cancel = nullptr;  // set to kill the whole tree
};

// Output lines are cut at this length for display, so that output without newlines costs
// bounded memory.
inline constexpr size_t kMaxOutputLine = 16 * 1024;

struct SandboxResult {
    int exit_code = 0;  // the process's exit status, or 128 + signal
    bool cancelled = false;
    std::vector<std::string> last_lines;  // the end of the output, for error messages
};

// Throws SandboxError when the sandbox cannot be set up (not root, no namespaces).
SandboxResult run_in_sandbox(const SandboxSpec& spec);

// Paths (relative to the root) the sandbox mounts over; a snapshot of the root taken for a diff
// leaves them out, since what a step writes there is not part of the image.
const std::set<std::string>& sandbox_mount_points();

}  // namespace envbuilder::executor
