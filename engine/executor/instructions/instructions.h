#pragma once
// One function per Dockerfile instruction, one file each (instructions/<name>.cpp); the table
// in dispatch.cpp maps an instruction's kind to its function.
#include "executor/step.h"

namespace envbuilder::executor::instructions {

using dockerfile::Instruction;

// FROM is the stage loop's own step: this reads what it names.
struct FromInstruction {
    std::string base;                       // the image or stage, expanded
    std::optional<oci::Platform> platform;  // --platform, when given
};
FromInstruction from(StageContext& ctx, const StageState& globals_scope, const Instruction& ins,
                     const std::string& written_base);

Step run(StageContext& ctx, StageState& s, const Instruction& ins);
Step copy(StageContext& ctx, StageState& s, const Instruction& ins);
Step add(StageContext& ctx, StageState& s, const Instruction& ins);
Step workdir(StageContext& ctx, StageState& s, const Instruction& ins);
Step env(StageContext& ctx, StageState& s, const Instruction& ins);
Step arg(StageContext& ctx, StageState& s, const Instruction& ins);
Step label(StageContext& ctx, StageState& s, const Instruction& ins);
Step user(StageContext& ctx, StageState& s, const Instruction& ins);
Step expose(StageContext& ctx, StageState& s, const Instruction& ins);
Step volume(StageContext& ctx, StageState& s, const Instruction& ins);
Step cmd(StageContext& ctx, StageState& s, const Instruction& ins);
Step entrypoint(StageContext& ctx, StageState& s, const Instruction& ins);
Step shell(StageContext& ctx, StageState& s, const Instruction& ins);
Step stopsignal(StageContext& ctx, StageState& s, const Instruction& ins);
Step healthcheck(StageContext& ctx, StageState& s, const Instruction& ins);
Step maintainer(StageContext& ctx, StageState& s, const Instruction& ins);
Step onbuild(StageContext& ctx, StageState& s, const Instruction& ins);

}  // namespace envbuilder::executor::instructions
