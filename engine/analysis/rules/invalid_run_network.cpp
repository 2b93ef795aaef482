// InvalidRunNetwork: RUN --network takes default, none or host (BuildKit's commands_runnetwork.go,
// compared exactly; the reading is syntax/commands/run_command.h, shared with the
// executor).
#include "analysis/rules/instruction_checks.h"

namespace envbuilder::rules {

namespace {

void check(LintContext& ctx) {
    instruction_checks::report_run_flag_errors(ctx, "network");
}

}  // namespace

const Rule invalid_run_network_rule = {
    {"InvalidRunNetwork", "RUN --network is not default, none or host", "", Severity::Error},
    check};

}  // namespace envbuilder::rules
