#pragma once
// What every checker in the engine produces, for the CLI and the language server alike.
#include <optional>
#include <string>
#include <vector>

#include "syntax/source_text.h"

namespace envbuilder {

// Values match LSP's DiagnosticSeverity so the server can pass them through.
enum class Severity { Error = 1, Warning = 2, Information = 3, Hint = 4 };

const char* severity_name(Severity s);  // "error", "warning", "information", "hint"

struct TextEdit {
    Range range;
    std::string new_text;
};

// A machine-applicable change that resolves a diagnostic.
struct Fix {
    std::string title;
    std::vector<TextEdit> edits;
};

struct Diagnostic {
    std::string code;  // the rule name, e.g. "StageNameCasing"
    Severity severity = Severity::Warning;
    Range range;
    std::string message;
    std::string url;  // documentation for the rule; empty when there is none
    std::optional<Fix> fix;
};

}  // namespace envbuilder
