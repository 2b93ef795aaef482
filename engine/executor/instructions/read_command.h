#pragma once
// How an instruction file takes its typed instruction (syntax/commands/): the first error of the
// reading fails the instruction, as lint would have reported it.
#include <optional>
#include <string>

#include "executor/step.h"
#include "syntax/commands/commands.h"

namespace envbuilder::executor::instructions {

template <typename T>
T checked(StageContext& ctx, const dockerfile::Instruction& ins, dockerfile::Parsed<T> parsed) {
    if (!parsed.errors.empty()) ctx.fail(ins, parsed.errors.front().message);
    return std::move(parsed.value);
}

// RUN --security=insecure without the security.insecure entitlement: what the build says, both
// before any step runs (executor.cpp) and at the step itself; nullopt when the RUN may run.
std::optional<std::string> missing_entitlement(const dockerfile::RunCommand& run,
                                               const BuildRequest& request);

}  // namespace envbuilder::executor::instructions
