// RUN's confinement, attacked from inside: a static probe (tests/support/sandbox_probe.c) tries
// the system calls Docker's default profile refuses, the capability sets are read from
// /proc/self/status, device nodes are made and opened, kernel paths written, and the builder's
// descriptors looked for. After each attack the host is checked: its canaries unchanged.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "executor/confinement.h"
#include "executor/sandbox.h"
#include "executor/seccomp_filter.h"
#include "files.h"
#include "skip.h"

using namespace envbuilder::executor;
using envbuilder::testing::read_file;
namespace fs = std::filesystem;

namespace {

struct Root {
    fs::path dir, scratch;
    Root() {
        dir = fs::temp_directory_path() / ("eb-confine-" + std::to_string(getpid()));
        scratch = dir.string() + "-scratch";
        fs::remove_all(dir);
        fs::create_directories(dir / "bin");
        fs::create_directories(dir / "tmp");
        fs::create_directories(scratch);
        fs::copy_file("/bin/busybox", dir / "bin/busybox");
        for (const char* applet : {"sh", "echo", "cat", "ls", "mknod", "mount", "touch", "grep",
                                   "dd", "head", "id", "stat", "readlink", "wc", "sort"})
            fs::create_symlink("busybox", dir / "bin" / applet);
        fs::copy_file(ENVBUILDER_SANDBOX_PROBE, dir / "bin/probe");
    }
    ~Root() {
        std::error_code ec;
        fs::remove_all(dir, ec);
        fs::remove_all(scratch, ec);
    }
};

struct Outcome {
    SandboxResult result;
    std::vector<std::string> lines;
    std::string text() const {
        std::string all;
        for (const auto& l : lines) all += l + "\n";
        return all;
    }
    // NAME=RESULT lines of the probe.
    std::map<std::string, std::string> results() const {
        std::map<std::string, std::string> out;
        for (const auto& l : lines)
            if (auto eq = l.find('='); eq != std::string::npos)
                out[l.substr(0, eq)] = l.substr(eq + 1);
        return out;
    }
};

Outcome run(const Root& root, std::vector<std::string> argv, uint32_t uid = 0,
            SecurityMode security = SecurityMode::sandbox) {
    SandboxSpec spec;
    spec.root = root.dir;
    spec.scratch_dir = root.scratch;
    spec.argv = std::move(argv);
    spec.env = {"PATH=/bin"};
    spec.uid = spec.gid = uid;
    spec.security = security;
    Outcome o;
    spec.on_output = [&](std::string_view line) { o.lines.emplace_back(line); };
    o.result = run_in_sandbox(spec);
    return o;
}

Outcome sh(const Root& root, const std::string& script, uint32_t uid = 0,
           SecurityMode security = SecurityMode::sandbox) {
    return run(root, {"/bin/sh", "-c", script}, uid, security);
}

// "CapBnd:\t00000000a80425fb" -> the mask.
uint64_t capability_set(const std::string& status, const std::string& name) {
    auto at = status.find(name + ":\t");
    if (at == std::string::npos) return ~uint64_t{0};
    return std::stoull(status.substr(at + name.size() + 2, 16), nullptr, 16);
}

}  // namespace

TEST_CASE("confinement: Docker's default capabilities, for root and for other users",
          "[sandbox][attack]") {
    SKIP_UNLESS_ROOT();
    Root root;
    auto o = sh(root, "cat /proc/self/status");
    REQUIRE(o.result.exit_code == 0);
    const std::string status = o.text();
    const uint64_t expected = default_capability_mask();
    CHECK(capability_set(status, "CapBnd") == expected);
    CHECK(capability_set(status, "CapEff") == expected);
    CHECK(capability_set(status, "CapPrm") == expected);
    CHECK(capability_set(status, "CapInh") == 0);
    CHECK(capability_set(status, "CapAmb") == 0);
    CHECK(status.find("Seccomp:\t2") != std::string::npos);
    // Named ones that would reach the host are gone.
    for (int cap : {21 /* SYS_ADMIN */, 2 /* DAC_READ_SEARCH */, 16 /* SYS_MODULE */,
                    19 /* SYS_PTRACE */, 12 /* NET_ADMIN */, 25 /* SYS_TIME */})
        CHECK_FALSE(expected & (uint64_t{1} << cap));

    auto user = sh(root, "cat /proc/self/status", 1000);
    CHECK(capability_set(user.text(), "CapEff") == 0);
    CHECK(capability_set(user.text(), "CapBnd") == expected);

    auto insecure = sh(root, "cat /proc/self/status", 0, SecurityMode::insecure);
    CHECK(capability_set(insecure.text(), "CapEff") & (uint64_t{1} << 21));
    CHECK(insecure.text().find("Seccomp:\t0") != std::string::npos);
}

TEST_CASE("confinement: the seccomp filter refuses what Docker's default profile refuses",
          "[sandbox][attack]") {
    SKIP_UNLESS_ROOT();
    CHECK(default_seccomp_program().instructions.size() > 20);
    Root root;
    auto o = run(root, {"/bin/probe", "syscalls"});
    INFO(o.text());
    REQUIRE(o.result.exit_code == 0);
    auto r = o.results();
    for (const char* call : {"mount",
                             "umount2",
                             "name_to_handle_at",
                             "open_by_handle_at",
                             "keyctl",
                             "add_key",
                             "bpf",
                             "perf_event_open",
                             "kexec_load",
                             "init_module",
                             "pivot_root",
                             "unshare_user",
                             "unshare_mount",
                             "clone_newuser",
                             "reboot",
                             "swapon",
                             "setns",
                             "userfaultfd",
                             "io_uring_setup",
                             "personality_addr_no_randomize",
                             "settimeofday",
                             "fsopen",
                             "open_tree"}) {
        INFO(call);
        CHECK(r[call] == "EPERM");
    }
    CHECK(r["clone3"] == "ENOSYS");  // so that the C library falls back to clone()
    CHECK(r["personality_query"] == "ok");
    CHECK(r["fork"] == "ok");

    // Unconfined when allowed: the same calls reach the kernel's own checks.
    auto insecure = run(root, {"/bin/probe", "syscalls"}, 0, SecurityMode::insecure);
    CHECK(insecure.results()["keyctl"] != "EPERM");
    CHECK(insecure.results()["clone3"] != "ENOSYS");
}

TEST_CASE("confinement: device nodes open nothing, /dev holds only the minimal set",
          "[sandbox][attack]") {
    SKIP_UNLESS_ROOT();
    Root root;
    // A block device for the host's first disk shipped in a layer.
    REQUIRE(::mknod((root.dir / "tmp/shipped-disk").c_str(), S_IFBLK | 0600, makedev(8, 0)) == 0);
    struct stat urandom_before;
    REQUIRE(::stat("/dev/urandom", &urandom_before) == 0);

    auto shipped = run(root, {"/bin/probe", "open", "/tmp/shipped-disk"});
    CHECK(shipped.results()["open"] == "EACCES");
    auto made = run(root, {"/bin/probe", "device", "/tmp/mem", "1", "1"});  // /dev/mem
    CHECK(made.results()["mknod"] == "ok");  // CAP_MKNOD is Docker's too: the node may be kept
    CHECK(made.results()["open_device"] == "EACCES");
    auto in_dev = run(root, {"/bin/probe", "device", "/dev/mem", "1", "1"});
    CHECK(in_dev.results()["open_device"] == "EACCES");

    auto listing = sh(root,
                      "ls /dev | sort; echo x > /dev/null; head -c 4 /dev/urandom | wc -c;"
                      " echo x > /dev/urandom");
    INFO(listing.text());
    CHECK(listing.result.exit_code == 0);
    std::vector<std::string> expected{"fd",     "full",    "null",   "ptmx",  "pts",
                                      "random", "shm",     "stderr", "stdin", "stdout",
                                      "tty",    "urandom", "zero"};
    std::vector<std::string> names(
        listing.lines.begin(),
        listing.lines.begin() + std::min(listing.lines.size(), expected.size()));
    CHECK(names == expected);
    struct stat urandom_after;
    REQUIRE(::stat("/dev/urandom", &urandom_after) == 0);
    CHECK(urandom_after.st_mtim.tv_sec == urandom_before.st_mtim.tv_sec);
    CHECK(urandom_after.st_mtim.tv_nsec == urandom_before.st_mtim.tv_nsec);
}

TEST_CASE("confinement: /proc and /sys masked and read-only as Docker makes them",
          "[sandbox][attack]") {
    SKIP_UNLESS_ROOT();
    Root root;
    const std::string lease_before = read_file("/proc/sys/fs/lease-break-time");
    auto o = sh(root,
                "echo 1 > /proc/sys/fs/lease-break-time && echo wrote-proc-sys;"
                "echo b > /proc/sysrq-trigger && echo wrote-sysrq;"
                "touch /sys/kernel/probe && echo wrote-sys;"
                "echo kcore=$(head -c 16 /proc/kcore | wc -c);"
                "echo keys=$(cat /proc/keys | wc -c);"
                "echo timer_list=$(cat /proc/timer_list | wc -c);"
                "echo firmware=$(ls -A /sys/firmware | wc -l);"
                "echo cgroups=$(ls -A /sys/fs/cgroup | wc -l);"
                "echo proc_status=$(grep -c Pid /proc/self/status)");
    INFO(o.text());
    const std::string text = o.text();
    CHECK(text.find("wrote-proc-sys") == std::string::npos);
    CHECK(text.find("wrote-sysrq") == std::string::npos);
    CHECK(text.find("wrote-sys\n") == std::string::npos);
    auto r = o.results();
    CHECK(r["kcore"] == "0");
    CHECK(r["keys"] == "0");
    CHECK(r["timer_list"] == "0");
    CHECK(r["firmware"] == "0");
    CHECK(r["cgroups"] == "0");      // the host's cgroup tree is not there
    CHECK(r["proc_status"] != "0");  // /proc itself works
    CHECK(read_file("/proc/sys/fs/lease-break-time") == lease_before);
}

TEST_CASE("confinement: no descriptor of the builder's reaches the step", "[sandbox][attack]") {
    SKIP_UNLESS_ROOT();
    Root root;
    // Descriptors without O_CLOEXEC, as a careless library would leave them: a file and a socket.
    int file = ::open("/etc/hostname", O_RDONLY);
    int dir = ::open("/", O_RDONLY | O_DIRECTORY);
    REQUIRE(file >= 0);
    auto o = run(root, {"/bin/probe", "fds"});
    ::close(file);
    ::close(dir);
    INFO(o.text());
    CHECK(o.text() == "no other fds\n");
}

TEST_CASE("confinement: the refused list holds the documented system calls", "[sandbox]") {
    const auto& refused = refused_system_calls();
    for (std::string_view call : {"mount", "open_by_handle_at", "keyctl", "bpf", "kexec_load",
                                  "init_module", "pivot_root", "unshare", "reboot", "swapon"})
        CHECK(std::find(refused.begin(), refused.end(), call) != refused.end());
}
