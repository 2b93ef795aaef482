#include "syntax/instruction_flags.h"

#include <array>

namespace envbuilder::dockerfile {

namespace {

// BuildKit's instructions/parse.go and the RUN hooks (commands_run*.go). STOPSIGNAL, like the
// other instructions without an entry, declares no flags.
constexpr std::array kFromFlags = {FlagSpec{"platform", FlagType::String}};
constexpr std::array kRunFlags = {
    FlagSpec{"mount", FlagType::Strings}, FlagSpec{"network", FlagType::String},
    FlagSpec{"security", FlagType::String}, FlagSpec{"device", FlagType::Strings}};
constexpr std::array kCopyFlags = {
    FlagSpec{"from", FlagType::String},  FlagSpec{"chown", FlagType::String},
    FlagSpec{"chmod", FlagType::String}, FlagSpec{"link", FlagType::Bool},
    FlagSpec{"parents", FlagType::Bool}, FlagSpec{"exclude", FlagType::Strings}};
constexpr std::array kAddFlags = {
    FlagSpec{"chown", FlagType::String},    FlagSpec{"chmod", FlagType::String},
    FlagSpec{"link", FlagType::Bool},       FlagSpec{"keep-git-dir", FlagType::Bool},
    FlagSpec{"checksum", FlagType::String}, FlagSpec{"exclude", FlagType::Strings},
    FlagSpec{"unpack", FlagType::Bool}};
constexpr std::array kHealthcheckFlags = {
    FlagSpec{"interval", FlagType::String}, FlagSpec{"timeout", FlagType::String},
    FlagSpec{"start-period", FlagType::String}, FlagSpec{"start-interval", FlagType::String},
    FlagSpec{"retries", FlagType::String}};

}  // namespace

std::span<const FlagSpec> accepted_flags(InstructionKind kind) {
    switch (kind) {
        case InstructionKind::From:
            return kFromFlags;
        case InstructionKind::Run:
            return kRunFlags;
        case InstructionKind::Copy:
            return kCopyFlags;
        case InstructionKind::Add:
            return kAddFlags;
        case InstructionKind::Healthcheck:
            return kHealthcheckFlags;
        default:
            return {};
    }
}

const FlagSpec* find_flag(InstructionKind kind, std::string_view name) {
    for (const FlagSpec& spec : accepted_flags(kind))
        if (spec.name == name) return &spec;
    return nullptr;
}

}  // namespace envbuilder::dockerfile
