#pragma once
// Helpers shared by the per-instruction rules (the files listed in instruction_rule_catalog.cpp):
// which flags each instruction accepts, "did you mean" suggestions, and ranges for text found
// inside a word or flag value.
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "analysis/rules/rule.h"
#include "syntax/csv_fields.h"
#include "syntax/instruction_flags.h"
#include "syntax/suggestions.h"

namespace envbuilder::rules {

// The per-instruction rules, one file each (named after the rule), listed in
// instruction_rule_catalog.cpp.
extern const Rule directive_casing_rule;
extern const Rule argument_count_rule;
extern const Rule unknown_flag_rule;
extern const Rule duplicate_flag_rule;
extern const Rule missing_flag_value_rule;
extern const Rule invalid_flag_value_rule;
extern const Rule invalid_run_mount_rule;
extern const Rule invalid_run_network_rule;
extern const Rule invalid_run_security_rule;
extern const Rule invalid_port_rule;
extern const Rule invalid_protocol_rule;
extern const Rule invalid_stop_signal_rule;
extern const Rule shell_requires_json_rule;
extern const Rule invalid_onbuild_trigger_rule;
extern const Rule unterminated_quote_rule;
extern const Rule unsupported_modifier_rule;
extern const Rule invalid_stage_name_rule;
extern const Rule invalid_image_reference_rule;
extern const Rule copy_destination_not_directory_rule;
extern const Rule single_quoted_json_rule;
extern const Rule instruction_before_from_rule;
extern const Rule no_stages_rule;

// The helpers get their own namespace so that they cannot collide with helpers other rule files
// add to envbuilder::rules.
namespace instruction_checks {

using dockerfile::accepted_flags;
using dockerfile::find_flag;
using dockerfile::FlagSpec;
using dockerfile::FlagType;
// What every per-instruction rule names (`using namespace instruction_checks` brings them).
using dockerfile::Instruction;
using dockerfile::InstructionKind;

// Whether BuildKit looks at the flags of this instruction at all. It does not for
// `HEALTHCHECK NONE` (the flags are silently dropped) and we skip Unknown instructions, which the
// parser already reports.
bool flags_are_parsed(const dockerfile::Instruction& ins);

// Reports the errors syntax/commands/run_command finds in RUN's `--<flag>` values (triggers
// included), with its "did you mean" as a fix. Values with a variable pass: BuildKit does not
// expand them, but lint leaves them to the build.
void report_run_flag_errors(LintContext& ctx, std::string_view flag);

bool iequals(std::string_view a, std::string_view b);
bool has_variable(std::string_view s);
bool is_digits(std::string_view s);
// `<<EOF`, `<<-EOF`, `3<<"EOF"`: a word that opens a here-document.
bool is_heredoc_marker(std::string_view word);

// The exact source text of `range` when it lies on one line (so byte offsets into it map to
// columns); nullopt for text that spans continuation lines.
std::optional<std::string_view> single_line_text(const SourceText& source, Range range);

// Range of bytes [begin, end) of `text`, where `text` is the source text that starts at
// `whole.start`. Falls back to `whole` when `text` is not exactly the one-line source of `whole`
// (a word broken by a continuation, or a value that was unquoted).
Range sub_range(const SourceText& source, Range whole, std::string_view text, size_t begin,
                size_t end);

// Every piece of text that BuildKit runs through its shell-word expansion (so that quotes and
// `${...}` are interpreted), with its range: ADD/COPY/EXPOSE/VOLUME words, ENV/LABEL pairs,
// ARG defaults, FROM's base and the whole argument of USER/WORKDIR/STOPSIGNAL, plus the values of
// --from/--chown/--platform/--mount. ONBUILD triggers included. Exec form and shell-form
// RUN/CMD/ENTRYPOINT are not: the former is not re-quoted and the latter goes to the shell.
void each_expanded_text(const LintContext& ctx,
                        const std::function<void(std::string_view text, Range range)>& f);

// Expands `text` with every variable set, which leaves only the syntax errors (quotes, `${`
// forms). scan_variable_references would also report `${V:?}` as an error when V is unset, which
// is not a syntax problem.
struct ExpansionSyntaxError {
    bool unterminated = false;  // a quote or `${` left open; otherwise a bad `${...}` form
    std::string message;
    size_t begin = 0, end = 0;
};
std::optional<ExpansionSyntaxError> expansion_syntax_error(std::string_view text, char escape);
// Every syntax error of each_expanded_text's texts, with the range of the part that is wrong.
void each_expansion_error(const LintContext& ctx,
                          const std::function<void(const ExpansionSyntaxError&, Range)>& f);

// A port spec of EXPOSE split the way BuildKit does: `port[/proto]`, offsets into the word.
struct ExposeSpec {
    std::string text;                  // the word with one pair of surrounding quotes removed
    size_t offset = 0;                 // where `text` starts in the word
    bool exact = false;                // offsets map 1:1 onto the word (no unquoting inside)
    std::string port;                  // before the first '/'
    size_t port_begin = 0;             // offsets into `text`
    std::optional<std::string> proto;  // after the first '/', when non-empty
    size_t proto_begin = 0;
};
// nullopt for words that are not ours to check: variables, and `ip:host:container` forms (the
// ExposeInvalidFormat build check reports those).
std::optional<ExposeSpec> split_expose_word(std::string_view word, char escape);

using dockerfile::CsvField;
using dockerfile::CsvResult;
using dockerfile::split_csv;

}  // namespace instruction_checks
}  // namespace envbuilder::rules
