#include "analysis/rules/rule.h"

namespace envbuilder::rules {
namespace {
// A comment directly above a stage or a global-or-stage ARG documents it (BuildKit shows it in
// `--call=outline`), so it must start with the name it describes.
void check(LintContext& ctx) {
    const auto& df = ctx.df;
    for (const auto& ins : df.instructions) {
        if (ins.preceding_comments.empty()) continue;
        std::vector<std::string> names;
        const char* what = nullptr;
        if (ins.kind == dockerfile::InstructionKind::From) {
            if (ins.words.size() < 3) continue;
            names.push_back(ins.words[2].text);
            what = "FROM";
        } else if (ins.kind == dockerfile::InstructionKind::Arg) {
            for (const auto& kv : ins.pairs) names.push_back(kv.key);
            what = "ARG";
        } else {
            continue;
        }
        const std::string& comment = ins.preceding_comments.back();
        std::string first = comment.substr(0, comment.find(' '));
        if (std::find(names.begin(), names.end(), first) != names.end()) continue;
        std::string key = names.size() == 1 ? names[0] : "arg_key";
        ctx.report(ins.preceding_comments_range,
                   std::string("Comment for ") + what + " should follow the format: `# " + key +
                       " <description>`; if it is not a description, separate it with an empty line");
    }
}
}  // namespace
extern const Rule invalid_definition_description{
    {"InvalidDefinitionDescription",
     "A comment right above a stage or ARG should read `# <name> <description>`",
     ENVBUILDER_BUILD_CHECK_URL("invalid-definition-description"), Severity::Warning, true, true},
    check};
}  // namespace envbuilder::rules
