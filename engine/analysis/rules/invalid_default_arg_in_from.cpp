#include "analysis/rules/rule.h"
#include "analysis/stage_model.h"
#include "oci/reference.h"
#include "syntax/expansion.h"

namespace envbuilder::rules {
namespace {
// With no --build-arg given, the global ARG defaults alone must make every FROM a usable image
// name; otherwise a plain `docker build .` fails.
void check(LintContext& ctx) {
    const StageModel& model = ctx.stage_model();
    std::map<std::string, std::string> defaults;
    for (const auto& [name, value] : model.global_args())
        if (value) defaults[name] = *value;
    dockerfile::VariableLookup lookup = [&](std::string_view n) -> const std::string* {
        auto it = defaults.find(std::string(n));
        return it == defaults.end() ? nullptr : &it->second;
    };
    for (size_t s = 0; s < ctx.df.stages.size(); ++s) {
        const auto& stage = ctx.df.stages[s];
        if (stage.base.find('$') == std::string::npos || model.stages()[s].parent) continue;
        auto expanded = dockerfile::expand(stage.base, lookup, ctx.df.escape);
        if (expanded.error) continue;
        if (expanded.value == "scratch" || ctx.df.find_stage(expanded.value)) continue;
        std::string problem;
        if (expanded.value.empty()) {
            problem = "it is empty";
        } else {
            auto parsed = oci::parse_reference(expanded.value);
            const auto* err = oci::get_error(parsed);
            if (!err) continue;
            problem = "\"" + expanded.value + "\" is not a valid image reference: " + err->message;
        }
        ctx.report(stage.base_range, "Default value for ARG " + stage.base +
                                         " results in empty or invalid base image name (" + problem +
                                         "); give the ARG a default that works without --build-arg");
    }
}
}  // namespace
extern const Rule invalid_default_arg_in_from{
    {"InvalidDefaultArgInFrom", "Global ARG defaults should make every FROM a valid image name",
     ENVBUILDER_BUILD_CHECK_URL("invalid-default-arg-in-from"), Severity::Warning, true},
    check};
}  // namespace envbuilder::rules
