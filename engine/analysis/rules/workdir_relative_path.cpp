#include "analysis/rules/rule.h"
#include "analysis/stage_model.h"
#include "syntax/dockerfile_parser.h"
#include "syntax/expansion.h"

namespace envbuilder::rules {
namespace {
bool is_absolute(const std::string& path) {
    if (!path.empty() && (path[0] == '/' || path[0] == '\\')) return true;
    // Windows images: C:\ or C:/
    return path.size() >= 3 && std::isalpha(static_cast<unsigned char>(path[0])) && path[1] == ':' &&
           (path[2] == '\\' || path[2] == '/');
}

// Only the first WORKDIR of a stage chain matters: after it, relative paths are relative to
// something this Dockerfile chose rather than to whatever the base image set. Variables are
// resolved through the stage's scope, which is only computed when a candidate WORKDIR uses one.
void check(LintContext& ctx) {
    const auto& df = ctx.df;
    const StageModel& model = ctx.stage_model();
    std::vector<bool> sets_workdir(df.stages.size(), false);
    std::vector<size_t> needs_scope;
    for (size_t s = 0; s < df.stages.size(); ++s) {
        auto parent = model.stages()[s].parent;
        bool set = parent && sets_workdir[*parent];
        for (size_t index : df.stages[s].instructions) {
            const auto& ins = df.instructions[index];
            if (ins.kind != dockerfile::InstructionKind::Workdir) continue;
            if (!set && !ins.words.empty()) {
                if (ins.arguments.find('$') != std::string::npos) {
                    needs_scope.push_back(index);
                } else {
                    std::string path = dockerfile::unquote(ins.arguments, df.escape);
                    if (!is_absolute(path))
                        ctx.report(ins.arguments_range, "Relative workdir \"" + path +
                                                            "\" can have unexpected results if the base image changes");
                }
            }
            set = true;
        }
        sets_workdir[s] = set;
    }
    if (needs_scope.empty()) return;
    walk_stage_scopes(df, model, ctx.options, [&](size_t, size_t index, const Scope& scope) {
        if (std::find(needs_scope.begin(), needs_scope.end(), index) == needs_scope.end()) return;
        const auto& ins = df.instructions[index];
        dockerfile::VariableLookup lookup = [&](std::string_view n) { return scope.value(std::string(n)); };
        auto path = dockerfile::expand(ins.arguments, lookup, df.escape);
        if (path.error || !path.unset.empty() || path.value.empty() || is_absolute(path.value)) return;
        ctx.report(ins.arguments_range,
                   "Relative workdir \"" + path.value + "\" can have unexpected results if the base image changes");
    });
}
}  // namespace
extern const Rule workdir_relative_path{
    {"WorkdirRelativePath", "The first WORKDIR of a stage should be an absolute path",
     ENVBUILDER_BUILD_CHECK_URL("workdir-relative-path"), Severity::Warning, true},
    check};
}  // namespace envbuilder::rules
