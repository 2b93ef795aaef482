// USER name[:group]: who RUN, CMD and ENTRYPOINT run as (resolved in the stage's /etc/passwd when
// a RUN needs it).
#include "executor/image_config.h"
#include "executor/instructions/instructions.h"

namespace envbuilder::executor::instructions {

Step user(StageContext& ctx, StageState& s, const Instruction& ins) {
    std::string user = ctx.expand(s, ins.arguments, ins);
    config_of(s.image)["User"] = user;
    return Step::config("USER " + user);
}

}  // namespace envbuilder::executor::instructions
