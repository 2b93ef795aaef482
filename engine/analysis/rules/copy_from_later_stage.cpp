#include "analysis/rules/rule.h"
#include "analysis/stage_model.h"

namespace envbuilder::rules {
namespace {
void check(LintContext& ctx) {
    const StageModel& model = ctx.stage_model();
    for (size_t s = 0; s < model.stages().size(); ++s) {
        for (const auto& dep : model.stages()[s].dependencies) {
            if (!dep.stage || *dep.stage <= s || model.depends_on(*dep.stage, s)) continue;
            const auto& current = ctx.df.stages[s];
            std::string here = current.name ? current.name->text : std::to_string(s);
            ctx.report(dep.range, "cannot copy from stage '" + dep.name + "': it is defined after the current stage '" +
                                      here + "' (line " +
                                      std::to_string(ctx.df.instructions[ctx.df.stages[*dep.stage].from_index].range.start.line + 1) +
                                      "); stages can only read from stages above them");
        }
    }
}
}  // namespace
extern const Rule copy_from_later_stage{{"CopyFromLaterStage", "A stage can only read from stages defined before it", "",
                                         Severity::Error},
                                        check};
}  // namespace envbuilder::rules
