#include "analysis/rules/rule.h"
#include "analysis/stage_model.h"

namespace envbuilder::rules {
namespace {
void check(LintContext& ctx) {
    ctx.each_of_kind(dockerfile::InstructionKind::Expose, [&](const dockerfile::Instruction& ins) {
        for (const auto& w : ins.words) {
            size_t slash = w.text.find('/');
            if (slash == std::string::npos || w.text.find('$') != std::string::npos) continue;
            std::string proto = w.text.substr(slash + 1);
            if (is_lower(proto)) continue;
            Range r = sub_range(ctx.df.source, w.range, slash + 1, w.text.size());
            ctx.report(
                w.range,
                "Defined protocol '" + w.text + "' in EXPOSE instruction should be lowercase",
                replace_fix("Lowercase the protocol", r, lower(proto)));
        }
    });
}
}  // namespace
extern const Rule expose_proto_casing{
    {"ExposeProtoCasing", "Protocols in EXPOSE should be lowercase",
     ENVBUILDER_BUILD_CHECK_URL("expose-proto-casing"), Severity::Warning, true},
    check};
}  // namespace envbuilder::rules
