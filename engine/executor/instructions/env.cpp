// ENV key=value...: every value is expanded with the environment from before the instruction.
#include "executor/image_config.h"
#include "executor/instructions/instructions.h"

namespace envbuilder::executor::instructions {

Step env(StageContext& ctx, StageState& s, const Instruction& ins) {
    std::string created_by = "ENV";
    for (const auto& kv : ins.pairs) {
        std::string value = ctx.expand(s, kv.value.value_or(""), ins);
        set_env(s.image, kv.key, value);
        created_by += " " + kv.key + "=" + value;
    }
    return Step::config(created_by);
}

}  // namespace envbuilder::executor::instructions
