// InstructionBeforeFrom: only ARG may come before the first FROM (BuildKit: "no build stage in
// current context"). Reported once, on the first offender, as BuildKit stops there.
#include "analysis/rules/instruction_checks.h"

namespace envbuilder::rules {

using dockerfile::InstructionKind;

namespace {

void check(LintContext& ctx) {
    for (size_t index : ctx.df.global_instructions) {
        const auto& ins = ctx.df.instructions[index];
        if (ins.kind == InstructionKind::Arg || ins.kind == InstructionKind::Unknown) continue;
        ctx.report(ins.keyword_range,
                   std::string(keyword_name(ins.kind)) +
                       " comes before any FROM: there is no build stage yet, and "
                       "only ARG may precede the first FROM");
        return;
    }
}

}  // namespace

const Rule instruction_before_from_rule = {
    {"InstructionBeforeFrom", "An instruction other than ARG before the first FROM", "",
     Severity::Error},
    check};

}  // namespace envbuilder::rules
