#pragma once
// A Dockerfile rule: its name (the diagnostic code), what it checks, where it is documented, and
// the function that checks it. Each rule lives in its own file under analysis/rules/, named after
// the rule; rule_catalog.cpp lists them.
#include <optional>
#include <string>
#include <vector>

#include "analysis/dockerfile_lint.h"
#include "analysis/stage_model.h"

namespace envbuilder::rules {

struct RuleInfo {
    const char* name;
    const char* description;  // one line, our words
    const char* url;          // "" when the rule has no page
    Severity severity;
    // BuildKit's build checks obey the `# check=` directive (skip, error=true); the errors BuildKit
    // raises and our own instruction checks do not.
    bool build_check = false;
    bool experimental = false;  // build checks that run only when the check directive enables them
};

class LintContext;
using RuleCheck = void (*)(LintContext&);

struct Rule {
    RuleInfo info;
    RuleCheck check;
};

// Every rule, in the order they run: BuildKit's build checks and semantic errors
// (rule_catalog.cpp), then the per-instruction checks (instruction_rule_catalog.cpp).
const std::vector<Rule>& dockerfile_rules();
std::vector<Rule> build_check_rules();
std::vector<Rule> instruction_rules();
const Rule* find_rule(std::string_view name);

class LintContext {
  public:
    LintContext(const dockerfile::Dockerfile& df, const LintOptions& options,
                std::vector<Diagnostic>& out)
        : df(df), options(options), out_(out) {}

    const dockerfile::Dockerfile& df;
    const LintOptions& options;

    // Set by the runner before each rule's check.
    const RuleInfo* current = nullptr;

    // How the stages relate; built once per lint, on first use.
    const StageModel& stage_model() {
        if (!stage_model_) stage_model_.emplace(df);
        return *stage_model_;
    }

    void report(Range range, std::string message, std::optional<Fix> fix = std::nullopt);
    // Reports under another rule's name (for files that hold a family of closely related checks).
    void report_as(const RuleInfo& rule, Range range, std::string message,
                   std::optional<Fix> fix = std::nullopt);

    // Every instruction of the Dockerfile, ONBUILD triggers included when `with_triggers`.
    template <typename F>
    void each_instruction(F&& f, bool with_triggers = false) const {
        for (size_t i = 0; i < df.instructions.size(); ++i) {
            f(df.instructions[i], i);
            if (with_triggers && df.instructions[i].trigger) f(*df.instructions[i].trigger, i);
        }
    }
    // Every instruction of `kind`, ONBUILD triggers included (a trigger is checked like the
    // instruction it will be).
    template <typename F>
    void each_of_kind(dockerfile::InstructionKind kind, F&& f) const {
        each_instruction(
            [&](const dockerfile::Instruction& ins, size_t) {
                if (ins.kind == kind) f(ins);
            },
            /*with_triggers=*/true);
    }

  private:
    std::vector<Diagnostic>& out_;
    std::optional<StageModel> stage_model_;
};

// Helpers shared by several rules.
std::string lower(std::string_view s);
std::string upper(std::string_view s);
bool is_lower(std::string_view s);
bool is_upper(std::string_view s);
Fix replace_fix(std::string title, Range range, std::string text);
// Documentation page of a BuildKit build check, e.g. "StageNameCasing" -> .../stage-name-casing/
#define ENVBUILDER_BUILD_CHECK_URL(kebab) \
    "https://docs.docker.com/reference/build-checks/" kebab "/"

}  // namespace envbuilder::rules
