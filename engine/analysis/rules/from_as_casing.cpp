#include "analysis/rules/rule.h"

namespace envbuilder::rules {
namespace {
// Only a FROM written all upper or all lower sets the expected casing of AS; a mixed-case FROM is
// ConsistentInstructionCasing's business.
void check(LintContext& ctx) {
    for (const auto& stage : ctx.df.stages) {
        if (!stage.as_keyword) continue;
        const auto& from = ctx.df.instructions[stage.from_index].keyword;
        const std::string& as = stage.as_keyword->text;
        bool from_upper = is_upper(from), from_lower = is_lower(from);
        if (from_upper == from_lower) continue;
        if ((from_upper && is_upper(as)) || (from_lower && is_lower(as))) continue;
        std::string wanted = from_upper ? "AS" : "as";
        ctx.report(stage.as_keyword->range,
                   "'" + as + "' and '" + from + "' keywords' casing do not match",
                   replace_fix("Write '" + wanted + "'", stage.as_keyword->range, wanted));
    }
}
}  // namespace
extern const Rule from_as_casing{{"FromAsCasing", "The 'as' keyword should match the case of the 'from' keyword",
                                  ENVBUILDER_BUILD_CHECK_URL("from-as-casing"), Severity::Warning, true},
                                 check};
}  // namespace envbuilder::rules
