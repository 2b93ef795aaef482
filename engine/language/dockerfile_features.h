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

#include "syntax/diagnostic.h"
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


}  // namespace envbuilder::language
