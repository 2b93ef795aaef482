#include "syntax/commands/shell_command.h"

namespace envbuilder::dockerfile {

Parsed<ShellCommand> parse_shell_command(const Instruction& ins) {
    Parsed<ShellCommand> out;
    read_flags(ins, out.errors, [](const Flag&, bool) {});
    auto error = [&](std::string message) {
        CommandError e;
        e.kind = CommandError::Kind::arguments;
        e.range = ins.arguments_range;
        e.message = std::move(message);
        e.value = ins.arguments;
        out.errors.push_back(std::move(e));
    };
    if (ins.json) {
        for (const auto& w : *ins.json) out.value.shell.push_back(w.text);
        if (ins.json->empty())
            error(
                "SHELL [] names no shell: list the program and its options, e.g. "
                "SHELL [\"/bin/bash\", \"-c\"]");
    } else {
        error(std::string("SHELL must be a JSON array of strings, e.g. SHELL [\"/bin/bash\", "
                          "\"-c\"]") +
              (ins.json_like ? "; this looks like one but is not valid JSON" : ""));
    }
    return out;
}

}  // namespace envbuilder::dockerfile
