#pragma once
// Where the cursor is in a devcontainer.json that may be half-typed: the container it is in,
// the key being written or whose value is being written, and the keys already there. Hover,
// completion and symbols read the shared JSON tokens (syntax/json_tokens.h) rather than the jsonc
// tree: what is being typed is seldom valid JSON, and jsonc::parse falls back to tree-sitter for
// any flaw, which costs over a millisecond on a large file. One pass over the text per call, with
// the recovery an editor needs (a missing comma, a string without its closing quote).
#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "syntax/json_tokens.h"

namespace envbuilder::language::devcontainer_editor {

// A key's decoded text (between its quotes; an open string runs to its end).
std::string key_text(std::string_view src, const json::Token& t);

// Where the next member of an object goes: Key (after '{' or ','), AfterKey, Value (after ':'),
// AfterValue. A string met in AfterValue is read as the next key: a missing comma is the most
// common slip while typing.
enum class State : uint8_t { Key, AfterKey, Value, AfterValue };

struct Frame {
    bool object = true;
    std::string segment;  // the key (or "*" for an array item) this container is the value of
    State state = State::Key;
    std::string key;                                   // the last key read
    std::vector<std::pair<std::string, size_t>> keys;  // every key of the object, with its offset
};

// The cursor's surroundings: the container it is in and the token it is inside, if any.
struct Context {
    bool found = false;
    std::vector<std::string> path;  // segments from the root to the cursor's container
    bool object = false;
    State state = State::Key;
    std::string key;
    std::optional<json::Token> token;  // a String or Literal the cursor is inside
    std::vector<std::string> present;  // keys of the cursor's object, the one being typed excluded
};

// How many containers stay open when `closer` ('}' or ']') arrives in a stack of frames with an
// `object` flag: the innermost container of its kind closes with every one inside it
// (`{ "a": [ }` closes both). nullopt when none is of its kind: the closer is ignored.
template <class Stack>
std::optional<size_t> open_after_closer(const Stack& stack, json::TokenType closer) {
    const bool object = closer == json::TokenType::RBrace;
    auto match = std::find_if(stack.rbegin(), stack.rend(),
                              [&](const auto& c) { return c.object == object; });
    if (match == stack.rend()) return std::nullopt;
    return static_cast<size_t>(stack.rend() - match) - 1;
}

// The cursor's surroundings in `src`, or nullopt when the cursor is in a comment or outside any
// object or array. `hover`: the token at `cursor` is the one whose characters include it
// (either end counts, as in Range::contains); for completion the cursor must be past the
// token's start.
std::optional<Context> scan_context(std::string_view src, size_t cursor, bool hover = false);

}  // namespace envbuilder::language::devcontainer_editor
