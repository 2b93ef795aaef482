// MAINTAINER name (deprecated): the image's author. The key and history keep the text as written.
#include "executor/instructions/instructions.h"

namespace envbuilder::executor::instructions {

Step maintainer(StageContext& ctx, StageState& s, const Instruction& ins) {
    s.image.author = ctx.expand(s, ins.arguments, ins);
    return Step::config("MAINTAINER " + ins.arguments);
}

}  // namespace envbuilder::executor::instructions
