#pragma once
// RUN --mount flags turned into the sandbox's mounts (instructions/run_mounts.cpp).
#include <functional>
#include <string>
#include <vector>

#include "executor/sandbox.h"
#include "executor/step.h"
#include "syntax/commands/command_error.h"

namespace envbuilder::executor::instructions {

struct RunMounts {
    std::vector<SandboxMount> mounts;
    // One per mount (maybe empty): finishes the mount when the step runs, so that a cached step
    // never unpacks the stage a bind mount would have read.
    std::vector<std::function<void(SandboxMount&)>> prepare;
    std::vector<std::string> secret_env;  // env= secrets: NAME=content, never in the cache key
    std::string definition;               // what of the mounts belongs in the cache key
};

// `mounts`: RUN's --mount values as written (syntax/commands/run_command.h), expanded here.
RunMounts run_mounts(StageContext& ctx, StageState& s, const dockerfile::Instruction& ins,
                     const std::vector<dockerfile::RawValue>& mounts);

}  // namespace envbuilder::executor::instructions
