#pragma once
// Editor features for Dockerfiles: hover, completion, document symbols, definition/references and
// formatting. Protocol-neutral on purpose: plain structs with Ranges (0-based line, UTF-16
// column) that the language server converts to LSP JSON. Every function works on one parsed
// Dockerfile and keeps no state between calls.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analysis/diagnostic.h"
#include "analysis/stage_model.h"
#include "syntax/dockerfile_ast.h"

namespace envbuilder::language {

// ---- Hover ----

struct Hover {
    std::string markdown;
    Range range;  // the word the hover is about
};

// Documentation of the keyword, flag or parser directive at `pos`; the value and declaration of
// a variable; the base and line of a stage. nullopt when there is nothing to say.
std::optional<Hover> hover(const dockerfile::Dockerfile& df, Position pos);

// ---- Completion ----

enum class CompletionKind { Keyword, Property, Variable, Value, Reference, Snippet };

struct CompletionItem {
    std::string label;
    CompletionKind kind = CompletionKind::Keyword;
    std::string detail;         // one line
    std::string documentation;  // markdown; may be empty
    std::string insert_text;    // replaces `range`
    bool is_snippet = false;    // insert_text uses LSP snippet syntax (${1:name})
    Range range;                // the word being completed, up to the cursor
};

// What may be typed at `pos`. Items are not filtered by what is already typed: clients filter
// on the text of `range`.
std::vector<CompletionItem> complete(const dockerfile::Dockerfile& df, Position pos);

// ---- Document symbols ----

enum class SymbolKind { Stage, Instruction, Variable, Directive };

struct DocumentSymbol {
    std::string name;
    std::string detail;
    SymbolKind kind = SymbolKind::Instruction;
    Range range;            // everything the symbol covers
    Range selection_range;  // the part to reveal: a stage's name, an instruction's keyword
    std::vector<DocumentSymbol> children;
};

// Directives, then instructions before the first FROM, then one symbol per stage holding its
// instructions; in document order.
std::vector<DocumentSymbol> document_symbols(const dockerfile::Dockerfile& df);

// ---- Definition and references ----

// The declaration of the stage or variable at `pos`: the name after AS, or the ARG/ENV key in
// effect there. nullopt when `pos` is on neither or the name is not declared.
std::optional<Range> definition(const dockerfile::Dockerfile& df, Position pos);

// Every occurrence of the stage or variable at `pos` (the declaration itself only when asked),
// in document order.
std::vector<Range> references(const dockerfile::Dockerfile& df, Position pos,
                              bool include_declaration);

// ---- Formatting ----

struct FormattingOptions {
    uint32_t tab_size = 4;
    bool insert_spaces = true;
};

// Edits that normalize layout without changing what the file means: keyword casing, indentation
// of continuation lines, trailing and leading whitespace. Empty when the file is already tidy.
std::vector<TextEdit> format(const dockerfile::Dockerfile& df,
                             const FormattingOptions& options = {});

// ---- Internals shared by the feature files (not for the server) ----
namespace detail {

// The physical lines of an instruction as the parser reads them: `first`..`last` hold the
// logical line (with the blank and comment lines inside it), `end` also covers heredoc bodies.
struct InstructionLines {
    uint32_t first = 0;
    uint32_t last = 0;
    uint32_t end = 0;
};
std::vector<InstructionLines> instruction_lines(const dockerfile::Dockerfile& df);

// The instruction whose lines (heredoc bodies included) hold `line`.
std::optional<size_t> instruction_at_line(const std::vector<InstructionLines>& lines,
                                          uint32_t line);

// Blank (whitespace only) and comment lines, as the parser tells them apart from instructions.
bool is_blank_line(std::string_view line);
bool is_comment_line(std::string_view line);

// Byte offset of the escape character that continues `line` onto the next line, if it does.
std::optional<size_t> continuation_escape(std::string_view line, char escape);

// BuildKit's ConsistentInstructionCasing majority: lower only when strictly more stage keywords
// are lower case than upper case.
bool prefers_lowercase(const dockerfile::Dockerfile& df);

// The keyword of `kind` in lower or upper case.
std::string keyword_text(dockerfile::InstructionKind kind, bool lower);

// A declaration of a variable: one key of an ARG or ENV.
struct VariableDecl {
    std::string name;
    Range key_range;
    size_t instruction = 0;
    size_t pair = 0;
    bool env = false;     // ENV; otherwise ARG
    bool global = false;  // an ARG before the first FROM
    // For a stage `ARG NAME` without a value: the global ARG it brings into the stage.
    std::optional<size_t> imports;
};

// A `$NAME` / `${NAME...}` and the declaration it resolves to.
struct VariableUse {
    std::string name;
    Range range;  // the name
    Range whole;  // from '$' to the end of the reference
    size_t instruction = 0;
    std::optional<size_t> decl;
};

// A stage name where it is declared (after AS) or referred to (FROM, --from, mount from=).
struct StageRef {
    std::string text;  // as written
    Range range;
    size_t instruction = 0;
    std::optional<size_t> stage;  // nullopt: names no stage (an image, or uses a variable)
    bool declaration = false;
    bool numeric = false;  // `--from=0`
};

struct SymbolIndex {
    std::vector<VariableDecl> decls;
    std::vector<VariableUse> uses;
    std::vector<StageRef> stage_refs;
    // With `scope_of`: the declarations in effect before that instruction (name -> decl).
    std::map<std::string, size_t> scope;
};
SymbolIndex index_symbols(const dockerfile::Dockerfile& df, const StageModel& model,
                          std::optional<size_t> scope_of = std::nullopt);

// The variables walk_stage_scopes (default LintOptions) has in scope before instruction `index`;
// nullopt for instructions outside stages and for FROM lines.
std::optional<Scope> scope_before(const dockerfile::Dockerfile& df, const StageModel& model,
                                  size_t index);

// 1-based line number for messages.
inline uint32_t human_line(const Range& r) {
    return r.start.line + 1;
}

}  // namespace detail
}  // namespace envbuilder::language
