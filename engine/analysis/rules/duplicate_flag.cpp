// DuplicateFlag: BuildKit accepts --mount, --exclude and --device any number of times; every
// other flag once, and a second one fails the build.
#include "analysis/rules/instruction_checks.h"

#include <algorithm>
#include <array>

namespace envbuilder::rules {

using dockerfile::Instruction;
using namespace instruction_checks;

namespace {

void check_instruction(LintContext& ctx, const Instruction& ins) {
    if (!flags_are_parsed(ins) || ins.flags.size() < 2) return;
    // Specs are static and an instruction has at most a handful, so their addresses in a small
    // fixed array identify the flags seen.
    std::array<const FlagSpec*, 8> seen{};
    size_t count = 0;
    for (const dockerfile::Flag& flag : ins.flags) {
        const FlagSpec* spec = find_flag(ins.kind, flag.name);
        if (!spec || spec->type == FlagType::Strings) continue;  // unknown: UnknownFlag's job
        if (std::find(seen.begin(), seen.begin() + count, spec) == seen.begin() + count) {
            if (count < seen.size()) seen[count++] = spec;
        } else {
            ctx.report(flag.range, "--" + flag.name + " is given more than once; " +
                                       keyword_name(ins.kind) + " accepts it only once");
        }
    }
}

void check(LintContext& ctx) {
    ctx.each_instruction([&](const Instruction& ins, size_t) { check_instruction(ctx, ins); },
                         /*with_triggers=*/true);
}

}  // namespace

const Rule duplicate_flag_rule = {
    {"DuplicateFlag", "A flag that may appear once is repeated", "", Severity::Error}, check};

}  // namespace envbuilder::rules
