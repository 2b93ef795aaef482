// CMD: the default command (exec form as given, shell form through SHELL).
#include "executor/image_config.h"
#include "executor/instructions/instructions.h"
#include "syntax/json_text.h"

namespace envbuilder::executor::instructions {

Step cmd(StageContext&, StageState& s, const Instruction& ins) {
    std::vector<std::string> argv = command_of(s.image, ins);
    config_of(s.image).cmd = argv;
    s.cmd_set = true;
    return Step::config("CMD " + json_text(argv));
}

}  // namespace envbuilder::executor::instructions
