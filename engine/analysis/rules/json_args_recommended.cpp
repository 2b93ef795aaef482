#include "analysis/rules/rule.h"
#include "analysis/stage_model.h"
#include "syntax/dockerfile_parser.h"
#include "syntax/json_array.h"

namespace envbuilder::rules {
namespace {
using dockerfile::InstructionKind;

// A shell-form command can be rewritten as exec form without changing its meaning only when the
// shell would do nothing but split words.
std::optional<std::string> exec_form_of(const dockerfile::Instruction& ins) {
    if (ins.words.empty()) return std::nullopt;
    std::string out = "[";
    for (size_t i = 0; i < ins.words.size(); ++i) {
        const std::string& w = ins.words[i].text;
        if (w.find_first_of("$|&;<>()*?[]~{}'\"\\`#=!") != std::string::npos) return std::nullopt;
        if (i) out += ", ";
        out += dockerfile::json_quote(w);
    }
    return out + "]";
}

// A SHELL instruction earlier in the stage, or in a stage it builds on, makes shell form
// deliberate, so BuildKit stays quiet.
bool shell_set_before(const dockerfile::Dockerfile& df, const StageModel& model, size_t stage, size_t index) {
    for (std::optional<size_t> s = stage; s; s = model.stages()[*s].parent) {
        for (size_t i : df.stages[*s].instructions) {
            if (*s == stage && i >= index) break;
            if (df.instructions[i].kind == InstructionKind::Shell) return true;
        }
        if (model.stages()[*s].parent && *model.stages()[*s].parent >= *s) break;
    }
    return false;
}

void check(LintContext& ctx) {
    const StageModel& model = ctx.stage_model();
    for (size_t s = 0; s < ctx.df.stages.size(); ++s) {
        for (size_t i : ctx.df.stages[s].instructions) {
            const auto& ins = ctx.df.instructions[i];
            if (ins.kind != InstructionKind::Cmd && ins.kind != InstructionKind::Entrypoint) continue;
            if (ins.is_exec_form() || ins.arguments.empty()) continue;
            if (shell_set_before(ctx.df, model, s, i)) continue;
            std::optional<Fix> fix;
            if (auto exec = exec_form_of(ins))
                fix = replace_fix("Convert to JSON (exec) form", ins.arguments_range, *exec);
            ctx.report(ins.range.start.line == ins.range.end.line ? ins.range : ins.keyword_range,
                       "JSON arguments recommended for " + ins.keyword +
                           " to prevent unintended behavior related to OS signals",
                       fix);
        }
    }
}
}  // namespace
extern const Rule json_args_recommended{
    {"JSONArgsRecommended", "Use JSON (exec) form for CMD and ENTRYPOINT so the process receives OS signals",
     ENVBUILDER_BUILD_CHECK_URL("json-args-recommended"), Severity::Warning, true},
    check};
}  // namespace envbuilder::rules
