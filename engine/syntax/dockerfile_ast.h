#pragma once
// The Dockerfile syntax tree. One parse serves the linter, the language server and the executor, so
// every node keeps its exact source range. Text is kept as written (quotes and variables
// unexpanded); expansion is a separate step (syntax/expansion.h) because its inputs (build args,
// base image env) are only known later.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "syntax/diagnostic.h"
#include "syntax/source_text.h"

namespace envbuilder::dockerfile {

enum class InstructionKind {
    From, Run, Cmd, Label, Maintainer, Expose, Env, Add, Copy, Entrypoint,
    Volume, User, Workdir, Arg, Onbuild, Stopsignal, Healthcheck, Shell, Unknown
};

// Upper-case keyword ("FROM"), or "" for Unknown.
const char* keyword_name(InstructionKind kind);
// Case-insensitive lookup; Unknown when the word is not an instruction.
InstructionKind instruction_kind(std::string_view keyword);

// A whitespace-separated word as written: quotes, escapes and variables kept.
struct Word {
    std::string text;
    Range range;
};

// `--name=value` or a bare `--name`.
struct Flag {
    std::string name;                  // without the leading "--"
    std::optional<std::string> value;  // nullopt for a bare flag
    Range range;                       // the whole flag
    Range name_range;                  // "--name"
    Range value_range;                 // after '='; empty range at the end when no value
};

// One `key=value` (ENV, LABEL, ARG) or the legacy `ENV key value`.
struct KeyValue {
    std::string key;
    std::optional<std::string> value;  // raw text; nullopt for `ARG name` without default
    Range range;
    Range key_range;
    Range value_range;
};

// A here-document opened on an instruction line (`<<EOF`, `<<-EOF`, `<<"EOF"`).
struct Heredoc {
    std::string delimiter;
    bool strip_tabs = false;  // `<<-`
    bool expand = true;       // false when the delimiter is quoted
    std::optional<int> file_descriptor;  // `3<<EOF`
    std::string body;         // content lines joined with '\n', with a final '\n'
    Range marker_range;       // `<<EOF` on the instruction line
    Range body_range;         // from the first body line to the end of the terminator line
    bool terminated = false;
};

// A JSON array element of the exec form, decoded.
using JsonString = Word;

struct Instruction {
    InstructionKind kind = InstructionKind::Unknown;
    std::string keyword;  // as written
    Range keyword_range;
    Range range;          // the whole instruction, continuations and heredocs included
    std::vector<Flag> flags;
    std::string arguments;  // text after keyword and flags, continuation lines joined, trimmed
    Range arguments_range;
    std::vector<Word> words;  // `arguments` split on unquoted whitespace
    // Exec (JSON array) form, when `arguments` is a valid JSON array of strings.
    std::optional<std::vector<JsonString>> json;
    bool json_like = false;       // starts with '[' and ends with ']' (whether or not valid JSON)
    std::vector<KeyValue> pairs;  // ENV, LABEL, ARG
    bool legacy_key_value = false;  // `ENV key value`
    std::vector<Heredoc> heredocs;
    std::unique_ptr<Instruction> trigger;  // ONBUILD's instruction
    std::vector<uint32_t> empty_continuation_lines;
    std::vector<std::string> preceding_comments;  // comment lines directly above, '#' stripped
    Range preceding_comments_range;

    const Flag* flag(std::string_view name) const;
    bool is_exec_form() const { return json.has_value(); }
};

struct Directive {
    std::string name;  // lower case
    std::string value;
    Range range;
    Range value_range;
};

struct Comment {
    std::string text;  // without the leading '#'
    Range range;
};

struct Stage {
    size_t from_index = 0;  // index of the FROM in Dockerfile::instructions
    std::string base;       // image or stage name as written (unexpanded)
    Range base_range;
    std::optional<Word> as_keyword;  // the "AS" word
    std::optional<Word> name;        // stage name as written
    std::vector<size_t> instructions;  // indices of the stage's instructions after its FROM
};

struct Dockerfile {
    SourceText source;
    char escape = '\\';
    std::vector<Directive> directives;
    std::vector<Comment> comments;
    std::vector<Instruction> instructions;
    std::vector<size_t> global_instructions;  // instructions before the first FROM
    std::vector<Stage> stages;
    std::vector<Diagnostic> diagnostics;  // syntax errors; the parse continues past them

    const Directive* directive(std::string_view name) const;
    // Index of the stage whose name matches (case-insensitive, as BuildKit compares), if any.
    std::optional<size_t> find_stage(std::string_view name) const;
    // Stage that contains the instruction at `index`, if any.
    std::optional<size_t> stage_of(size_t index) const;
};

}  // namespace envbuilder::dockerfile
