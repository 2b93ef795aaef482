#pragma once
// SHELL ["executable", "parameters"...]: read once for lint and the executor. Only the exec form
// exists, and it must name a program.
#include <string>
#include <vector>

#include "syntax/commands/command_error.h"

namespace envbuilder::dockerfile {

struct ShellCommand {
    std::vector<std::string> shell;  // decoded, not expanded (BuildKit does not expand SHELL)
};

// Errors (on the arguments): not a JSON array of strings (no arguments included, which lint
// leaves to ArgumentCount), or an empty one.
Parsed<ShellCommand> parse_shell_command(const Instruction& ins);

}  // namespace envbuilder::dockerfile
