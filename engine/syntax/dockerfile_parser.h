#pragma once
#include <string>

#include "syntax/dockerfile_ast.h"

namespace envbuilder::dockerfile {

// Parses a whole Dockerfile. Never throws on bad input: what could not be understood becomes a
// diagnostic in Dockerfile::diagnostics and parsing goes on with the next instruction.
Dockerfile parse(std::string text);

// Splits text into words on unquoted whitespace, honouring '...' and "..." and the escape
// character. Returns [begin, end) byte offsets into `text`.
std::vector<std::pair<size_t, size_t>> split_words(std::string_view text, char escape,
                                                   size_t begin = 0);

// Removes one level of quoting and escapes the way the shell lexer would, without expanding.
std::string unquote(std::string_view word, char escape);

}  // namespace envbuilder::dockerfile
