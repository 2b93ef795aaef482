#pragma once
// Internals shared by the Dockerfile feature files; not part of the engine's public API.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>
#include "syntax/diagnostic.h"
#include "analysis/stage_model.h"
#include "syntax/dockerfile_ast.h"
#include "language/dockerfile_features.h"

namespace envbuilder::language {

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
