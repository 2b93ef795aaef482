#pragma once
// RUN steps of a stage whose platform is not this host's: the kernel starts the stage's binaries
// through an emulator registered with binfmt_misc (Debian's qemu-user-static). The registration
// must carry the F flag (the emulator opened when registered), or the emulator's path would have
// to exist inside the stage's root.
#include <optional>
#include <string>

#include "oci/manifest.h"

namespace envbuilder::executor {

struct Emulator {
    std::string name;         // the binfmt_misc entry, e.g. "qemu-aarch64"
    std::string interpreter;  // as registered, e.g. /usr/libexec/qemu-binfmt/aarch64-binfmt-P
};

// nullopt when `platform`'s binaries run natively here (its architecture is the host's, or one
// the host's CPU runs itself, as 386 on amd64).
// Otherwise the emulator that will run them, or, when there is none, a BuildError-ready
// explanation in `problem` (what is missing and how to provide it) and nullopt.
std::optional<Emulator> emulator_for(const oci::Platform& platform, const oci::Platform& host,
                                     bool& native, std::string& problem);

}  // namespace envbuilder::executor
