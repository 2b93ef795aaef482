// InvalidRunNetwork: RUN --network takes default, none or host (BuildKit's commands_runnetwork.go,
// compared exactly).
#include "analysis/rules/instruction_checks.h"

namespace envbuilder::rules {

namespace {

void check(LintContext& ctx) {
    static constexpr std::string_view allowed[] = {"default", "none", "host"};
    instruction_checks::check_run_flag_value(ctx, "network", allowed, "network mode");
}

}  // namespace

const Rule invalid_run_network_rule = {
    {"InvalidRunNetwork", "RUN --network is not default, none or host", "", Severity::Error},
    check};

}  // namespace envbuilder::rules
