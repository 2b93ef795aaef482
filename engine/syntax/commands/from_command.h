#pragma once
// FROM [--platform=P] image [AS name]: read once from the syntax tree for lint and the executor.
// The image and --platform are expanded with the global ARGs before they are read.
#include <optional>

#include "syntax/commands/command_error.h"

namespace envbuilder::dockerfile {

struct FromCommand {
    std::optional<RawValue> platform;
    RawValue image;                  // empty text when FROM has no argument
    std::optional<Word> stage_name;  // after AS
};

Parsed<FromCommand> parse_from_command(const Instruction& ins);

// --platform in containerd's platforms.Parse shape: os[/arch[/variant]], each part
// [A-Za-z0-9_.-]+ (the OS may carry a "(version)" suffix); a lone part must be a known OS or
// architecture. The value is the text read (normalizing it is the registry layer's business).
Parsed<std::string> parse_platform_value(const RawValue& raw,
                                         const std::string* expanded = nullptr);

}  // namespace envbuilder::dockerfile
