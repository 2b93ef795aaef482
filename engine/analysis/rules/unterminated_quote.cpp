// UnterminatedQuote: a quote or `${` left open in text that BuildKit expands (ADD, COPY, ENV,
// EXPOSE, FROM, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR, ARG defaults and the --from, --chown,
// --platform and --mount values). BuildKit fails the instruction with "unexpected end of
// statement". Shell-form RUN/CMD/ENTRYPOINT are the shell's to parse and are not checked.
#include "analysis/rules/instruction_checks.h"

namespace envbuilder::rules {

using namespace instruction_checks;

namespace {

void check(LintContext& ctx) {
    each_expansion_error(ctx, [&](const ExpansionSyntaxError& e, Range where) {
        if (!e.unterminated) return;
        std::string message;
        if (e.message.starts_with("unterminated single"))
            message = "this single-quoted string is never closed: add the closing '";
        else if (e.message.starts_with("unterminated double"))
            message = "this double-quoted string is never closed: add the closing \"";
        else
            message = "'${' is never closed: add the closing '}'";
        ctx.report(where, std::move(message));
    });
}

}  // namespace

const Rule unterminated_quote_rule = {
    {"UnterminatedQuote", "A quote or ${ is not closed in text that BuildKit expands", "",
     Severity::Error},
    check};

}  // namespace envbuilder::rules
