// InvalidRunSecurity: RUN --security takes sandbox or insecure (BuildKit's
// commands_runsecurity.go, compared exactly).
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
                if (flag.name != "security" || !flag.value || flag.value->empty()) continue;
                const std::string& v = *flag.value;
                if (v == "sandbox" || v == "insecure" || has_variable(v)) continue;
                constexpr std::string_view modes[] = {"sandbox", "insecure"};
                std::string message = "unknown security mode '" + v + "' for RUN --security";
                std::optional<Fix> fix;
                if (auto near = closest_match(lower(v), modes)) {
                    message += " (did you mean " + std::string(*near) + "?)";
                    fix = replace_fix("Change to " + std::string(*near), flag.value_range,
                                      std::string(*near));
                }
                ctx.report(flag.value_range, message + "; expected sandbox or insecure",
                           std::move(fix));
            }
        },
        /*with_triggers=*/true);
}

}  // namespace

const Rule invalid_run_security_rule = {
    {"InvalidRunSecurity", "RUN --security is not sandbox or insecure", "", Severity::Error},
    check};

}  // namespace envbuilder::rules
