// InvalidRunNetwork: RUN --network takes default, none or host (BuildKit's commands_runnetwork.go,
// compared exactly).
#include "analysis/rules/instruction_checks.h"

namespace envbuilder::rules {

using dockerfile::Instruction;
using dockerfile::InstructionKind;
using namespace instruction_checks;

namespace {

void check(LintContext& ctx) {
    ctx.each_instruction(
        [&](const Instruction& ins, size_t) {
            if (ins.kind != InstructionKind::Run) return;
            for (const dockerfile::Flag& flag : ins.flags) {
                if (flag.name != "network" || !flag.value || flag.value->empty()) continue;
                const std::string& v = *flag.value;
                if (v == "default" || v == "none" || v == "host" || has_variable(v)) continue;
                constexpr std::string_view modes[] = {"default", "none", "host"};
                std::string message = "unknown network mode '" + v + "' for RUN --network";
                std::optional<Fix> fix;
                if (auto near = closest_match(lower(v), modes)) {
                    message += " (did you mean " + std::string(*near) + "?)";
                    fix = replace_fix("Change to " + std::string(*near), flag.value_range,
                                      std::string(*near));
                }
                ctx.report(flag.value_range, message + "; expected default, none or host",
                           std::move(fix));
            }
        },
        /*with_triggers=*/true);
}

}  // namespace

const Rule invalid_run_network_rule = {
    {"InvalidRunNetwork", "RUN --network is not default, none or host", "", Severity::Error},
    check};

}  // namespace envbuilder::rules
