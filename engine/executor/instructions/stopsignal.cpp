// STOPSIGNAL signal: the signal that stops a container of the image.
#include "executor/image_config.h"
#include "executor/instructions/instructions.h"

namespace envbuilder::executor::instructions {

Step stopsignal(StageContext& ctx, StageState& s, const Instruction& ins) {
    std::string signal = ctx.expand(s, ins.arguments, ins);
    config_of(s.image)["StopSignal"] = signal;
    return Step::config("STOPSIGNAL " + signal);
}

}  // namespace envbuilder::executor::instructions
