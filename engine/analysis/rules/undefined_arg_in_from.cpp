#include "analysis/rules/rule.h"
#include "analysis/stage_model.h"
#include "syntax/expansion.h"

namespace envbuilder::rules {
namespace {
void check(LintContext& ctx) {
    const StageModel& model = ctx.stage_model();
    std::vector<std::string> declared;
    for (const auto& [name, value] : model.global_args()) declared.push_back(name);
    auto is_declared = [&](const std::string& name) {
        return is_predefined_platform_arg(name) ||
               std::find(declared.begin(), declared.end(), name) != declared.end();
    };
    auto check_text = [&](const std::string& text, Range range) {
        auto scan = dockerfile::scan_variable_references(text, ctx.df.escape);
        for (const auto& ref : scan.references) {
            if (is_declared(ref.name)) continue;
            std::string message = "FROM argument '" + ref.name + "' is not declared";
            std::optional<Fix> fix;
            Range r = sub_range(ctx.df.source, range, ref.name_begin, ref.name_end);
            if (auto near = closest_match(ref.name, declared)) {
                message += " (did you mean " + *near + "?)";
                fix = replace_fix("Use " + *near, r, *near);
            } else {
                message += ": declare it with ARG before the first FROM";
            }
            ctx.report(r, message, fix);
        }
    };
    for (const auto& stage : ctx.df.stages) {
        const auto& from = ctx.df.instructions[stage.from_index];
        if (!stage.base.empty()) check_text(stage.base, stage.base_range);
        if (const auto* platform = from.flag("platform"); platform && platform->value)
            check_text(*platform->value, platform->value_range);
    }
}
}  // namespace
extern const Rule undefined_arg_in_from{{"UndefinedArgInFrom", "FROM may only use ARGs declared before the first FROM",
                                         ENVBUILDER_BUILD_CHECK_URL("undefined-arg-in-from"), Severity::Warning, true},
                                        check};
}  // namespace envbuilder::rules
