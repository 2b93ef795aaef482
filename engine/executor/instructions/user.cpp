// USER name[:group]: who RUN, CMD and ENTRYPOINT run as (resolved in the stage's /etc/passwd when
// a RUN needs it).
#include "executor/instructions/config_string.h"

namespace envbuilder::executor::instructions {

Step user(StageContext& ctx, StageState& s, const Instruction& ins) {
    return set_config_string(ctx, s, ins, "USER", &oci::ContainerConfig::user);
}

}  // namespace envbuilder::executor::instructions
