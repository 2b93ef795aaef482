// InvalidRunSecurity: RUN --security takes sandbox or insecure (BuildKit's
// commands_runsecurity.go, compared exactly; the reading is syntax/commands/run_command.h, shared
// with the executor).
#include "analysis/rules/instruction_checks.h"

namespace envbuilder::rules {

namespace {

void check(LintContext& ctx) {
    instruction_checks::report_run_flag_errors(ctx, "security");
}

}  // namespace

const Rule invalid_run_security_rule = {
    {"InvalidRunSecurity", "RUN --security is not sandbox or insecure", "", Severity::Error},
    check};

}  // namespace envbuilder::rules
