#include "analysis/rules/rule.h"
#include "syntax/dockerfile_parser.h"
#include "syntax/json_array.h"

namespace envbuilder::rules {
namespace {
void check(LintContext& ctx) {
    ctx.each_instruction([&](const dockerfile::Instruction& ins, size_t) {
        if (ins.kind != dockerfile::InstructionKind::Maintainer) return;
        std::optional<Fix> fix;
        if (!ins.arguments.empty() && ins.range.start.line == ins.range.end.line) {
            std::string author = dockerfile::unquote(ins.arguments, ctx.df.escape);
            fix = replace_fix("Replace with the org.opencontainers.image.authors label", ins.range,
                              (is_lower(ins.keyword) ? "label" : "LABEL") +
                                  std::string(" org.opencontainers.image.authors=") +
                                  dockerfile::json_quote(author));
        }
        ctx.report(ins.keyword_range, "Maintainer instruction is deprecated in favor of using label", fix);
    }, true);
}
}  // namespace
extern const Rule maintainer_deprecated{
    {"MaintainerDeprecated", "MAINTAINER is deprecated; record the author in a label instead",
     ENVBUILDER_BUILD_CHECK_URL("maintainer-deprecated"), Severity::Warning, true},
    check};
}  // namespace envbuilder::rules
