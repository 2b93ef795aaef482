#include "executor/sandbox.h"

#include "executor/root_paths.h"
#include "executor/seccomp_filter.h"

#include <linux/capability.h>
#include <linux/seccomp.h>

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <deque>
#include <fstream>
#include <memory>

namespace envbuilder::executor {

namespace fs = std::filesystem;

namespace {

// Everything the child needs, prepared before clone(): the child of a multi-threaded process may
// only make system calls until it execs, so no allocation happens there.
struct ChildPlan {
    std::string root, proc, sys, dev, dev_pts, dev_shm, resolv_target, hosts_target;
    std::string resolv_source, hosts_source;
    struct Device {
        std::string host, target;  // the host's node (bound when nodes cannot be made), in root
        unsigned major = 0, minor = 0;
    };
    std::vector<Device> devices;
    std::vector<std::pair<std::string, std::string>> dev_links;  // target -> link in root
    struct Mount {
        std::string source, target, options;
        bool tmpfs = false, readonly = false;
    };
    std::vector<Mount> mounts;
    std::vector<std::string> masked, read_only;  // in root; empty for --security=insecure
    bool insecure = false;
    uint64_t capability_mask = 0;
    int last_capability = 0;
    sock_fprog seccomp{}, seccomp_personality{};
    std::string dev_null;  // root's /dev/null, put over masked files
    std::string hostname, workdir;
    uint32_t uid = 0, gid = 0;
    std::vector<gid_t> groups;
    std::vector<char*> argv, envp;
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

// The flags a mount has now, as mount(2) flags: a bind remount must repeat the ones it keeps,
// and in a user namespace the kernel refuses one that would drop a locked flag.
unsigned long current_mount_flags(const char* path) {
    struct statfs st;
    if (::statfs(path, &st) != 0) return 0;
    unsigned long flags = 0;
    if (st.f_flags & ST_RDONLY) flags |= MS_RDONLY;
    if (st.f_flags & ST_NOSUID) flags |= MS_NOSUID;
    if (st.f_flags & ST_NODEV) flags |= MS_NODEV;
    if (st.f_flags & ST_NOEXEC) flags |= MS_NOEXEC;
    if (st.f_flags & ST_NOATIME) flags |= MS_NOATIME;
    if (st.f_flags & ST_NODIRATIME) flags |= MS_NODIRATIME;
    if (st.f_flags & ST_RELATIME) flags |= MS_RELATIME;
    return flags;
}

// Adds `extra` (MS_NODEV, MS_RDONLY, ...) to the bind mount at `path`, keeping its other flags.
int remount_adding(const char* path, unsigned long extra) {
    return ::mount(nullptr, path, nullptr, MS_BIND | MS_REMOUNT | current_mount_flags(path) | extra,
                   nullptr);
}

// The minimal /dev: a nodev tmpfs with its own device nodes, each bound onto itself without
// nodev, so that a node a step makes there (or anywhere else) opens nothing. Without CAP_MKNOD
// (a user namespace) the host's nodes are bound instead, as rootless runtimes do.
void make_devices(const ChildPlan* p, int out) {
    if (::mount("tmpfs", p->dev.c_str(), "tmpfs", MS_NOSUID | MS_NODEV | MS_STRICTATIME,
                "mode=755,size=65536k") != 0)
        child_fail(out, "mounting /dev", 125);
    for (const auto& d : p->devices) {
        if (::mknod(d.target.c_str(), S_IFCHR | 0666, makedev(d.major, d.minor)) == 0) {
            ::chmod(d.target.c_str(), 0666);  // whatever the umask
            if (::mount(d.target.c_str(), d.target.c_str(), nullptr, MS_BIND, nullptr) != 0 ||
                ::mount(nullptr, d.target.c_str(), nullptr,
                        MS_BIND | MS_REMOUNT | MS_NOSUID | MS_NOEXEC, nullptr) != 0)
                child_fail(out, d.target.c_str(), 125);
            continue;
        }
        if (errno != EPERM) child_fail(out, d.target.c_str(), 125);
        int fd = ::open(d.target.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0666);
        if (fd >= 0) ::close(fd);
        if (::mount(d.host.c_str(), d.target.c_str(), nullptr, MS_BIND, nullptr) != 0)
            child_fail(out, d.host.c_str(), 125);
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
}

// /sys: a sysfs of its own, read-only. A user namespace that does not own the network
// namespace may not mount sysfs; there the host's /sys is bound, read-only all the way down.
void make_sys(const ChildPlan* p, int out) {
    const unsigned long flags = MS_NOSUID | MS_NODEV | MS_NOEXEC | (p->insecure ? 0 : MS_RDONLY);
    if (::mount("sysfs", p->sys.c_str(), "sysfs", flags, nullptr) == 0) return;
    if (::mount("/sys", p->sys.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0)
        child_fail(out, "mounting /sys", 125);
    if (p->insecure) return;
    mount_attr attr{};
    attr.attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC;
    if (::syscall(SYS_mount_setattr, AT_FDCWD, p->sys.c_str(), AT_RECURSIVE, &attr, sizeof attr) !=
        0)
        child_fail(out, "making /sys read-only", 125);
}

// Docker's masked paths (nothing to read) and read-only paths (nothing to write) of /proc and
// /sys. A path this kernel lacks is skipped.
void confine_kernel_paths(const ChildPlan* p, int out) {
    for (const auto& path : p->masked) {
        struct stat st;
        if (::stat(path.c_str(), &st) != 0) continue;
        int rc = S_ISDIR(st.st_mode)
                     ? ::mount("tmpfs", path.c_str(), "tmpfs",
                               MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=0,mode=0555")
                     : ::mount(p->dev_null.c_str(), path.c_str(), nullptr, MS_BIND, nullptr);
        if (rc != 0) child_fail(out, path.c_str(), 125);
    }
    for (const auto& path : p->read_only) {
        struct stat st;
        if (::stat(path.c_str(), &st) != 0) continue;
        if (::mount(path.c_str(), path.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0 ||
            remount_adding(path.c_str(), MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC) != 0)
            child_fail(out, path.c_str(), 125);
    }
}

// Every descriptor but 0, 1 and 2 (the Dockerfile, the registry's sockets, the blob store's
// files) is closed before the step's program starts.
void close_other_descriptors() {
    if (::syscall(SYS_close_range, 3U, ~0U, 0U) == 0) return;
    struct rlimit limit;
    rlim_t last = ::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY
                      ? limit.rlim_cur
                      : 1 << 20;
    for (rlim_t fd = 3; fd < last; ++fd) ::close(static_cast<int>(fd));
}

// Docker's default capabilities: everything else leaves the bounding set (so no program the
// step runs, setuid or with file capabilities, can get it back), and the ambient and
// inheritable sets are emptied.
void drop_capabilities(const ChildPlan* p) {
    for (int cap = 0; cap <= p->last_capability; ++cap)
        if (!(p->capability_mask & (uint64_t{1} << cap)))
            if (::prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL)
                child_fail(2, "dropping capabilities", 125);
    ::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
}

// For a root step: permitted and effective become Docker's list (a non-root step's sets were
// emptied by setuid).
void limit_root_capabilities(const ChildPlan* p) {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[2]{};
    for (int word = 0; word < 2; ++word) {
        auto bits = static_cast<uint32_t>(p->capability_mask >> (32 * word));
        data[word].effective = data[word].permitted = bits;
        data[word].inheritable = 0;
    }
    if (::syscall(SYS_capset, &header, data) != 0) child_fail(2, "setting capabilities", 125);
}

int child_main(void* arg) {
    auto* p = static_cast<ChildPlan*>(arg);
    const int out = p->output_fd;
    // If the builder dies (killed, crashed), the step's whole namespace dies with it.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
        child_fail(out, "making mounts private", 125);
    // The root is nodev: a device node shipped in a layer or made by the step opens nothing.
    if (::mount(p->root.c_str(), p->root.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0 ||
        remount_adding(p->root.c_str(), MS_NODEV) != 0)
        child_fail(out, "binding the root", 125);
    if (::mount("proc", p->proc.c_str(), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0)
        child_fail(out, "mounting /proc", 125);
    make_devices(p, out);
    make_sys(p, out);
    confine_kernel_paths(p, out);
    if (!p->resolv_source.empty() &&
        (::mount(p->resolv_source.c_str(), p->resolv_target.c_str(), nullptr, MS_BIND, nullptr) !=
             0 ||
         remount_adding(p->resolv_target.c_str(), MS_NODEV | MS_NOSUID | MS_NOEXEC) != 0))
        child_fail(out, "binding /etc/resolv.conf", 125);
    if (!p->hosts_source.empty() &&
        (::mount(p->hosts_source.c_str(), p->hosts_target.c_str(), nullptr, MS_BIND, nullptr) !=
             0 ||
         remount_adding(p->hosts_target.c_str(), MS_NODEV | MS_NOSUID | MS_NOEXEC) != 0))
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
        if (remount_adding(m.target.c_str(), MS_NODEV | (m.readonly ? MS_RDONLY : 0)) != 0)
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

    int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null_fd < 0 || ::dup2(null_fd, 0) < 0 || ::dup2(out, 1) < 0 || ::dup2(out, 2) < 0)
        child_fail(out, "standard input and output", 125);
    close_other_descriptors();

    if (!p->insecure) {
        drop_capabilities(p);
        // Installed while the process still has CAP_SYS_ADMIN (so without no_new_privs, which
        // would disable setuid programs); what follows until exec is allowed by the filter.
        if (::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &p->seccomp, 0, 0) != 0 ||
            (p->seccomp_personality.len > 0 &&
             ::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &p->seccomp_personality, 0, 0) != 0))
            child_fail(2, "installing the seccomp filter", 125);
    }
    // A user namespace with setgroups denied (a rootless build without subordinate ids) refuses
    // even an empty list; with no groups to set, that is fine.
    if (::setgroups(p->groups.size(), p->groups.data()) != 0 &&
        !(errno == EPERM && p->groups.empty()))
        child_fail(2, "setgroups", 125);
    if (::setgid(p->gid) != 0) child_fail(2, "setgid", 125);
    if (::setuid(p->uid) != 0) child_fail(2, "setuid", 125);
    if (!p->insecure && p->uid == 0) limit_root_capabilities(p);

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

int last_capability() {
    std::ifstream in("/proc/sys/kernel/cap_last_cap");
    int last = 40;  // CAP_CHECKPOINT_RESTORE, in kernels that cannot say
    in >> last;
    return last < 0 || last > 63 ? 40 : last;
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
    static const std::set<std::string> points{"proc", "sys", "dev", "etc/resolv.conf", "etc/hosts"};
    return points;
}

namespace {

// The step's output, cut into lines (and lines into pieces of at most kMaxOutputLine bytes), in
// time linear in its size and memory bounded by one piece and the tail kept for errors.
class OutputLines {
  public:
    explicit OutputLines(const std::function<void(std::string_view)>& sink) : sink_(sink) {}

    void append(const char* data, size_t size) {
        std::string_view input(data, size);
        while (!input.empty()) {
            size_t nl = input.find('\n');
            size_t room = kMaxOutputLine - pending_.size();
            if (nl != std::string_view::npos && nl <= room) {
                pending_.append(input.substr(0, nl));
                input.remove_prefix(nl + 1);
                flush();
            } else if (input.size() < room) {
                pending_.append(input);
                return;
            } else {
                pending_.append(input.substr(0, room));
                input.remove_prefix(room);
                flush();
            }
        }
    }
    void finish() {
        if (!pending_.empty()) flush();
    }
    std::vector<std::string> tail() const { return {tail_.begin(), tail_.end()}; }

  private:
    void flush() {
        if (sink_) sink_(pending_);
        tail_.push_back(std::move(pending_));
        if (tail_.size() > 20) tail_.pop_front();
        pending_.clear();
    }
    const std::function<void(std::string_view)>& sink_;
    std::string pending_;
    std::deque<std::string> tail_;
};

}  // namespace

SandboxResult run_in_sandbox(const SandboxSpec& spec) {
    if (::geteuid() != 0)
        throw SandboxError(
            "RUN needs root (or CAP_SYS_ADMIN) to create its namespaces; run the build as root");
    if (spec.argv.empty()) throw SandboxError("RUN has no command");
    if (spec.scratch_dir.empty()) throw SandboxError("the sandbox was given no scratch directory");
    fs::path root = fs::absolute(spec.root).lexically_normal();
    if (root.has_filename() == false) root = root.parent_path();
    const bool insecure = spec.security == SecurityMode::insecure;
    const SeccompProgram* seccomp = insecure ? nullptr : &default_seccomp_program();

    fs::path scratch = spec.scratch_dir / ("run-" + std::to_string(::getpid()) + "-" +
                                           std::to_string(reinterpret_cast<uintptr_t>(&spec)));
    fs::create_directories(scratch);
    fs::permissions(scratch, fs::perms::owner_all, fs::perm_options::replace);
    struct ScratchCleanup {
        fs::path dir;
        ~ScratchCleanup() {
            std::error_code ec;
            fs::remove_all(dir, ec);
        }
    } scratch_cleanup{scratch};

    MountPoints mount_points(root);
    mount_points.directory("proc");
    mount_points.directory("sys");
    mount_points.directory("dev");
    ChildPlan plan;
    plan.root = root.string();
    plan.proc = (root / "proc").string();
    plan.sys = (root / "sys").string();
    plan.dev = (root / "dev").string();
    plan.dev_pts = (root / "dev/pts").string();
    plan.dev_shm = (root / "dev/shm").string();
    plan.dev_null = (root / "dev/null").string();
    struct Node {
        const char* name;
        unsigned major, minor;
    };
    for (const Node& node : {Node{"null", 1, 3}, Node{"zero", 1, 5}, Node{"full", 1, 7},
                             Node{"random", 1, 8}, Node{"urandom", 1, 9}, Node{"tty", 5, 0}})
        plan.devices.push_back({std::string("/dev/") + node.name,
                                (root / "dev" / node.name).string(), node.major, node.minor});
    plan.dev_links = {{"pts/ptmx", (root / "dev/ptmx").string()},
                      {"/proc/self/fd", (root / "dev/fd").string()},
                      {"/proc/self/fd/0", (root / "dev/stdin").string()},
                      {"/proc/self/fd/1", (root / "dev/stdout").string()},
                      {"/proc/self/fd/2", (root / "dev/stderr").string()}};
    plan.insecure = insecure;
    if (!insecure) {
        for (std::string_view path : masked_paths())
            plan.masked.push_back(root.string() + std::string(path));
        for (std::string_view path : read_only_paths())
            plan.read_only.push_back(root.string() + std::string(path));
        plan.capability_mask = default_capability_mask();
        plan.last_capability = last_capability();
        plan.seccomp = SeccompProgram::program_of(seccomp->instructions);
        plan.seccomp_personality = SeccompProgram::program_of(seccomp->personality);
    }
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
    OutputLines output(spec.on_output);
    std::vector<char> buffer(64 * 1024);
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
        ssize_t n = ::read(pipe_fds[0], buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        output.append(buffer.data(), static_cast<size_t>(n));
    }
    output.finish();
    ::close(pipe_fds[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    result.last_lines = output.tail();
    return result;
}

}  // namespace envbuilder::executor
