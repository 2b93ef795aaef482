#include "analysis/rules/rule.h"

namespace envbuilder::rules {
namespace {
// A constant --platform pins a stage to one platform; BuildKit accepts it when the stage's name
// says so (e.g. "build-amd64"), since then it is evidently deliberate.
void check(LintContext& ctx) {
    for (const auto& stage : ctx.df.stages) {
        const auto* platform = ctx.df.instructions[stage.from_index].flag("platform");
        if (!platform || !platform->value || platform->value->empty()) continue;
        const std::string& v = *platform->value;
        if (v.find('$') != std::string::npos) continue;
        std::string os = lower(v.substr(0, v.find('/')));
        std::string arch;
        if (size_t slash = v.find('/'); slash != std::string::npos) {
            size_t next = v.find('/', slash + 1);
            arch = lower(v.substr(slash + 1, next == std::string::npos ? std::string::npos : next - slash - 1));
        }
        if (os.empty() || os.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789") != std::string::npos) continue;
        std::string name = stage.name ? lower(stage.name->text) : "";
        if (!name.empty() && (name.find(os) != std::string::npos || (!arch.empty() && name.find(arch) != std::string::npos)))
            continue;
        ctx.report(platform->value_range, "FROM --platform flag should not use constant value \"" + v +
                                              "\"; use a build arg such as $BUILDPLATFORM or $TARGETPLATFORM");
    }
}
}  // namespace
extern const Rule from_platform_flag_const_disallowed{
    {"FromPlatformFlagConstDisallowed", "FROM --platform should not be a constant",
     ENVBUILDER_BUILD_CHECK_URL("from-platform-flag-const-disallowed"), Severity::Warning, true},
    check};
}  // namespace envbuilder::rules
