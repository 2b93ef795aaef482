#pragma once
// The documentation the editor features show (hover, completion): instructions, flags, RUN --mount
// types and keys, parser directives. Written for this project in our own words; kept apart from
// the feature code so that wording changes do not touch logic.
#include <span>
#include <string_view>

#include "syntax/dockerfile_ast.h"

namespace envbuilder::language::docs {

struct InstructionDoc {
    std::string_view summary;   // one line, for completion details
    std::string_view snippet;   // LSP snippet for the arguments, e.g. "${1:src} ${2:dest}"
    std::string_view markdown;  // what it does, its forms and an example
};
// Every kind but Unknown has one; Unknown gets an empty doc.
const InstructionDoc& instruction(dockerfile::InstructionKind kind);

struct FlagDoc {
    dockerfile::InstructionKind kind;
    std::string_view name;  // without "--"
    std::string_view summary;
    std::string_view markdown;
};
// nullptr when the instruction has no such flag.
const FlagDoc* flag(dockerfile::InstructionKind kind, std::string_view name);
std::span<const FlagDoc> flags();

// A named value: a mount type or key, a network or security mode, a directive, a platform arg.
struct ValueDoc {
    std::string_view name;
    std::string_view summary;
    // Mount keys: the mount types the key applies to, space separated ("" for all). Unused
    // elsewhere.
    std::string_view applies_to = "";
};

std::span<const ValueDoc> mount_types();
std::span<const ValueDoc> mount_keys();  // the usual spellings; aliases are listed in the summary
std::span<const ValueDoc> mount_sharing_modes();
std::span<const ValueDoc> network_modes();
std::span<const ValueDoc> security_modes();
std::span<const ValueDoc> healthcheck_subcommands();
std::span<const ValueDoc> platform_args();  // BUILDPLATFORM, TARGETARCH, ...
std::span<const ValueDoc> common_platforms();

struct DirectiveDoc {
    std::string_view name;
    std::string_view summary;
    std::string_view markdown;
};
std::span<const DirectiveDoc> directives();
const DirectiveDoc* directive(std::string_view name);  // lower-case name

// Looks a name up in one of the tables above (exact match); nullptr when absent.
const ValueDoc* find(std::span<const ValueDoc> table, std::string_view name);

}  // namespace envbuilder::language::docs
