#include "analysis/rules/rule.h"

namespace envbuilder::rules {
namespace {
using dockerfile::InstructionKind;
// Only the last CMD, ENTRYPOINT or HEALTHCHECK of a stage takes effect; the earlier ones are
// reported where they stand, since those are the lines that do nothing.
void check(LintContext& ctx) {
    for (const auto& stage : ctx.df.stages) {
        for (InstructionKind kind : {InstructionKind::Cmd, InstructionKind::Entrypoint, InstructionKind::Healthcheck}) {
            const dockerfile::Instruction* previous = nullptr;
            for (size_t i : stage.instructions) {
                const auto& ins = ctx.df.instructions[i];
                if (ins.kind != kind) continue;
                if (previous) {
                    ctx.report(previous->keyword_range,
                               "Multiple " + previous->keyword +
                                   " instructions should not be used in the same stage because only "
                                   "the last one will be used (this one is overridden on line " +
                                   std::to_string(ins.range.start.line + 1) + ")");
                }
                previous = &ins;
            }
        }
    }
}
}  // namespace
extern const Rule multiple_instructions_disallowed{
    {"MultipleInstructionsDisallowed", "Only the last CMD, ENTRYPOINT or HEALTHCHECK of a stage takes effect",
     ENVBUILDER_BUILD_CHECK_URL("multiple-instructions-disallowed"), Severity::Warning, true},
    check};
}  // namespace envbuilder::rules
