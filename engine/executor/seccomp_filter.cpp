#include "executor/seccomp_filter.h"

#include "executor/sandbox.h"

#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <iterator>
#include <memory>
#include <string>

namespace envbuilder::executor {

namespace {

// Docker's default profile allows a list of system calls; these are the ones it leaves out (or
// allows only with a capability RUN does not get). Names the running architecture lacks are
// skipped.
const std::vector<std::string_view> kRefused{
    // Filesystems and mounts: the old and the new mount API, pivot_root, quotas, swap.
    "mount",
    "umount",
    "umount2",
    "pivot_root",
    "fsopen",
    "fsconfig",
    "fsmount",
    "fspick",
    "move_mount",
    "open_tree",
    "mount_setattr",
    "quotactl",
    "quotactl_fd",
    "swapon",
    "swapoff",
    "sysfs",
    "ustat",
    "nfsservctl",
    // File handles reach files outside the root (the "shocker" escape).
    "name_to_handle_at",
    "open_by_handle_at",
    // Namespaces: new ones (unshare, and clone below) and joining others.
    "unshare",
    "setns",
    // The kernel: modules, kexec, reboot, BPF, perf, keys, logs, accounting.
    "init_module",
    "finit_module",
    "delete_module",
    "create_module",
    "get_kernel_syms",
    "query_module",
    "kexec_load",
    "kexec_file_load",
    "reboot",
    "bpf",
    "perf_event_open",
    "add_key",
    "request_key",
    "keyctl",
    "syslog",
    "acct",
    "lookup_dcookie",
    "_sysctl",
    "uselib",
    "fanotify_init",
    "vhangup",
    // The host's clocks.
    "settimeofday",
    "stime",
    "clock_settime",
    "clock_settime64",
    "clock_adjtime",
    "clock_adjtime64",
    // NUMA memory policy of the host, and other processes' memory layout.
    "mbind",
    "set_mempolicy",
    "get_mempolicy",
    "move_pages",
    "set_mempolicy_home_node",
    "kcmp",
    // Page-fault handling from user space, and io_uring (which bypasses this filter).
    "userfaultfd",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
    // Port I/O and the vm86 mode of 32-bit x86.
    "ioperm",
    "iopl",
    "vm86",
    "vm86old",
};

// Namespace flags a plain clone() may not carry (it would escape the step's namespaces or make a
// user namespace in which the filter's other limits could be probed).
constexpr uint64_t kNamespaceFlags[] = {CLONE_NEWNS,   CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC,
                                        CLONE_NEWUSER, CLONE_NEWPID,    CLONE_NEWNET};

// personality() values Docker allows: the default, PER_LINUX32, UNAME26 and both, and the query.
constexpr uint64_t kAllowedPersonalities[] = {0x0, 0x8, 0x20000, 0x20008, 0xffffffff};

// personality(): allowed only with one of kAllowedPersonalities, for this machine's native ABI
// (the 32-bit ABIs' personality() is left to the first filter). Classic BPF over seccomp_data.
std::vector<sock_filter> personality_program() {
#if defined(__x86_64__)
    constexpr uint32_t native_arch = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
    constexpr uint32_t native_arch = AUDIT_ARCH_AARCH64;
#else
    return {};
#endif
    constexpr uint32_t allow = SECCOMP_RET_ALLOW;
    constexpr uint32_t deny = SECCOMP_RET_ERRNO | EPERM;
    const uint32_t arch_at = offsetof(seccomp_data, arch), nr_at = offsetof(seccomp_data, nr);
    const uint32_t arg_low = offsetof(seccomp_data, args[0]), arg_high = arg_low + 4;
    constexpr uint8_t count = std::size(kAllowedPersonalities);
    std::vector<sock_filter> code{
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, arch_at),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, native_arch, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, allow),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, nr_at),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, static_cast<uint32_t>(SYS_personality), 1, 0),
        BPF_STMT(BPF_RET | BPF_K, allow),
        // The value is an unsigned int: anything in the upper half is not one of ours.
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, arg_high),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, deny),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, arg_low),
    };
    // Value i matches: jump over the remaining comparisons and the deny, to the allow.
    for (uint8_t i = 0; i < count; ++i)
        code.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
                                static_cast<uint32_t>(kAllowedPersonalities[i]),
                                static_cast<uint8_t>(count - i), 0));
    code.push_back(BPF_STMT(BPF_RET | BPF_K, deny));
    code.push_back(BPF_STMT(BPF_RET | BPF_K, allow));
    return code;
}

struct FilterDeleter {
    void operator()(void* ctx) const { seccomp_release(ctx); }
};

void check(int rc, const std::string& what) {
    if (rc < 0) throw SandboxError("seccomp filter: " + what + ": " + std::strerror(-rc));
}

SeccompProgram build_program() {
    std::unique_ptr<void, FilterDeleter> ctx(seccomp_init(SCMP_ACT_ALLOW));
    if (!ctx) throw SandboxError("seccomp filter: libseccomp could not start a filter");
    // A call from another ABI of the same machine (32-bit x86, x32) meets the same rules; one
    // from an architecture the filter does not know fails.
    check(seccomp_attr_set(ctx.get(), SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ERRNO(EPERM)),
          "bad-architecture action");
    check(seccomp_attr_set(ctx.get(), SCMP_FLTATR_CTL_NNP, 0), "no_new_privs off");
#if defined(__x86_64__)
    for (uint32_t arch : {SCMP_ARCH_X86, SCMP_ARCH_X32}) {
        int rc = seccomp_arch_add(ctx.get(), arch);
        if (rc != -EEXIST) check(rc, "adding an architecture");
    }
#elif defined(__aarch64__)
    if (int rc = seccomp_arch_add(ctx.get(), SCMP_ARCH_ARM); rc != -EEXIST)
        check(rc, "adding an architecture");
#endif
    const auto refuse = SCMP_ACT_ERRNO(EPERM);
    for (std::string_view name : kRefused) {
        int nr = seccomp_syscall_resolve_name(std::string(name).c_str());
        if (nr == __NR_SCMP_ERROR) continue;  // not a system call on any of these ABIs
        int rc = seccomp_rule_add(ctx.get(), refuse, nr, 0);
        if (rc == -EDOM || rc == -EOPNOTSUPP) continue;  // absent on one of the ABIs
        check(rc, std::string(name));
    }
    // clone() with a namespace flag: one rule per flag, (flags & F) == F.
    for (uint64_t flag : kNamespaceFlags)
        check(seccomp_rule_add(ctx.get(), refuse, SCMP_SYS(clone), 1,
                               SCMP_A0(SCMP_CMP_MASKED_EQ, flag, flag)),
              "clone");
    // clone3 passes its flags in memory, where a filter cannot look: answer "no such call", so
    // that the C library falls back to clone(), which is checked above.
    check(seccomp_rule_add(ctx.get(), SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0), "clone3");

    // Export the program through an in-memory file and read it back as instructions.
    int fd = ::memfd_create("envbuilder-seccomp", MFD_CLOEXEC);
    if (fd < 0) throw SandboxError(std::string("seccomp filter: memfd: ") + std::strerror(errno));
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    check(seccomp_export_bpf(ctx.get(), fd), "export");
    off_t size = ::lseek(fd, 0, SEEK_END);
    if (size <= 0 || size % sizeof(sock_filter) != 0)
        throw SandboxError("seccomp filter: libseccomp exported no program");
    SeccompProgram program;
    program.instructions.resize(static_cast<size_t>(size) / sizeof(sock_filter));
    if (::pread(fd, program.instructions.data(), static_cast<size_t>(size), 0) != size)
        throw SandboxError(std::string("seccomp filter: reading it back: ") + std::strerror(errno));
    if (program.instructions.size() > BPF_MAXINSNS)
        throw SandboxError("seccomp filter: the program is longer than the kernel accepts");
    program.personality = personality_program();
    return program;
}

}  // namespace

const SeccompProgram& default_seccomp_program() {
    static const SeccompProgram program = build_program();
    return program;
}

const std::vector<std::string_view>& refused_system_calls() {
    return kRefused;
}

}  // namespace envbuilder::executor
