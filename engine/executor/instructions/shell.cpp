// SHELL ["executable", "parameters"...]: what the shell forms of RUN, CMD and ENTRYPOINT run in,
// read by syntax/commands/shell_command (the reader lint uses).
#include "executor/image_config.h"
#include "executor/instructions/instructions.h"
#include "executor/instructions/read_command.h"
#include "syntax/json_text.h"

namespace envbuilder::executor::instructions {

Step shell(StageContext& ctx, StageState& s, const Instruction& ins) {
    const std::vector<std::string> shell =
        checked(ctx, ins, dockerfile::parse_shell_command(ins)).shell;
    config_of(s.image).shell = shell;
    return Step::config("SHELL " + json_text(shell));
}

}  // namespace envbuilder::executor::instructions
