// ARG name[=default]...: a --build-arg wins, then the default, then a global ARG of that name,
// then the predefined platform ARGs. ARGs reach RUN's environment, never the image.
#include "analysis/stage_model.h"
#include "executor/instructions/instructions.h"

namespace envbuilder::executor::instructions {

Step arg(StageContext& ctx, StageState& s, const Instruction& ins) {
    std::string created_by = "ARG";
    const auto& build_args = ctx.request().build_args;
    for (const auto& kv : ins.pairs) {
        std::optional<std::string> value;
        if (auto given = build_args.find(kv.key); given != build_args.end())
            value = given->second;
        else if (kv.value)
            value = ctx.expand(s, *kv.value, ins);
        else if (auto global = ctx.global_args().find(kv.key); global != ctx.global_args().end())
            value = global->second;
        else if (is_predefined_platform_arg(kv.key))
            value = platform_arg_value(kv.key, ctx.build_platform().str());
        if (value)
            s.args[kv.key] = *value;
        else
            s.args.erase(kv.key);
        created_by += " " + kv.key + (value ? "=" + *value : "");
    }
    return Step::config(created_by);
}

}  // namespace envbuilder::executor::instructions
