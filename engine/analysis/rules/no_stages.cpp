// NoStages: a Dockerfile without any FROM (empty, comments only, or only ARGs) has nothing to
// build; BuildKit fails with "file with no instructions" or "dockerfile contains no stages to
// build". Reported at the start of the file, since there is no instruction to point at.
#include "analysis/rules/instruction_checks.h"

namespace envbuilder::rules {

namespace {

void check(LintContext& ctx) {
    if (!ctx.df.stages.empty()) return;
    const bool empty = ctx.df.instructions.empty();
    ctx.report(
        {{0, 0}, {0, 0}},
        empty ? "the Dockerfile has no instructions: it needs at least a FROM to build anything"
              : "the Dockerfile has no FROM instruction, so there is no build stage to build");
}

}  // namespace

const Rule no_stages_rule = {
    {"NoStages", "The Dockerfile has no FROM, so nothing can be built", "", Severity::Error},
    check};

}  // namespace envbuilder::rules
