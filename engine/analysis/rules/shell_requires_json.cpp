// ShellRequiresJson: SHELL only has an exec form. BuildKit rejects `SHELL /bin/bash -c` and an
// empty `SHELL []` (the reading is syntax/commands/shell_command.h, shared with the executor).
#include "analysis/rules/instruction_checks.h"

#include "syntax/commands/shell_command.h"
#include "syntax/dockerfile_parser.h"
#include "syntax/json_array.h"

namespace envbuilder::rules {

using namespace instruction_checks;

namespace {

void check(LintContext& ctx) {
    ctx.each_of_kind(InstructionKind::Shell, [&](const Instruction& ins) {
        if (ins.words.empty()) return;  // empty: ArgumentCount
        for (const auto& e : dockerfile::parse_shell_command(ins).errors) {
            if (e.kind != dockerfile::CommandError::Kind::arguments) continue;
            std::optional<Fix> fix;
            // Plain words convert mechanically; something that merely looks like JSON (single
            // quotes, a missing quote) is left to the user (SingleQuotedJson offers a fix for the
            // single-quote case).
            if (!ins.json && !ins.json_like) {
                std::string array = "[";
                for (size_t k = 0; k < ins.words.size(); ++k) {
                    if (k) array += ", ";
                    array +=
                        dockerfile::json_quote(dockerfile::unquote(ins.words[k].text, ctx.df.escape));
                }
                array += "]";
                fix = replace_fix("Convert to " + array, ins.arguments_range, array);
            }
            ctx.report(e.range, e.message, std::move(fix));
        }
    });
}

}  // namespace

const Rule shell_requires_json_rule = {
    {"ShellRequiresJson", "SHELL must be a non-empty JSON array", "", Severity::Error}, check};

}  // namespace envbuilder::rules
