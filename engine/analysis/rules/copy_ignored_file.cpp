#include "analysis/rules/rule.h"
#include "context/dockerignore.h"
#include "syntax/dockerfile_parser.h"

namespace envbuilder::rules {
namespace {
bool is_remote(const std::string& src) {
    return src.rfind("http://", 0) == 0 || src.rfind("https://", 0) == 0 || src.rfind("git@", 0) == 0 ||
           src.find(".git#") != std::string::npos;
}

// Like BuildKit, only when the ignore file has no '!' lines: with re-includes, whether a source
// survives depends on the files present, which a lint must not guess.
void check(LintContext& ctx) {
    if (ctx.options.context_dir.empty()) return;
    auto ignore = DockerIgnore::load(ctx.options.context_dir, ctx.options.dockerfile_path);
    if (!ignore || ignore->has_exclusions()) return;
    ctx.each_instruction([&](const dockerfile::Instruction& ins, size_t) {
        if (ins.kind != dockerfile::InstructionKind::Copy && ins.kind != dockerfile::InstructionKind::Add) return;
        if (ins.flag("from") || !ins.heredocs.empty()) return;
        const auto& words = ins.json ? *ins.json : ins.words;
        for (size_t i = 0; i + 1 < words.size(); ++i) {
            std::string src = ins.json ? words[i].text : dockerfile::unquote(words[i].text, ctx.df.escape);
            if (src.find('$') != std::string::npos || is_remote(src)) continue;
            if (!ignore->excludes(src)) continue;
            std::string verb = ins.kind == dockerfile::InstructionKind::Copy ? "Copy" : "Add";
            ctx.report(words[i].range, "Attempting to " + verb + " file \"" + src + "\" that is excluded by " +
                                           ignore->source.filename().string());
        }
    });
}
}  // namespace
extern const Rule copy_ignored_file{{"CopyIgnoredFile", "COPY and ADD sources should not be excluded by .dockerignore",
                                     ENVBUILDER_BUILD_CHECK_URL("copy-ignored-file"), Severity::Warning, true, true},
                                    check};
}  // namespace envbuilder::rules
