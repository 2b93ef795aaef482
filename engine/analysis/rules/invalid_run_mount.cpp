// InvalidRunMount: RUN --mount values checked the way BuildKit's parseMount reads them (the
// reading itself is syntax/run_mount.cpp, shared with the executor). Values holding a variable
// are expanded by BuildKit later, so only their keys are checked.
#include "analysis/rules/instruction_checks.h"
#include "syntax/run_mount.h"

namespace envbuilder::rules {

using dockerfile::Instruction;
using dockerfile::InstructionKind;
using namespace instruction_checks;

namespace {

void check_mount(LintContext& ctx, const dockerfile::Flag& flag) {
    const std::string& value = *flag.value;
    // Offsets map onto the source only when the value was written without quotes/escapes.
    auto raw = single_line_text(ctx.df.source, flag.value_range);
    const bool exact = raw && *raw == value;
    for (const auto& problem : dockerfile::parse_run_mount(value, /*unexpanded=*/true).problems)
        ctx.report(
            exact ? sub_range(ctx.df.source, flag.value_range, value, problem.begin, problem.end)
                  : flag.value_range,
            problem.message);
}

void check(LintContext& ctx) {
    ctx.each_instruction(
        [&](const Instruction& ins, size_t) {
            if (ins.kind != InstructionKind::Run) return;
            for (const dockerfile::Flag& flag : ins.flags)
                if (flag.name == "mount" && flag.value && !flag.value->empty())
                    check_mount(ctx, flag);
        },
        /*with_triggers=*/true);
}

}  // namespace

const Rule invalid_run_mount_rule = {
    {"InvalidRunMount", "A RUN --mount value that BuildKit cannot parse", "", Severity::Error},
    check};

}  // namespace envbuilder::rules
