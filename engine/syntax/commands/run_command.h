#pragma once
// RUN [--mount=...] [--network=...] [--security=...] [--device=...] command: read once from the
// syntax tree for lint and the executor alike.
#include <vector>

#include "syntax/commands/command_error.h"
#include "syntax/run_mount.h"

namespace envbuilder::dockerfile {

enum class RunNetwork { default_, none, host };
enum class RunSecurity { sandbox, insecure };

struct RunCommand {
    std::vector<RawValue> mounts;  // expanded before reading: parse_run_mount_value
    std::vector<RawValue> devices;
    RunNetwork network = RunNetwork::default_;  // not expanded (BuildKit reads it as written)
    RunSecurity security = RunSecurity::sandbox;
    bool exec_form = false;
    std::vector<std::string> exec;  // the exec form's arguments, decoded
    std::string shell;              // the shell form's text, as written
    std::vector<Heredoc> heredocs;
    // `RUN <<EOF` alone: the here-document's body is the script (with more around it, the shell
    // gets the whole text and reads the here-documents itself).
    bool heredoc_script = false;
};

// Flags against the table, --network and --security (compared exactly, as BuildKit does, with a
// "did you mean" suggestion). A value holding a variable is an error here too: BuildKit does not
// expand these two; lint leaves such values to the builder.
Parsed<RunCommand> parse_run_command(const Instruction& ins);

// One --mount value through syntax/run_mount: the expanded text when `expanded` is given;
// otherwise the text as written, whose field values holding a variable are not checked. Errors
// point at the part of the value they are about.
Parsed<RunMount> parse_run_mount_value(const RawValue& raw, const std::string* expanded = nullptr);

}  // namespace envbuilder::dockerfile
