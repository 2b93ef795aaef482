#pragma once
// Editor features for devcontainer.json: hover, completion and document symbols. Protocol-neutral
// like the Dockerfile ones (and sharing their structs): Ranges are 0-based line, UTF-16 column.
// Each call reads the text afresh and keeps no state; property facts come from the one table in
// devcontainer/properties.h, so validation, hover and completion cannot disagree.
#include <optional>
#include <vector>

#include "language/dockerfile_features.h"
#include "syntax/source_text.h"

namespace envbuilder::language {

// On a property name: its path, type, description, allowed values and replacement when
// deprecated. On a key of "features": what kind of feature id it is. On a ${...} reference in a
// string: what it expands to. nullopt elsewhere.
std::optional<Hover> devcontainer_hover(const SourceText& text, Position pos);

// Property names missing from the object at `pos`, enum values of the property whose value is
// being typed, well-known feature ids inside "features", and variable names after "${" in a
// string. Works on half-typed JSON (unterminated strings, missing or trailing commas).
std::vector<CompletionItem> devcontainer_complete(const SourceText& text, Position pos);

// One symbol per top-level property, with the members of object values as children (build,
// features, portsAttributes, lifecycle command objects, ...). SymbolKind has no "property":
// Directive is used, which the server reports as an LSP Property.
std::vector<DocumentSymbol> devcontainer_symbols(const SourceText& text);

}  // namespace envbuilder::language
