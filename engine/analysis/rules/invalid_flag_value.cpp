// InvalidFlagValue: a known flag whose value BuildKit rejects: booleans, HEALTHCHECK durations
// and retries, --chmod, FROM --platform, ADD --checksum and the shape of COPY --from. The reading
// is the typed instructions' (syntax/commands/), shared with the executor: values with a variable
// are left alone where BuildKit expands them (chmod, platform, checksum, from); the HEALTHCHECK
// and boolean flags are never expanded, so a `$` there is just wrong.
#include "analysis/rules/instruction_checks.h"
#include "syntax/commands/commands.h"

namespace envbuilder::rules {

using dockerfile::Instruction;
using dockerfile::InstructionKind;
using namespace instruction_checks;

namespace {

std::vector<dockerfile::CommandError> errors_of(const Instruction& ins) {
    switch (ins.kind) {
        case InstructionKind::Copy:
        case InstructionKind::Add:
            return dockerfile::parse_copy_command(ins).errors;
        case InstructionKind::Healthcheck:
            return dockerfile::parse_healthcheck_command(ins).errors;
        case InstructionKind::From:
            return dockerfile::parse_from_command(ins).errors;
        default:
            return {};
    }
}

void check_instruction(LintContext& ctx, const Instruction& ins) {
    if (!flags_are_parsed(ins)) return;
    for (auto& e : errors_of(ins))
        if (e.kind == dockerfile::CommandError::Kind::invalid_value)
            ctx.report(e.range, std::move(e.message));
}

void check(LintContext& ctx) {
    ctx.each_instruction([&](const Instruction& ins, size_t) { check_instruction(ctx, ins); },
                         /*with_triggers=*/true);
}

}  // namespace

const Rule invalid_flag_value_rule = {
    {"InvalidFlagValue", "A flag's value is not of the form the flag expects", "", Severity::Error},
    check};

}  // namespace envbuilder::rules
