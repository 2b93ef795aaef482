// LABEL key=value...: keys and values expanded, into the config's Labels.
#include "executor/image_config.h"
#include "executor/instructions/instructions.h"

namespace envbuilder::executor::instructions {

Step label(StageContext& ctx, StageState& s, const Instruction& ins) {
    std::map<std::string, std::string>& labels = config_of(s.image).labels.make();
    std::string created_by = "LABEL";
    for (const auto& kv : ins.pairs) {
        std::string key = ctx.expand(s, kv.key, ins),
                    value = ctx.expand(s, kv.value.value_or(""), ins);
        labels[key] = value;
        created_by += " " + key + "=" + value;
    }
    return Step::config(created_by);
}

}  // namespace envbuilder::executor::instructions
