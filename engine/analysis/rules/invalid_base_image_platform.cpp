#include "analysis/rules/rule.h"
#include "analysis/stage_model.h"
#include "syntax/expansion.h"

namespace envbuilder::rules {
namespace {
std::string host_platform() {
#if defined(__aarch64__)
    return "linux/arm64";
#elif defined(__arm__)
    return "linux/arm/v7";
#else
    return "linux/amd64";
#endif
}

// Needs the resolved image: the language server and the CLI lint without a registry, so this check
// runs when a resolver is supplied (the executor supplies one once it has pulled the base).
void check(LintContext& ctx) {
    if (!ctx.options.resolve_base_image) return;
    const StageModel& model = ctx.stage_model();
    std::map<std::string, std::string> globals;
    for (const auto& [name, value] : model.global_args())
        if (value) globals[name] = *value;
    for (const auto& [k, v] : ctx.options.build_args) globals[k] = v;
    dockerfile::VariableLookup lookup = [&](std::string_view n) -> const std::string* {
        auto it = globals.find(std::string(n));
        return it == globals.end() ? nullptr : &it->second;
    };
    for (size_t s = 0; s < ctx.df.stages.size(); ++s) {
        const auto& stage = ctx.df.stages[s];
        if (model.stages()[s].parent || stage.base.empty()) continue;
        auto image = dockerfile::expand(stage.base, lookup, ctx.df.escape);
        if (image.error || image.value == "scratch" || image.value.empty()) continue;
        std::string expected = ctx.options.target_platform.empty() ? host_platform() : ctx.options.target_platform;
        if (const auto* f = ctx.df.instructions[stage.from_index].flag("platform"); f && f->value) {
            auto p = dockerfile::expand(*f->value, lookup, ctx.df.escape);
            if (!p.error && p.unset.empty() && !p.value.empty()) expected = p.value;
        }
        auto info = ctx.options.resolve_base_image(image.value, expected);
        if (!info || info->os.empty()) continue;
        std::string actual = info->os + "/" + info->architecture;
        std::string expected_os_arch = expected.substr(0, expected.find('/', expected.find('/') + 1));
        if (actual == expected_os_arch) continue;
        if (!info->variant.empty()) actual += "/" + info->variant;
        ctx.report(stage.base_range, "Base image " + image.value + " was pulled with platform \"" + actual +
                                         "\", expected \"" + expected + "\" for current build");
    }
}
}  // namespace
extern const Rule invalid_base_image_platform{
    {"InvalidBaseImagePlatform", "The base image's platform should match the build's target platform",
     ENVBUILDER_BUILD_CHECK_URL("invalid-base-image-platform"), Severity::Warning, true},
    check};
}  // namespace envbuilder::rules
