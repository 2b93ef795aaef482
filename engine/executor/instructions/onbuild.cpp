// ONBUILD instruction: stored in the config for the builds that use this image as their base
// (the stage loop runs a base's triggers); a trigger may not be another ONBUILD.
#include "executor/image_config.h"
#include "executor/instructions/instructions.h"

namespace envbuilder::executor::instructions {

Step onbuild(StageContext& ctx, StageState& s, const Instruction& ins) {
    if (ctx.running_trigger()) ctx.fail(ins, "ONBUILD cannot trigger another ONBUILD");
    config_of(s.image).on_build.make().push_back(ins.arguments);
    return Step::config("ONBUILD " + ins.arguments);
}

}  // namespace envbuilder::executor::instructions
