// STOPSIGNAL signal: the signal that stops a container of the image.
#include "executor/instructions/config_string.h"

namespace envbuilder::executor::instructions {

Step stopsignal(StageContext& ctx, StageState& s, const Instruction& ins) {
    return set_config_string(ctx, s, ins, "STOPSIGNAL", &oci::ContainerConfig::stop_signal);
}

}  // namespace envbuilder::executor::instructions
