#include "analysis/rules/rule.h"
#include "analysis/stage_model.h"

namespace envbuilder::rules {
namespace {
// BuildKit treats a --from name that matches no stage as an image reference and pulls it. That is
// legitimate (`COPY --from=nginx:latest ...`) but also what a misspelt stage name does, so it is
// said as information, with the nearest stage name when there is one.
void check(LintContext& ctx) {
    const StageModel& model = ctx.stage_model();
    std::vector<std::string> names;
    for (const auto& st : ctx.df.stages)
        if (st.name) names.push_back(st.name->text);
    for (const auto& info : model.stages()) {
        for (const auto& dep : info.dependencies) {
            if (dep.stage || dep.numeric || dep.name.find('$') != std::string::npos) continue;
            std::string message = "'" + dep.name + "' is not a stage of this Dockerfile, so it will be pulled as an image";
            std::optional<Fix> fix;
            if (auto near = closest_match(dep.name, names)) {
                message += " (did you mean stage '" + *near + "'?)";
                fix = replace_fix("Use stage '" + *near + "'", dep.range, *near);
            }
            ctx.report(dep.range, message, fix);
        }
    }
}
}  // namespace
extern const Rule stage_reference_is_image{
    {"StageReferenceIsImage", "A --from name that is not a stage is pulled as an image", "", Severity::Information},
    check};
}  // namespace envbuilder::rules
