#include "analysis/rules/rule.h"
#include "analysis/stage_model.h"
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
// something this Dockerfile chose rather than to whatever the base image set.
void check(LintContext& ctx) {
    const auto& df = ctx.df;
    StageModel model(df);
    walk_stage_scopes(df, model, ctx.options, [&](size_t, size_t index, const Scope& scope) {
        const auto& ins = df.instructions[index];
        if (ins.kind != dockerfile::InstructionKind::Workdir || scope.workdir_set || ins.words.empty()) return;
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
