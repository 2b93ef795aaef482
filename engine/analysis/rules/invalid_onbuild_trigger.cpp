// InvalidOnbuildTrigger: BuildKit refuses ONBUILD ONBUILD, ONBUILD FROM and ONBUILD MAINTAINER
// when it parses the instruction, even if the trigger never runs.
#include "analysis/rules/instruction_checks.h"

namespace envbuilder::rules {

using dockerfile::Instruction;
using dockerfile::InstructionKind;

namespace {

void check(LintContext& ctx) {
    for (const Instruction& ins : ctx.df.instructions) {
        if (ins.kind != InstructionKind::Onbuild || !ins.trigger) continue;
        const Instruction& t = *ins.trigger;
        switch (t.kind) {
            case InstructionKind::Onbuild:
                ctx.report(t.keyword_range, "ONBUILD cannot trigger another ONBUILD");
                break;
            case InstructionKind::From:
                ctx.report(t.keyword_range,
                           "FROM cannot be an ONBUILD trigger: a child image cannot start a new "
                           "stage from its base");
                break;
            case InstructionKind::Maintainer:
                ctx.report(t.keyword_range,
                           "MAINTAINER cannot be an ONBUILD trigger (use LABEL "
                           "org.opencontainers.image.authors=...)");
                break;
            default:
                break;
        }
    }
}

}  // namespace

const Rule invalid_onbuild_trigger_rule = {
    {"InvalidOnbuildTrigger", "ONBUILD triggers cannot be ONBUILD, FROM or MAINTAINER", "",
     Severity::Error},
    check};

}  // namespace envbuilder::rules
