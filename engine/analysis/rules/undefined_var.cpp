#include "analysis/rules/rule.h"
#include "analysis/stage_model.h"
#include "syntax/expansion.h"

namespace envbuilder::rules {
namespace {
using dockerfile::InstructionKind;

// BuildKit reports a variable that the instruction expands while the stage has no value or
// declaration for it. The builder expands ADD, COPY, ENV, LABEL, USER, WORKDIR, VOLUME,
// STOPSIGNAL and ARG defaults; shell-form commands are left to the shell.
void check(LintContext& ctx) {
    const auto& df = ctx.df;
    const StageModel& model = ctx.stage_model();
    std::vector<std::string> globals;
    for (const auto& [name, value] : model.global_args()) globals.push_back(name);

    walk_stage_scopes(df, model, ctx.options, [&](size_t, size_t index, const Scope& scope) {
        const auto& ins = df.instructions[index];
        // Only needed for a suggestion, i.e. rarely: built on first use.
        std::vector<std::string> known;
        auto known_names = [&]() -> const std::vector<std::string>& {
            if (known.empty())
                for (const auto& [name, value] : scope.vars) known.push_back(name);
            return known;
        };

        auto check_text = [&](const std::string& text, Range range) {
            auto scan = dockerfile::scan_variable_references(text, df.escape);
            for (const auto& ref : scan.references) {
                if (ref.has_default() || scope.is_defined(ref.name)) continue;
                if (ref.name == "BUILDKIT_SBOM_SCAN_CONTEXT" || ref.name == "BUILDKIT_SBOM_SCAN_STAGE") continue;
                auto near = closest_match(ref.name, known_names());
                bool global_only = std::find(globals.begin(), globals.end(), ref.name) != globals.end();
                // With an image whose env we have not seen, the variable may well come from the
                // image: only a near-miss of a known name or a global ARG left undeclared is
                // worth a warning then.
                if (!scope.env_complete && !near && !global_only) continue;
                std::string message = "Usage of undefined variable '$" + ref.name + "'";
                std::optional<Fix> fix;
                Range r = sub_range(df.source, range, ref.name_begin, ref.name_end);
                if (near) {
                    message += " (did you mean $" + *near + "?)";
                    fix = replace_fix("Use $" + *near, r, *near);
                } else if (global_only) {
                    message += ": ARGs declared before the first FROM must be declared again inside the stage (ARG " +
                               ref.name + ")";
                }
                ctx.report(r, message, fix);
            }
        };
        auto check_words = [&](const std::vector<dockerfile::Word>& words) {
            for (const auto& w : words) check_text(w.text, w.range);
        };
        switch (ins.kind) {
            case InstructionKind::Add:
            case InstructionKind::Copy:
                if (ins.json) check_words(*ins.json);
                else check_words(ins.words);
                for (const char* name : {"chown", "chmod"})
                    if (const auto* f = ins.flag(name); f && f->value) check_text(*f->value, f->value_range);
                for (const auto& h : ins.heredocs)
                    if (h.expand) check_text(h.body, h.body_range);
                break;
            case InstructionKind::Env:
            case InstructionKind::Arg:
                for (const auto& kv : ins.pairs)
                    if (kv.value) check_text(*kv.value, kv.value_range);
                break;
            case InstructionKind::Label:
                for (const auto& kv : ins.pairs) {
                    check_text(kv.key, kv.key_range);
                    if (kv.value) check_text(*kv.value, kv.value_range);
                }
                break;
            case InstructionKind::User:
            case InstructionKind::Workdir:
            case InstructionKind::Stopsignal:
                check_words(ins.words);
                break;
            case InstructionKind::Volume:
                if (ins.json) check_words(*ins.json);
                else check_words(ins.words);
                break;
            default:
                break;
        }
    });
}
}  // namespace
extern const Rule undefined_var{{"UndefinedVar", "Variables should be defined before they are used",
                                 ENVBUILDER_BUILD_CHECK_URL("undefined-var"), Severity::Warning, true},
                                check};
}  // namespace envbuilder::rules
