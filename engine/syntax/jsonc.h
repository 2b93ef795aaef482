#pragma once
// JSON with comments (the dialect of devcontainer.json), parsed with tree-sitter-json into a small
// value tree. Every value keeps its range so that checkers can point at it, and the parser never
// gives up: syntax errors become diagnostics and the parts that still make sense stay in the tree.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "syntax/diagnostic.h"
#include "syntax/source_text.h"

namespace envbuilder::jsonc {

// Invalid stands for a value the parser could not read (e.g. `"a": tru`); its range still marks
// where the value was supposed to be. Checkers skip Invalid values: the syntax error says it all.
enum class Kind : uint8_t { Null, Boolean, Number, String, Array, Object, Invalid };

// "null", "boolean", "number", "string", "array", "object" or "invalid".
const char* kind_name(Kind kind);

struct Member;

struct Value {
    Kind kind = Kind::Invalid;
    Range range;              // the whole value; for a string this includes the quotes
    uint32_t start_byte = 0;  // the same span as byte offsets into the source text
    uint32_t end_byte = 0;
    bool boolean = false;
    double number = 0;
    std::string string;           // a string's decoded text (UTF-8)
    std::vector<Value> items;     // an array's elements
    std::vector<Member> members;  // an object's members in source order, duplicates included

    bool is_null() const { return kind == Kind::Null; }
    bool is_bool() const { return kind == Kind::Boolean; }
    bool is_number() const { return kind == Kind::Number; }
    bool is_integer() const;
    bool is_string() const { return kind == Kind::String; }
    bool is_array() const { return kind == Kind::Array; }
    bool is_object() const { return kind == Kind::Object; }
    bool is_invalid() const { return kind == Kind::Invalid; }

    // The member with this key; when a key repeats, the last one wins (as in JSON.parse).
    const Member* find_member(std::string_view key) const;
    const Value* find(std::string_view key) const;
};

struct Member {
    std::string key;  // decoded
    Range key_range;  // includes the quotes
    Value value;
};

struct Document {
    std::optional<Value> root;  // absent only when the text holds no value at all
    std::vector<Diagnostic> diagnostics;
};

// Diagnostic codes produced by parse().
inline constexpr const char* kJsonSyntax = "JsonSyntax";
inline constexpr const char* kTrailingComma = "TrailingComma";
inline constexpr const char* kDuplicateProperty = "DuplicateProperty";

// Parses JSONC: `//` and `/* */` comments are fine, trailing commas are reported (with a fix
// that removes them) but do not cost any part of the tree. Never throws.
Document parse(const SourceText& text);

// The same, with every document going through tree-sitter: parse() takes a faster route for
// flawless documents and must give the same result. For tests and benchmarks.
Document parse_with_tree_sitter(const SourceText& text);

}  // namespace envbuilder::jsonc
