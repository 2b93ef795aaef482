#pragma once
// The seccomp filter every RUN step runs under (unless --security=insecure), with the effect of
// Docker's default profile for a container without extra capabilities: the system calls that
// reach past a container (mounts, kernel modules and keys, BPF, perf, kexec, reboot and swap,
// file handles, new namespaces, clocks, NUMA policy, io_uring) fail with EPERM; everything else
// runs. Built with libseccomp once per process and kept as a BPF program, so that the sandbox's
// child can install it with one system call and no allocation.
#include <linux/filter.h>

#include <string_view>
#include <vector>

namespace envbuilder::executor {

struct SeccompProgram {
    std::vector<sock_filter> instructions;  // from libseccomp
    // personality()'s allowed values, hand-written: libseccomp cannot compare one argument with
    // several values in one rule. Installed on top of the first (the stricter answer wins).
    std::vector<sock_filter> personality;
    static sock_fprog program_of(const std::vector<sock_filter>& code) {
        return {static_cast<unsigned short>(code.size()), const_cast<sock_filter*>(code.data())};
    }
};

// Throws SandboxError when libseccomp cannot build the filter.
const SeccompProgram& default_seccomp_program();

// The names of the system calls refused outright (argument-dependent rules, for clone and
// personality, come on top), for documentation and tests.
const std::vector<std::string_view>& refused_system_calls();

}  // namespace envbuilder::executor
