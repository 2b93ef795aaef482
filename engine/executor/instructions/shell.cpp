// SHELL ["executable", "parameters"...]: what the shell forms of RUN, CMD and ENTRYPOINT run in.
#include "executor/image_config.h"
#include "executor/instructions/instructions.h"
#include "syntax/json_text.h"

namespace envbuilder::executor::instructions {

Step shell(StageContext& ctx, StageState& s, const Instruction& ins) {
    if (!ins.is_exec_form())
        ctx.fail(ins, "SHELL needs the JSON form, e.g. SHELL [\"/bin/bash\", \"-c\"]");
    std::vector<std::string> shell;
    for (const auto& w : *ins.json) shell.push_back(w.text);
    config_of(s.image).shell = shell;
    return Step::config("SHELL " + json_text(shell));
}

}  // namespace envbuilder::executor::instructions
