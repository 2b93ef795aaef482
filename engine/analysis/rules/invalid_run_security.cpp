// InvalidRunSecurity: RUN --security takes sandbox or insecure (BuildKit's
// commands_runsecurity.go, compared exactly).
#include "analysis/rules/instruction_checks.h"

namespace envbuilder::rules {

namespace {

void check(LintContext& ctx) {
    static constexpr std::string_view allowed[] = {"sandbox", "insecure"};
    instruction_checks::check_run_flag_value(ctx, "security", allowed, "security mode");
}

}  // namespace

const Rule invalid_run_security_rule = {
    {"InvalidRunSecurity", "RUN --security is not sandbox or insecure", "", Severity::Error},
    check};

}  // namespace envbuilder::rules
