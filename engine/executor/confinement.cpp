#include "executor/confinement.h"

#include <linux/capability.h>

#include <array>

namespace envbuilder::executor {

namespace {

// Docker's default list (moby's oci/caps DefaultCapabilities, BuildKit's oci spec defaults).
constexpr std::array kDefaultCapabilities{
    Capability{CAP_CHOWN, "CAP_CHOWN"},
    Capability{CAP_DAC_OVERRIDE, "CAP_DAC_OVERRIDE"},
    Capability{CAP_FSETID, "CAP_FSETID"},
    Capability{CAP_FOWNER, "CAP_FOWNER"},
    Capability{CAP_MKNOD, "CAP_MKNOD"},
    Capability{CAP_NET_RAW, "CAP_NET_RAW"},
    Capability{CAP_SETGID, "CAP_SETGID"},
    Capability{CAP_SETUID, "CAP_SETUID"},
    Capability{CAP_SETFCAP, "CAP_SETFCAP"},
    Capability{CAP_SETPCAP, "CAP_SETPCAP"},
    Capability{CAP_NET_BIND_SERVICE, "CAP_NET_BIND_SERVICE"},
    Capability{CAP_SYS_CHROOT, "CAP_SYS_CHROOT"},
    Capability{CAP_KILL, "CAP_KILL"},
    Capability{CAP_AUDIT_WRITE, "CAP_AUDIT_WRITE"},
};

// Kernel interfaces a container must not read: memory images, keys, timers and scheduler state
// of the host, hardware buses and firmware.
constexpr std::array<std::string_view, 11> kMaskedPaths{
    "/proc/acpi",        "/proc/kcore",
    "/proc/keys",        "/proc/latency_stats",
    "/proc/timer_list",  "/proc/timer_stats",
    "/proc/sched_debug", "/proc/scsi",
    "/sys/firmware",     "/sys/devices/virtual/powercap",
    "/proc/interrupts",
};

// Kernel interfaces a container may read but whose writes would change the host.
constexpr std::array<std::string_view, 6> kReadOnlyPaths{
    "/proc/asound", "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
};

}  // namespace

std::span<const Capability> default_capabilities() {
    return kDefaultCapabilities;
}

uint64_t default_capability_mask() {
    uint64_t mask = 0;
    for (const auto& c : kDefaultCapabilities) mask |= uint64_t{1} << c.number;
    return mask;
}

std::span<const std::string_view> masked_paths() {
    return kMaskedPaths;
}

std::span<const std::string_view> read_only_paths() {
    return kReadOnlyPaths;
}

}  // namespace envbuilder::executor
