// FROM [--platform=P] image [AS name]: what the stage starts from, read with the global ARGs
// (and the platform ones) in scope. The stage loop (executor.cpp) then takes a parent stage's
// state or pulls the image (base_image.cpp), and runs the base's ONBUILD triggers.
#include "executor/instructions/instructions.h"
#include "executor/instructions/read_command.h"

namespace envbuilder::executor::instructions {

FromInstruction from(StageContext& ctx, const StageState& globals_scope, const Instruction& ins,
                     const std::string& written_base) {
    const dockerfile::FromCommand command = checked(ctx, ins, dockerfile::parse_from_command(ins));
    FromInstruction result;
    result.base = ctx.expand(globals_scope, written_base, ins);
    if (command.platform) {
        // FROM --platform=$BUILDPLATFORM (cross-compiling stages) or any other platform: the
        // image for it is pulled, and its RUN steps run natively or under an emulator.
        const std::string value = ctx.expand(globals_scope, command.platform->text, ins);
        checked(ctx, ins, dockerfile::parse_platform_value(*command.platform, &value));
        std::string problem;
        auto parsed = oci::parse_platform(value, &problem);
        if (!parsed) ctx.fail(ins, problem);
        result.platform = *parsed;
    }
    return result;
}

}  // namespace envbuilder::executor::instructions
