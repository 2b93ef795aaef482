// InvalidStopSignal: STOPSIGNAL takes what moby's signal.ParseSignal accepts on Linux: a signal
// number, or a name from its Linux signal table with or without the SIG prefix, in any case
// (ParseSignal upper-cases the name before the lookup). We also require numbers to be 1-64, the
// Linux signal range, which ParseSignal itself does not check but the runtime does. The reading is
// syntax/commands/stopsignal_command.h, shared with the executor.
#include "analysis/rules/instruction_checks.h"

#include "syntax/commands/stopsignal_command.h"
#include "syntax/dockerfile_parser.h"

namespace envbuilder::rules {

using dockerfile::Instruction;
using dockerfile::InstructionKind;
using namespace instruction_checks;

namespace {

void check(LintContext& ctx) {
    ctx.each_instruction(
        [&](const Instruction& ins, size_t) {
            // Zero or several words are ArgumentCount's; a variable is resolved at build time.
            if (ins.kind != InstructionKind::Stopsignal || ins.words.size() != 1) return;
            const auto& word = ins.words[0];
            if (has_variable(word.text)) return;
            const std::string value = dockerfile::unquote(word.text, ctx.df.escape);
            for (const auto& e :
                 dockerfile::parse_stop_signal({word.text, word.range}, value).errors) {
                std::optional<Fix> fix;
                if (e.suggestion)
                    fix = replace_fix("Change to " + *e.suggestion, word.range, *e.suggestion);
                ctx.report(word.range, e.message, std::move(fix));
            }
        },
        /*with_triggers=*/true);
}

}  // namespace

const Rule invalid_stop_signal_rule = {
    {"InvalidStopSignal", "STOPSIGNAL names no known signal", "", Severity::Error}, check};

}  // namespace envbuilder::rules
