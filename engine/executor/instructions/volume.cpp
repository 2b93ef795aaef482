// VOLUME path... or VOLUME ["path", ...]: into the config's Volumes.
#include "executor/image_config.h"
#include "executor/instructions/instructions.h"
#include "syntax/json_text.h"

namespace envbuilder::executor::instructions {

Step volume(StageContext& ctx, StageState& s, const Instruction& ins) {
    std::vector<std::string> volumes;
    if (ins.is_exec_form())
        for (const auto& w : *ins.json) volumes.push_back(ctx.expand(s, w.text, ins));
    else
        volumes = ctx.expand_words(s, ins.arguments, ins);
    oci::KeySet& config_volumes = config_of(s.image).volumes.make();
    for (const auto& v : volumes) {
        if (v.empty()) ctx.fail(ins, "a volume needs a path");
        config_volumes[v] = nlohmann::json::object();
    }
    return Step::config("VOLUME " + json_text(volumes));
}

}  // namespace envbuilder::executor::instructions
