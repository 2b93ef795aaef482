// InvalidStageName: BuildKit lowercases the name after FROM ... AS and requires it to match
// ^[a-z][a-z0-9-_.]*$ (so it cannot be mistaken for an index or an image reference).
#include "analysis/rules/instruction_checks.h"

namespace envbuilder::rules {

namespace {

bool valid_stage_name(std::string_view name) {
    if (name.empty() || !(name[0] >= 'a' && name[0] <= 'z')) return false;
    for (char c : name) {
        bool ok =
            (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
        if (!ok) return false;
    }
    return true;
}

void check(LintContext& ctx) {
    for (const auto& stage : ctx.df.stages) {
        if (!stage.name) continue;
        if (valid_stage_name(lower(stage.name->text))) continue;
        ctx.report(stage.name->range,
                   "invalid stage name '" + stage.name->text +
                       "': it must start with a letter and contain only letters, "
                       "digits, '-', '_' and '.'");
    }
}

}  // namespace

const Rule invalid_stage_name_rule = {
    {"InvalidStageName", "A stage name that BuildKit rejects", "", Severity::Error}, check};

}  // namespace envbuilder::rules
