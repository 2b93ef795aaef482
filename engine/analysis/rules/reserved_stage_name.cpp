#include "analysis/rules/rule.h"

namespace envbuilder::rules {
namespace {
void check(LintContext& ctx) {
    for (const auto& stage : ctx.df.stages) {
        if (!stage.name) continue;
        std::string name = lower(stage.name->text);
        if (name == "scratch" || name == "context")
            ctx.report(stage.name->range,
                       "Stage name should not use the same name as reserved stage \"" + name + "\"");
    }
}
}  // namespace
extern const Rule reserved_stage_name{{"ReservedStageName", "Reserved words should not be used as stage names",
                                       ENVBUILDER_BUILD_CHECK_URL("reserved-stage-name"), Severity::Warning, true},
                                      check};
}  // namespace envbuilder::rules
