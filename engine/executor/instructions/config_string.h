#pragma once
// USER and STOPSIGNAL: the argument, expanded, is a string of the config and the history.
#include <string>

#include "executor/image_config.h"
#include "executor/instructions/instructions.h"

namespace envbuilder::executor::instructions {

inline Step set_config_string(StageContext& ctx, StageState& s, const Instruction& ins,
                              const char* keyword,
                              oci::Field<std::string> oci::ContainerConfig::*field) {
    std::string value = ctx.expand(s, ins.arguments, ins);
    config_of(s.image).*field = value;
    return Step::config(std::string(keyword) + " " + value);
}

}  // namespace envbuilder::executor::instructions
