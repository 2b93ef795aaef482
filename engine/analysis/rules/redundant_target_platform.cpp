#include "analysis/rules/rule.h"

namespace envbuilder::rules {
namespace {
void check(LintContext& ctx) {
    for (const auto& stage : ctx.df.stages) {
        const auto* platform = ctx.df.instructions[stage.from_index].flag("platform");
        if (!platform || !platform->value) continue;
        const std::string& v = *platform->value;
        if (v != "$TARGETPLATFORM" && v != "${TARGETPLATFORM}") continue;
        ctx.report(platform->range,
                   "Setting platform to predefined " + v +
                       " in FROM is redundant as this is the default behavior",
                   Fix{"Remove the --platform flag", {{{platform->range.start, ctx.df.instructions[stage.from_index].words.empty()
                                                                                  ? platform->range.end
                                                                                  : ctx.df.instructions[stage.from_index].words[0].range.start},
                                                       ""}}});
    }
}
}  // namespace
extern const Rule redundant_target_platform{
    {"RedundantTargetPlatform", "FROM --platform=$TARGETPLATFORM repeats the default",
     ENVBUILDER_BUILD_CHECK_URL("redundant-target-platform"), Severity::Warning, true},
    check};
}  // namespace envbuilder::rules
