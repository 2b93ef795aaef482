// ENTRYPOINT: the command CMD's arguments go to. As in Docker, an inherited CMD does not survive
// a new ENTRYPOINT; a CMD of this stage does.
#include "executor/image_config.h"
#include "executor/instructions/instructions.h"
#include "syntax/json_text.h"

namespace envbuilder::executor::instructions {

Step entrypoint(StageContext&, StageState& s, const Instruction& ins) {
    std::vector<std::string> argv = command_of(s.image, ins);
    oci::ContainerConfig& config = config_of(s.image);
    config.entrypoint = argv;
    if (!s.cmd_set) config.cmd.set_null();
    return Step::config("ENTRYPOINT " + json_text(argv));
}

}  // namespace envbuilder::executor::instructions
