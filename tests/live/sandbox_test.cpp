// The RUN sandbox, in a root made from Debian's busybox-static: commands run inside, and nothing
// they do (files, mounts, signals, resolv.conf) reaches the host; cancelling kills the whole tree.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "executor/sandbox.h"
#include "files.h"
#include "skip.h"

using namespace envbuilder::executor;
using envbuilder::testing::read_file;
namespace fs = std::filesystem;

namespace {

// A busybox root with only bin/: the sandbox must add (and later remove) its own mount points.
fs::path busybox_root() {
    fs::path root = fs::temp_directory_path() / ("eb-sandbox-" + std::to_string(getpid()));
    fs::remove_all(root);
    fs::create_directories(root / "bin");
    fs::create_directories(root / "tmp");
    fs::copy_file("/bin/busybox", root / "bin/busybox");
    for (const char* applet :
         {"sh", "echo", "cat", "mount", "kill", "sleep", "touch", "id", "hostname", "ls"})
        fs::create_symlink("busybox", root / "bin" / applet);
    return root;
}

// Where the sandbox keeps its private files (a build gives it its work directory).
fs::path scratch_dir() {
    fs::path dir = fs::temp_directory_path() / ("eb-sandbox-scratch-" + std::to_string(getpid()));
    fs::create_directories(dir);
    return dir;
}

SandboxResult run(const fs::path& root, const std::string& script,
                  std::vector<std::string>* lines = nullptr,
                  const std::atomic<bool>* cancel = nullptr) {
    SandboxSpec spec;
    spec.root = root;
    spec.scratch_dir = scratch_dir();
    spec.argv = {"/bin/sh", "-c", script};
    spec.env = {"PATH=/bin", "GREETING=hello"};
    spec.cancel = cancel;
    spec.on_output = [lines](std::string_view line) {
        if (lines) lines->emplace_back(line);
    };
    return run_in_sandbox(spec);
}

size_t host_mounts() {
    std::ifstream in("/proc/self/mountinfo");
    size_t n = 0;
    for (std::string line; std::getline(in, line);) ++n;
    return n;
}

}  // namespace

TEST_CASE("sandbox: runs in the root with its env, workdir, user and exit status", "[sandbox]") {
    SKIP_UNLESS_ROOT();
    fs::path root = busybox_root();
    std::vector<std::string> lines;
    auto r = run(root,
                 "echo $GREETING; echo pid=$$; hostname; ls /dev/null /proc/self/status; echo out "
                 "> /tmp/made",
                 &lines);
    CHECK(r.exit_code == 0);
    REQUIRE(lines.size() >= 5);
    CHECK(lines[0] == "hello");
    CHECK(lines[1] == "pid=1");
    CHECK(lines[2] == "envbuilder");
    CHECK(read_file(root / "tmp/made") == "out\n");
    // The scaffolding it needed is gone again.
    CHECK_FALSE(fs::exists(root / "proc"));
    CHECK_FALSE(fs::exists(root / "dev"));
    CHECK_FALSE(fs::exists(root / "etc"));

    r = run(root, "echo failing; exit 3");
    CHECK(r.exit_code == 3);
    CHECK(r.last_lines == std::vector<std::string>{"failing"});

    SandboxSpec as_user;
    as_user.root = root;
    as_user.scratch_dir = scratch_dir();
    as_user.argv = {"id"};
    as_user.env = {"PATH=/bin"};
    as_user.uid = 1000;
    as_user.gid = 1000;
    as_user.workdir = "/tmp";
    lines.clear();
    as_user.on_output = [&](std::string_view l) { lines.emplace_back(l); };
    CHECK(run_in_sandbox(as_user).exit_code == 0);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].find("uid=1000 gid=1000") == 0);

    as_user.argv = {"no-such-command"};
    CHECK(run_in_sandbox(as_user).exit_code == 127);
    fs::remove_all(root);
}

TEST_CASE("sandbox: writes, mounts and kills inside do not reach the host", "[sandbox]") {
    SKIP_UNLESS_ROOT();
    fs::path root = busybox_root();
    const std::string resolv_before = read_file("/etc/resolv.conf");
    const size_t mounts_before = host_mounts();
    pid_t victim = fork();
    if (victim == 0) {
        execlp("sleep", "sleep", "30", nullptr);
        _exit(1);
    }
    fs::path host_marker = fs::temp_directory_path() / ("eb-escape-" + std::to_string(getpid()));
    fs::remove(host_marker);
    auto r =
        run(root, "echo pwned > " + host_marker.string() +
                      "; echo nameserver 6.6.6.6 >> /etc/resolv.conf; " +
                      "mkdir -p /mnt && mount -t tmpfs none /mnt && echo mounted; kill -9 " +
                      std::to_string(victim) + " || echo no-such-process; touch /../../escaped");
    CHECK(r.exit_code == 0);
    CHECK_FALSE(fs::exists(host_marker));  // written inside the root instead
    CHECK(fs::exists(root / host_marker.relative_path()));
    CHECK(read_file("/etc/resolv.conf") == resolv_before);  // the step had its own copy
    CHECK(host_mounts() == mounts_before);                  // its mounts died with it
    CHECK(kill(victim, 0) == 0);                            // the host process lives on
    CHECK(fs::exists(root / "escaped"));                    // ".." stops at the root
    CHECK_FALSE(fs::exists("/escaped"));
    kill(victim, SIGKILL);
    waitpid(victim, nullptr, 0);
    fs::remove_all(root);
}

TEST_CASE("sandbox: cancelling kills the whole process tree within a second", "[sandbox]") {
    SKIP_UNLESS_ROOT();
    fs::path root = busybox_root();
    std::atomic<bool> cancel{false};
    std::thread canceller([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        cancel = true;
    });
    auto started = std::chrono::steady_clock::now();
    auto r = run(root, "sleep 100 & sleep 100 & sleep 100", nullptr, &cancel);
    auto took = std::chrono::steady_clock::now() - started;
    canceller.join();
    CHECK(r.cancelled);
    CHECK(r.exit_code == 128 + SIGKILL);
    CHECK(took < std::chrono::seconds(1) + std::chrono::milliseconds(300));
    fs::remove_all(root);
}
