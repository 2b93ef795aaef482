#include "analysis/rules/rule.h"
#include "analysis/stage_model.h"

namespace envbuilder::rules {
namespace {
// BuildKit refuses a stage that reads from itself and any cycle among stages ("circular
// dependency detected"). A stage reading from a later one is refused too, by the
// CopyFromLaterStage rule, which leaves cycles to this one so each problem is said once.
void check(LintContext& ctx) {
    const StageModel& model = ctx.stage_model();
    const auto& stages = model.stages();
    for (size_t s = 0; s < stages.size(); ++s) {
        for (const auto& dep : stages[s].dependencies) {
            if (!dep.stage) continue;
            if (*dep.stage == s) {
                ctx.report(dep.range, "stage '" + dep.name + "' reads from itself: a stage cannot use its own result");
                continue;
            }
            // Said once per cycle: at the reference that points forward, which is what closes it.
            bool cycle = *dep.stage > s && model.depends_on(*dep.stage, s);
            if (cycle)
                ctx.report(dep.range, "circular dependency between stages: '" + dep.name +
                                          "' depends, directly or not, on the stage that reads from it");
        }
    }
}
}  // namespace
extern const Rule circular_stage_reference{
    {"CircularStageReference", "Stages must not depend on themselves, directly or through other stages", "",
     Severity::Error},
    check};
}  // namespace envbuilder::rules
