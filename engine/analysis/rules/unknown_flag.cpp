// UnknownFlag: a flag the instruction does not declare. BuildKit fails the build on these (its
// flag parser runs for every instruction), so a typo such as --chwon is caught here with the
// closest accepted name as a fix. STOPSIGNAL is the one instruction whose flags BuildKit never
// parses (they are dropped without a word); a flag there has no effect, so it is reported too.
#include "analysis/rules/instruction_checks.h"

#include <vector>

namespace envbuilder::rules {

using dockerfile::Instruction;
using dockerfile::InstructionKind;
using namespace instruction_checks;

namespace {

constexpr InstructionKind kWithFlags[] = {InstructionKind::From, InstructionKind::Run,
                                          InstructionKind::Copy, InstructionKind::Add,
                                          InstructionKind::Healthcheck};

// "--checksum is an ADD flag": when the flag exists, just not on this instruction.
std::string owner_of(std::string_view flag, InstructionKind except) {
    std::string owners;
    for (InstructionKind k : kWithFlags) {
        if (k == except || !find_flag(k, flag)) continue;
        if (!owners.empty()) owners += "/";
        owners += keyword_name(k);
    }
    return owners;
}

void check_instruction(LintContext& ctx, const Instruction& ins) {
    if (!flags_are_parsed(ins) || ins.flags.empty()) return;
    for (const dockerfile::Flag& flag : ins.flags) {
        if (find_flag(ins.kind, flag.name)) continue;
        // Only now, on the rare unknown flag, build the texts for the message.
        const std::string name = keyword_name(ins.kind);
        std::vector<std::string_view> candidates;
        std::string accepted;
        for (const FlagSpec& spec : accepted_flags(ins.kind)) {
            candidates.push_back(spec.name);
            accepted += (accepted.empty() ? "--" : ", --") + std::string(spec.name);
        }
        if (flag.name.empty()) {
            ctx.report(flag.name_range, "'--' must be followed by a flag name");
            continue;
        }
        std::string message = "unknown flag --" + flag.name + " for " + name;
        std::optional<Fix> fix;
        if (auto near = closest_match(flag.name, candidates)) {
            message += " (did you mean --" + std::string(*near) + "?)";
            fix = replace_fix("Change to --" + std::string(*near), flag.name_range,
                              "--" + std::string(*near));
        } else if (std::string owners = owner_of(flag.name, ins.kind); !owners.empty()) {
            message += ": --" + flag.name + " belongs to " + owners;
        }
        if (accepted.empty())
            message += "; " + name + " takes no flags";
        else if (!fix)
            message += "; " + name + " accepts " + accepted;
        ctx.report(flag.name_range, std::move(message), std::move(fix));
    }
}

void check(LintContext& ctx) {
    ctx.each_instruction([&](const Instruction& ins, size_t) { check_instruction(ctx, ins); },
                         /*with_triggers=*/true);
}

}  // namespace

const Rule unknown_flag_rule = {
    {"UnknownFlag", "A flag the instruction does not accept", "", Severity::Error}, check};

}  // namespace envbuilder::rules
