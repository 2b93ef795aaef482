#pragma once
// Every flag each instruction takes, declared once: lint's UnknownFlag/DuplicateFlag/
// MissingFlagValue, completion and the executor all read this table (BuildKit's
// instructions/parse.go and the RUN hooks in commands_run*.go).
#include <span>
#include <string_view>

#include "syntax/dockerfile_ast.h"

namespace envbuilder::dockerfile {

enum class FlagType {
    String,   // --name=value, once
    Strings,  // --name=value, may repeat (BuildKit's "strings" flags)
    Bool,     // --name, --name=true, --name=false
};

struct FlagSpec {
    std::string_view name;
    FlagType type;
};

// The flags BuildKit's instruction parser declares for `kind`; empty for the instructions that
// take none.
std::span<const FlagSpec> accepted_flags(InstructionKind kind);
const FlagSpec* find_flag(InstructionKind kind, std::string_view name);

}  // namespace envbuilder::dockerfile
