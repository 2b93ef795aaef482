#include "executor/instructions/instructions.h"

namespace envbuilder::executor {

using dockerfile::InstructionKind;

InstructionHandler handler_for(InstructionKind kind) {
    struct Entry {
        InstructionKind kind;
        InstructionHandler handler;
    };
    static constexpr Entry kHandlers[] = {
        {InstructionKind::Run, instructions::run},
        {InstructionKind::Copy, instructions::copy},
        {InstructionKind::Add, instructions::add},
        {InstructionKind::Workdir, instructions::workdir},
        {InstructionKind::Env, instructions::env},
        {InstructionKind::Arg, instructions::arg},
        {InstructionKind::Label, instructions::label},
        {InstructionKind::User, instructions::user},
        {InstructionKind::Expose, instructions::expose},
        {InstructionKind::Volume, instructions::volume},
        {InstructionKind::Cmd, instructions::cmd},
        {InstructionKind::Entrypoint, instructions::entrypoint},
        {InstructionKind::Shell, instructions::shell},
        {InstructionKind::Stopsignal, instructions::stopsignal},
        {InstructionKind::Healthcheck, instructions::healthcheck},
        {InstructionKind::Maintainer, instructions::maintainer},
        {InstructionKind::Onbuild, instructions::onbuild},
    };
    for (const Entry& entry : kHandlers)
        if (entry.kind == kind) return entry.handler;
    return nullptr;
}

}  // namespace envbuilder::executor
