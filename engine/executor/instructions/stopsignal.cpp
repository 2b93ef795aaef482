// STOPSIGNAL signal: the signal that stops a container of the image, read after expansion by
// syntax/commands/stopsignal_command (the reader lint uses).
#include "executor/image_config.h"
#include "executor/instructions/instructions.h"
#include "executor/instructions/read_command.h"

namespace envbuilder::executor::instructions {

Step stopsignal(StageContext& ctx, StageState& s, const Instruction& ins) {
    const auto command = checked(ctx, ins, dockerfile::parse_stopsignal_command(ins));
    std::string signal = ctx.expand(s, command.signal.text, ins);
    checked(ctx, ins, dockerfile::parse_stop_signal(command.signal, signal));
    config_of(s.image).stop_signal = signal;
    return Step::config("STOPSIGNAL " + signal);
}

}  // namespace envbuilder::executor::instructions
