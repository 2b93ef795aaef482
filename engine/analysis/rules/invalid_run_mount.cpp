// InvalidRunMount: RUN --mount values checked the way BuildKit's parseMount reads them (the
// reading itself is syntax/commands/run_command.h, shared with the executor). Values holding a
// variable are expanded by BuildKit later, so only their keys are checked.
#include "analysis/rules/instruction_checks.h"
#include "syntax/commands/run_command.h"

namespace envbuilder::rules {

using dockerfile::Instruction;
using dockerfile::InstructionKind;
using namespace instruction_checks;

namespace {

// Errors point at the part of the value they are about; offsets map onto the source only when
// the value was written without quotes or escapes.
void check_mount(LintContext& ctx, const dockerfile::RawValue& raw) {
    auto source = single_line_text(ctx.df.source, raw.range);
    const bool exact = source && *source == raw.text;
    for (const auto& e : dockerfile::parse_run_mount_value(raw).errors)
        ctx.report(
            exact ? sub_range(ctx.df.source, raw.range, raw.text, e.begin, e.end) : raw.range,
            e.message);
}

void check(LintContext& ctx) {
    ctx.each_instruction(
        [&](const Instruction& ins, size_t) {
            if (ins.kind != InstructionKind::Run) return;
            for (const auto& mount : dockerfile::parse_run_command(ins).value.mounts)
                check_mount(ctx, mount);
        },
        /*with_triggers=*/true);
}

}  // namespace

const Rule invalid_run_mount_rule = {
    {"InvalidRunMount", "A RUN --mount value that BuildKit cannot parse", "", Severity::Error},
    check};

}  // namespace envbuilder::rules
