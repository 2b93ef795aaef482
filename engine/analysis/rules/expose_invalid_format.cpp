#include "analysis/rules/rule.h"

namespace envbuilder::rules {
namespace {
// EXPOSE documents container ports; an IP or a host port belongs to `docker run -p`, not the image.
void check(LintContext& ctx) {
    ctx.each_of_kind(dockerfile::InstructionKind::Expose, [&](const dockerfile::Instruction& ins) {
        for (const auto& w : ins.words) {
            if (w.text.find(':') == std::string::npos || w.text.find('$') != std::string::npos)
                continue;
            std::string port = w.text.substr(w.text.rfind(':') + 1);
            ctx.report(
                w.range,
                "EXPOSE instruction should not define an IP address or host-port mapping, found '" +
                    w.text + "'",
                replace_fix("Keep only the container port", w.range, port));
        }
    });
}
}  // namespace
extern const Rule expose_invalid_format{
    {"ExposeInvalidFormat", "EXPOSE should not name an IP address or a host port",
     ENVBUILDER_BUILD_CHECK_URL("expose-invalid-format"), Severity::Warning, true},
    check};
}  // namespace envbuilder::rules
