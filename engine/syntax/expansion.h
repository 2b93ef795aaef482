#pragma once
// Docker's variable expansion for Dockerfile instructions: quoting, the escape character,
// $V and ${V} with the POSIX modifiers (:- - :+ + :? ?) and BuildKit's pattern ones
// (# ## % %% / //). Used by the linter (which variables are undefined), the editor (where each
// reference is) and the executor (the values).
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace envbuilder::dockerfile {

// Returns the variable's value, or nullptr when it is not set.
using VariableLookup = std::function<const std::string*(std::string_view name)>;

struct ExpansionError {
    std::string message;
    size_t begin = 0;  // byte offsets into the expanded text
    size_t end = 0;
};

struct Expansion {
    std::string value;               // the text with quotes removed and variables replaced
    std::vector<std::string> words;  // the same, split on unquoted whitespace
    std::vector<std::string> unset;  // variables referenced without a default that were unset
    std::optional<ExpansionError> error;
};

Expansion expand(std::string_view text, const VariableLookup& lookup, char escape = '\\');

// A `$NAME` or `${NAME...}` in raw text.
struct VariableReference {
    std::string name;
    size_t begin = 0;  // the '$'
    size_t end = 0;    // after the name, or after the closing '}'
    size_t name_begin = 0;
    size_t name_end = 0;
    std::string modifier;  // e.g. ":-", "##", "/"; empty for none
    bool braced = false;
    bool has_default() const;  // a modifier that supplies a value or an error when unset
};

struct ReferenceScan {
    std::vector<VariableReference> references;
    std::vector<ExpansionError> errors;  // unsupported modifiers, unterminated ${ or quotes
};

// Finds variable references without expanding them. Single-quoted text holds none.
ReferenceScan scan_variable_references(std::string_view text, char escape = '\\');

}  // namespace envbuilder::dockerfile
