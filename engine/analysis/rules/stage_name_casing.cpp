#include "analysis/rules/rule.h"

namespace envbuilder::rules {
namespace {
void check(LintContext& ctx) {
    for (const auto& stage : ctx.df.stages) {
        if (!stage.name || is_lower(stage.name->text)) continue;
        ctx.report(stage.name->range, "Stage name '" + stage.name->text + "' should be lowercase",
                   replace_fix("Lowercase the stage name", stage.name->range, lower(stage.name->text)));
    }
}
}  // namespace
extern const Rule stage_name_casing{{"StageNameCasing", "Stage names should be lowercase",
                                     ENVBUILDER_BUILD_CHECK_URL("stage-name-casing"), Severity::Warning, true},
                                    check};
}  // namespace envbuilder::rules
