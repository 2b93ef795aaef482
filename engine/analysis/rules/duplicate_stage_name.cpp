#include <map>

#include "analysis/rules/rule.h"

namespace envbuilder::rules {
namespace {
void check(LintContext& ctx) {
    std::map<std::string, size_t> seen;
    for (size_t s = 0; s < ctx.df.stages.size(); ++s) {
        const auto& name = ctx.df.stages[s].name;
        if (!name || name->text.empty()) continue;
        auto [it, inserted] = seen.emplace(lower(name->text), s);
        if (inserted) continue;
        ctx.report(name->range, "Duplicate stage name \"" + lower(name->text) +
                                    "\", stage names should be unique (first declared on line " +
                                    std::to_string(ctx.df.stages[it->second].name->range.start.line + 1) + ")");
    }
}
}  // namespace
extern const Rule duplicate_stage_name{{"DuplicateStageName", "Stage names should be unique",
                                        ENVBUILDER_BUILD_CHECK_URL("duplicate-stage-name"), Severity::Warning, true},
                                       check};
}  // namespace envbuilder::rules
