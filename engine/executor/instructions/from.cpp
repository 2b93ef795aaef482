// FROM [--platform=P] image [AS name]: what the stage starts from, read with the global ARGs
// (and the platform ones) in scope. The stage loop (executor.cpp) then takes a parent stage's
// state or pulls the image (base_image.cpp), and runs the base's ONBUILD triggers.
#include "executor/instructions/instructions.h"

namespace envbuilder::executor::instructions {

FromInstruction from(StageContext& ctx, const StageState& globals_scope, const Instruction& ins,
                     const std::string& written_base) {
    FromInstruction result;
    result.base = ctx.expand(globals_scope, written_base, ins);
    if (const auto* flag = ins.flag("platform"); flag && flag->value) {
        // FROM --platform=$BUILDPLATFORM (cross-compiling stages) or any other platform: the
        // image for it is pulled, and its RUN steps run natively or under an emulator.
        std::string problem;
        auto parsed = oci::parse_platform(ctx.expand(globals_scope, *flag->value, ins), &problem);
        if (!parsed) ctx.fail(ins, problem);
        result.platform = *parsed;
    }
    return result;
}

}  // namespace envbuilder::executor::instructions
