#include "analysis/rules/rule.h"

namespace envbuilder::rules {
namespace {
void check(LintContext& ctx) {
    const SourceText& src = ctx.df.source;
    ctx.each_instruction([&](const dockerfile::Instruction& ins, size_t) {
        for (uint32_t line : ins.empty_continuation_lines) {
            Range r{{line, 0}, src.from_bytes(line, src.line(line).size())};
            ctx.report(r, "Empty continuation line",
                       replace_fix("Remove the empty line", {{line, 0}, {line + 1, 0}}, ""));
        }
    });
}
}  // namespace
extern const Rule no_empty_continuation{
    {"NoEmptyContinuation", "Empty continuation lines will become errors in a future release",
     ENVBUILDER_BUILD_CHECK_URL("no-empty-continuation"), Severity::Warning, true},
    check};
}  // namespace envbuilder::rules
