#pragma once
// STOPSIGNAL signal: read once for lint and the executor. The argument is expanded before it is
// read, so the command keeps it as written.
#include <string>

#include "syntax/commands/command_error.h"

namespace envbuilder::dockerfile {

struct StopsignalCommand {
    RawValue signal;  // the whole argument
};

Parsed<StopsignalCommand> parse_stopsignal_command(const Instruction& ins);

// What moby's signal.ParseSignal accepts on Linux: a signal number, or a name from its Linux
// signal table with or without the SIG prefix, in any case. Numbers must also be 1-64, the Linux
// signal range, which the runtime checks. `text` is the signal unquoted (lint) or expanded (the
// executor); errors are on `raw`'s range, with a "did you mean" suggestion.
Parsed<std::string> parse_stop_signal(const RawValue& raw, const std::string& text);

}  // namespace envbuilder::dockerfile
