#include "executor/emulation.h"

#include <filesystem>
#include <fstream>
#include <map>

namespace envbuilder::executor {

namespace {

const char* kBinfmtDir = "/proc/sys/fs/binfmt_misc";

// OCI architecture names to the names qemu (and its binfmt_misc entries) use.
std::string qemu_name(const std::string& architecture) {
    static const std::map<std::string, std::string> names{
        {"amd64", "x86_64"},       {"arm64", "aarch64"},     {"arm", "arm"},
        {"386", "i386"},           {"ppc64le", "ppc64le"},   {"s390x", "s390x"},
        {"riscv64", "riscv64"},    {"mips64le", "mips64el"}, {"mipsle", "mipsel"},
        {"loong64", "loongarch64"}};
    auto it = names.find(architecture);
    return it == names.end() ? architecture : it->second;
}

bool runs_natively(const oci::Platform& platform, const oci::Platform& host) {
    if (platform.os != host.os) return false;
    if (platform.architecture == host.architecture) return true;
    return host.architecture == "amd64" && platform.architecture == "386";
}

}  // namespace

std::optional<Emulator> emulator_for(const oci::Platform& platform, const oci::Platform& host,
                                     bool& native, std::string& problem) {
    native = runs_natively(platform, host);
    if (native) return std::nullopt;
    const std::string how =
        "register an emulator with binfmt_misc with the F flag, e.g. Debian's qemu-user-static "
        "(mount -t binfmt_misc binfmt_misc " +
        std::string(kBinfmtDir) + "; then write /usr/lib/binfmt.d/qemu-" +
        qemu_name(platform.architecture) + ".conf to " + kBinfmtDir + "/register)";
    if (platform.os != "linux") {
        problem = "RUN for " + platform.str() + " cannot run on this " + host.str() + " host";
        return std::nullopt;
    }
    std::error_code ec;
    if (!std::filesystem::exists(std::string(kBinfmtDir) + "/status", ec)) {
        problem = "RUN for " + platform.str() + " needs an emulator on this " + host.str() +
                  " host, and binfmt_misc is not mounted: " + how;
        return std::nullopt;
    }
    Emulator emulator;
    emulator.name = "qemu-" + qemu_name(platform.architecture);
    std::ifstream entry(std::string(kBinfmtDir) + "/" + emulator.name);
    if (!entry) {
        problem = "RUN for " + platform.str() + " needs an emulator on this " + host.str() +
                  " host, and binfmt_misc has no " + emulator.name + " entry: " + how;
        return std::nullopt;
    }
    bool enabled = false;
    std::string flags, line;
    while (std::getline(entry, line)) {
        if (line == "enabled") enabled = true;
        if (line.rfind("interpreter ", 0) == 0) emulator.interpreter = line.substr(12);
        if (line.rfind("flags: ", 0) == 0) flags = line.substr(7);
    }
    if (!enabled) {
        problem = "RUN for " + platform.str() + ": the binfmt_misc entry " + emulator.name +
                  " is disabled (echo 1 > " + kBinfmtDir + "/" + emulator.name + ")";
        return std::nullopt;
    }
    if (flags.find('F') == std::string::npos) {
        problem = "RUN for " + platform.str() + ": the binfmt_misc entry " + emulator.name +
                  " lacks the F flag, so " + emulator.interpreter +
                  " would be looked up inside the image; " + how;
        return std::nullopt;
    }
    return emulator;
}

}  // namespace envbuilder::executor
