#include "syntax/dockerfile_ast.h"

#include <strings.h>

#include <array>

namespace envbuilder::dockerfile {

namespace {
constexpr std::array<const char*, static_cast<size_t>(InstructionKind::Unknown)> kKeywords = {
    "FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT",
    "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL"};

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}
}  // namespace

const char* keyword_name(InstructionKind kind) {
    auto i = static_cast<size_t>(kind);
    return i < kKeywords.size() ? kKeywords[i] : "";
}

InstructionKind instruction_kind(std::string_view keyword) {
    for (size_t i = 0; i < kKeywords.size(); ++i)
        if (iequals(keyword, kKeywords[i])) return static_cast<InstructionKind>(i);
    return InstructionKind::Unknown;
}

const Flag* Instruction::flag(std::string_view name) const {
    for (const Flag& f : flags)
        if (f.name == name) return &f;
    return nullptr;
}

const Directive* Dockerfile::directive(std::string_view name) const {
    for (const Directive& d : directives)
        if (d.name == name) return &d;
    return nullptr;
}

std::optional<size_t> Dockerfile::find_stage(std::string_view name) const {
    for (size_t i = 0; i < stages.size(); ++i)
        if (stages[i].name && iequals(stages[i].name->text, name)) return i;
    return std::nullopt;
}

std::optional<size_t> Dockerfile::stage_of(size_t index) const {
    std::optional<size_t> found;
    for (size_t i = 0; i < stages.size() && stages[i].from_index <= index; ++i) found = i;
    return found;
}

}  // namespace envbuilder::dockerfile
