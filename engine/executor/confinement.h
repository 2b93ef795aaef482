#pragma once
// What a RUN step may do, as Docker's default container profile decides it: the capabilities it
// keeps, the /proc and /sys paths it cannot read or cannot write, and the seccomp filter (in
// seccomp_filter.h). `--security=insecure` (with the security.insecure entitlement) lifts these.
#include <cstdint>
#include <span>
#include <string_view>

namespace envbuilder::executor {

enum class SecurityMode {
    sandbox,   // Docker's default confinement (RUN --security=sandbox, the default)
    insecure,  // every capability, no seccomp filter, /proc and /sys unmasked and writable
};

struct Capability {
    int number;  // CAP_* from <linux/capability.h>
    std::string_view name;
};

// The capabilities Docker (and BuildKit) give a container by default; every other one is dropped
// from the bounding, permitted, effective, inheritable and ambient sets.
std::span<const Capability> default_capabilities();

// A 64-bit mask of default_capabilities(), bit n for CAP number n.
uint64_t default_capability_mask();

// Paths made unreadable: a file gets /dev/null over it, a directory an empty read-only tmpfs.
std::span<const std::string_view> masked_paths();

// Paths made read-only (bound onto themselves, remounted read-only).
std::span<const std::string_view> read_only_paths();

}  // namespace envbuilder::executor
