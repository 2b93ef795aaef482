#include "build/sandbox.h"

#include "build/root_paths.h"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <deque>
#include <fstream>
#include <memory>

namespace envbuilder::build {

namespace fs = std::filesystem;

namespace {

// Everything the child needs, prepared before clone(): the child of a multi-threaded process may
// only make system calls until it execs, so no allocation happens there.
struct ChildPlan {
    std::string root, proc, dev, dev_pts, dev_shm, dev_ptmx, resolv_target, hosts_target;
    std::string resolv_source, hosts_source;
    std::vector<std::pair<std::string, std::string>> device_binds;  // host device -> file in root
    std::vector<std::pair<std::string, std::string>> dev_links;     // target -> link in root
    struct Mount {
        std::string source, target, options;
        bool tmpfs = false, readonly = false;
    };
    std::vector<Mount> mounts;
    std::string hostname, workdir;
    uint32_t uid = 0, gid = 0;
    std::vector<gid_t> groups;
    std::vector<char*> argv, envp;
    std::vector<std::string> path_dirs;  // from the step's PATH, for a command without a '/'
    std::string command;
    std::vector<std::string> candidates;  // path_dir + "/" + command, prebuilt
    int output_fd = -1;
};

void child_fail(int fd, const char* what, int code) {
    const char* reason = std::strerror(errno);
    // write() is safe here; the message reaches the step's output.
    (void)!::write(fd, "envbuilder sandbox: ", 20);
    (void)!::write(fd, what, std::strlen(what));
    (void)!::write(fd, ": ", 2);
    (void)!::write(fd, reason, std::strlen(reason));
    (void)!::write(fd, "\n", 1);
    ::_exit(code);
}

int child_main(void* arg) {
    auto* p = static_cast<ChildPlan*>(arg);
    const int out = p->output_fd;
    // If the builder dies (killed, crashed), the step's whole namespace dies with it.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
        child_fail(out, "making mounts private", 125);
    if (::mount(p->root.c_str(), p->root.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0)
        child_fail(out, "binding the root", 125);
    if (::mount("proc", p->proc.c_str(), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0)
        child_fail(out, "mounting /proc", 125);
    if (::mount("tmpfs", p->dev.c_str(), "tmpfs", MS_NOSUID | MS_STRICTATIME,
                "mode=755,size=65536k") != 0)
        child_fail(out, "mounting /dev", 125);
    for (const auto& [host, target] : p->device_binds) {
        int fd = ::open(target.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0666);
        if (fd >= 0) ::close(fd);
        if (::mount(host.c_str(), target.c_str(), nullptr, MS_BIND, nullptr) != 0)
            child_fail(out, host.c_str(), 125);
    }
    ::mkdir(p->dev_pts.c_str(), 0755);
    if (::mount("devpts", p->dev_pts.c_str(), "devpts", MS_NOSUID | MS_NOEXEC,
                "newinstance,ptmxmode=0666,mode=0620") != 0)
        child_fail(out, "mounting /dev/pts", 125);
    ::mkdir(p->dev_shm.c_str(), 01777);
    if (::mount("shm", p->dev_shm.c_str(), "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
                "mode=1777,size=65536k") != 0)
        child_fail(out, "mounting /dev/shm", 125);
    for (const auto& [target, link] : p->dev_links) ::symlink(target.c_str(), link.c_str());
    if (!p->resolv_source.empty() &&
        ::mount(p->resolv_source.c_str(), p->resolv_target.c_str(), nullptr, MS_BIND, nullptr) != 0)
        child_fail(out, "binding /etc/resolv.conf", 125);
    if (!p->hosts_source.empty() &&
        ::mount(p->hosts_source.c_str(), p->hosts_target.c_str(), nullptr, MS_BIND, nullptr) != 0)
        child_fail(out, "binding /etc/hosts", 125);
    for (const auto& m : p->mounts) {
        if (m.tmpfs) {
            if (::mount("tmpfs", m.target.c_str(), "tmpfs", MS_NOSUID | MS_NODEV,
                        m.options.c_str()) != 0)
                child_fail(out, m.target.c_str(), 125);
            continue;
        }
        if (::mount(m.source.c_str(), m.target.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0)
            child_fail(out, m.source.c_str(), 125);
        if (m.readonly && ::mount(nullptr, m.target.c_str(), nullptr,
                                  MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC, nullptr) != 0)
            child_fail(out, m.target.c_str(), 125);
    }
    ::sethostname(p->hostname.c_str(), p->hostname.size());

    // Into the root: pivot_root(".", ".") stacks the old root on top, and detaching it leaves the
    // process with no path back to the host's filesystem.
    if (::chdir(p->root.c_str()) != 0) child_fail(out, "entering the root", 125);
    if (::syscall(SYS_pivot_root, ".", ".") != 0) child_fail(out, "pivot_root", 125);
    if (::umount2(".", MNT_DETACH) != 0) child_fail(out, "detaching the host's root", 125);
    if (::chdir("/") != 0) child_fail(out, "chdir /", 125);
    if (::chdir(p->workdir.c_str()) != 0) child_fail(out, p->workdir.c_str(), 125);

    // A user namespace with setgroups denied (a rootless build without subordinate ids) refuses
    // even an empty list; with no groups to set, that is fine.
    if (::setgroups(p->groups.size(), p->groups.data()) != 0 &&
        !(errno == EPERM && p->groups.empty()))
        child_fail(out, "setgroups", 125);
    if (::setgid(p->gid) != 0) child_fail(out, "setgid", 125);
    if (::setuid(p->uid) != 0) child_fail(out, "setuid", 125);

    int null_fd = ::open("/dev/null", O_RDONLY);
    if (null_fd >= 0) ::dup2(null_fd, 0);
    ::dup2(out, 1);
    ::dup2(out, 2);
    if (p->candidates.empty()) {
        ::execve(p->command.c_str(), p->argv.data(), p->envp.data());
    } else {
        for (const auto& candidate : p->candidates) {
            ::execve(candidate.c_str(), p->argv.data(), p->envp.data());
            if (errno != ENOENT && errno != ENOTDIR) break;
        }
    }
    child_fail(2, p->command.c_str(), errno == ENOENT ? 127 : 126);
    return 127;
}

std::string path_variable(const std::vector<std::string>& env) {
    for (const auto& e : env)
        if (e.rfind("PATH=", 0) == 0) return e.substr(5);
    return "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
}

// A copy of a host file for the step (so that a RUN writing it cannot change the host's).
std::string private_copy(const fs::path& host_file, const fs::path& dir, const char* name) {
    std::error_code ec;
    if (!fs::is_regular_file(host_file, ec)) return {};
    fs::path copy = dir / name;
    fs::copy_file(host_file, copy, fs::copy_options::overwrite_existing, ec);
    return ec ? std::string() : copy.string();
}

// Creates what the sandbox mounts over when the image lacks it, and removes it (restoring the
// parent directory's times) afterwards, so the step's diff does not see the scaffolding.
class MountPoints {
  public:
    explicit MountPoints(const fs::path& root) : root_(root) {}
    ~MountPoints() {
        for (auto it = created_.rbegin(); it != created_.rend(); ++it) {
            std::error_code ec;
            fs::remove(it->first, ec);
            ::utimensat(AT_FDCWD, it->first.parent_path().c_str(), it->second.data(),
                        AT_SYMLINK_NOFOLLOW);
        }
    }
    void directory(const std::string& relative) { make(relative, true); }
    void file(const std::string& relative) { make(relative, false); }

  private:
    void make(const std::string& relative, bool dir) {
        fs::path path = root_ / relative;
        struct stat st;
        if (::lstat(path.c_str(), &st) == 0) {
            if (dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode)) return;
            throw SandboxError("/" + relative + " in the image is not a " +
                               (dir ? "directory" : "regular file") +
                               "; the sandbox needs to mount over it");
        }
        if (path.parent_path() != root_)
            make(path.parent_path().lexically_relative(root_).string(), true);
        struct stat parent;
        std::array<timespec, 2> times{};
        if (::lstat(path.parent_path().c_str(), &parent) == 0)
            times = {parent.st_atim, parent.st_mtim};
        if (dir ? ::mkdir(path.c_str(), 0755) != 0
                : ::close(::open(path.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0644)) != 0)
            throw SandboxError("cannot create /" + relative +
                               " for the sandbox: " + std::strerror(errno));
        created_.emplace_back(path, times);
    }
    fs::path root_;
    std::vector<std::pair<fs::path, std::array<timespec, 2>>> created_;
};

}  // namespace

const std::set<std::string>& sandbox_mount_points() {
    static const std::set<std::string> points{"proc", "dev", "etc/resolv.conf", "etc/hosts"};
    return points;
}

SandboxResult run_in_sandbox(const SandboxSpec& spec) {
    if (::geteuid() != 0)
        throw SandboxError(
            "RUN needs root (or CAP_SYS_ADMIN) to create its namespaces; run the build as root");
    if (spec.argv.empty()) throw SandboxError("RUN has no command");
    fs::path root = fs::absolute(spec.root).lexically_normal();
    if (root.has_filename() == false) root = root.parent_path();

    fs::path scratch =
        fs::temp_directory_path() / ("envbuilder-run-" + std::to_string(::getpid()) + "-" +
                                     std::to_string(reinterpret_cast<uintptr_t>(&spec)));
    fs::create_directories(scratch);
    struct ScratchCleanup {
        fs::path dir;
        ~ScratchCleanup() {
            std::error_code ec;
            fs::remove_all(dir, ec);
        }
    } scratch_cleanup{scratch};

    MountPoints mount_points(root);
    mount_points.directory("proc");
    mount_points.directory("dev");
    ChildPlan plan;
    plan.root = root.string();
    plan.proc = (root / "proc").string();
    plan.dev = (root / "dev").string();
    plan.dev_pts = (root / "dev/pts").string();
    plan.dev_shm = (root / "dev/shm").string();
    for (const char* device : {"null", "zero", "full", "random", "urandom", "tty"})
        plan.device_binds.emplace_back(std::string("/dev/") + device,
                                       (root / "dev" / device).string());
    plan.dev_links = {{"pts/ptmx", (root / "dev/ptmx").string()},
                      {"/proc/self/fd", (root / "dev/fd").string()},
                      {"/proc/self/fd/0", (root / "dev/stdin").string()},
                      {"/proc/self/fd/1", (root / "dev/stdout").string()},
                      {"/proc/self/fd/2", (root / "dev/stderr").string()}};
    plan.resolv_source = private_copy("/etc/resolv.conf", scratch, "resolv.conf");
    plan.hosts_source = private_copy("/etc/hosts", scratch, "hosts");
    if (!plan.resolv_source.empty()) mount_points.file("etc/resolv.conf");
    if (!plan.hosts_source.empty()) mount_points.file("etc/hosts");
    plan.resolv_target = (root / "etc/resolv.conf").string();
    plan.hosts_target = (root / "etc/hosts").string();
    for (const auto& m : spec.mounts) {
        if (m.target.empty() || m.target[0] != '/')
            throw SandboxError("a RUN mount target must be an absolute path, got '" + m.target +
                               "'");
        fs::path host = resolve_in_root(root, m.target);
        std::error_code ec;
        bool file = m.kind == SandboxMount::Kind::bind && !fs::is_directory(m.source, ec);
        if (file) {
            mount_points.file(host.lexically_relative(root).string());
        } else if (!fs::is_directory(host, ec)) {
            fs::create_directories(host, ec);
            if (ec)
                throw SandboxError("cannot create the mount point " + m.target + ": " +
                                   ec.message());
        }
        plan.mounts.push_back({m.source.string(), host.string(), m.tmpfs_options,
                               m.kind == SandboxMount::Kind::tmpfs, m.readonly});
    }
    plan.hostname = spec.hostname;
    plan.workdir = spec.workdir.empty() ? "/" : spec.workdir;
    plan.uid = spec.uid;
    plan.gid = spec.gid;
    plan.groups.assign(spec.supplementary_groups.begin(), spec.supplementary_groups.end());

    std::vector<std::string> argv = spec.argv, env = spec.env;
    for (auto& a : argv) plan.argv.push_back(a.data());
    plan.argv.push_back(nullptr);
    for (auto& e : env) plan.envp.push_back(e.data());
    plan.envp.push_back(nullptr);
    plan.command = spec.argv[0];
    if (plan.command.find('/') == std::string::npos) {
        std::string path = path_variable(spec.env);
        for (size_t begin = 0; begin <= path.size();) {
            size_t end = path.find(':', begin);
            if (end == std::string::npos) end = path.size();
            std::string dir = path.substr(begin, end - begin);
            plan.candidates.push_back((dir.empty() ? "." : dir) + "/" + plan.command);
            begin = end + 1;
        }
    }

    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0)
        throw SandboxError(std::string("pipe: ") + std::strerror(errno));
    plan.output_fd = pipe_fds[1];
    // The child's copy of the write end must survive exec: dup2 onto 1 and 2 clears CLOEXEC there.
    constexpr size_t kStackSize = 1 << 20;
    auto stack = std::make_unique<char[]>(kStackSize);
    int flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | SIGCHLD;
    if (spec.isolate_network) flags |= CLONE_NEWNET;
    pid_t pid = ::clone(child_main, stack.get() + kStackSize, flags, &plan);
    ::close(pipe_fds[1]);
    if (pid < 0) {
        ::close(pipe_fds[0]);
        throw SandboxError(std::string("cannot create the RUN namespaces: ") +
                           std::strerror(errno));
    }

    SandboxResult result;
    std::deque<std::string> tail;
    std::string pending;
    auto emit_line = [&](std::string line) {
        if (spec.on_output) spec.on_output(line);
        tail.push_back(std::move(line));
        if (tail.size() > 20) tail.pop_front();
    };
    char buffer[8192];
    for (;;) {
        if (spec.cancel && spec.cancel->load() && !result.cancelled) {
            // PID 1 of the namespace: when it dies, the kernel kills everything else in it.
            ::kill(pid, SIGKILL);
            result.cancelled = true;
        }
        pollfd pfd{pipe_fds[0], POLLIN, 0};
        int ready = ::poll(&pfd, 1, 100);
        if (ready < 0 && errno == EINTR) continue;
        if (ready == 0) continue;
        ssize_t n = ::read(pipe_fds[0], buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        pending.append(buffer, static_cast<size_t>(n));
        for (size_t nl; (nl = pending.find('\n')) != std::string::npos;) {
            emit_line(pending.substr(0, nl));
            pending.erase(0, nl + 1);
        }
    }
    if (!pending.empty()) emit_line(pending);
    ::close(pipe_fds[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    result.last_lines.assign(tail.begin(), tail.end());
    return result;
}

}  // namespace envbuilder::build
