#include "analysis/rules/rule.h"

namespace envbuilder::rules {
namespace {
// BuildKit counts the keywords inside stages (FROM included, global ARGs not) that are entirely
// upper or lower case; lower wins only with a strict majority. Every keyword not in the majority
// casing, mixed case included, is reported.
void check(LintContext& ctx) {
    const auto& df = ctx.df;
    std::vector<size_t> counted;
    for (const auto& stage : df.stages) {
        counted.push_back(stage.from_index);
        counted.insert(counted.end(), stage.instructions.begin(), stage.instructions.end());
    }
    int lower_count = 0, upper_count = 0;
    for (size_t i : counted) {
        const auto& kw = df.instructions[i].keyword;
        if (df.instructions[i].kind == dockerfile::InstructionKind::Unknown) continue;
        if (is_lower(kw) && !is_upper(kw)) ++lower_count;
        else if (is_upper(kw) && !is_lower(kw)) ++upper_count;
    }
    const bool majority_lower = lower_count > upper_count;
    for (size_t i : counted) {
        const auto& ins = df.instructions[i];
        if (ins.kind == dockerfile::InstructionKind::Unknown) continue;
        if (majority_lower ? is_lower(ins.keyword) : is_upper(ins.keyword)) continue;
        std::string wanted = majority_lower ? lower(ins.keyword) : upper(ins.keyword);
        ctx.report(ins.keyword_range,
                   "Command '" + ins.keyword + "' should match the case of the command majority (" +
                       (majority_lower ? "lowercase" : "uppercase") + ")",
                   replace_fix("Write '" + wanted + "'", ins.keyword_range, wanted));
    }
}
}  // namespace
extern const Rule consistent_instruction_casing{
    {"ConsistentInstructionCasing", "All instructions should use the same casing, upper or lower",
     ENVBUILDER_BUILD_CHECK_URL("consistent-instruction-casing"), Severity::Warning, true},
    check};
}  // namespace envbuilder::rules
