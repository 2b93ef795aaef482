// UnsupportedModifier: a `${...}` form BuildKit's expansion does not know (`${V:=x}`, `${#V}`,
// `${V:1:2}`, `${}`), in text BuildKit expands. It supports :- - :+ + :? ? and, since
// Dockerfile 1.7, # ## % %% / //.
#include "analysis/rules/instruction_checks.h"

namespace envbuilder::rules {

using namespace instruction_checks;

namespace {

void check(LintContext& ctx) {
    each_expansion_error(ctx, [&](const ExpansionSyntaxError& e, Range where) {
        if (e.unterminated) return;
        ctx.report(where,
                   e.message +
                       "; supported forms are ${V}, ${V:-default}, ${V:+alternative}, ${V:?error}, "
                       "${V#prefix}, ${V%suffix} and ${V/pattern/replacement}");
    });
}

}  // namespace

const Rule unsupported_modifier_rule = {
    {"UnsupportedModifier", "A ${...} form that BuildKit's variable expansion does not support", "",
     Severity::Error},
    check};

}  // namespace envbuilder::rules
