#pragma once
// The one JSON tokenizer: splits JSON with comments into tokens without judging it, for every
// reader in the engine (jsonc's fast path, the exec form's string arrays, the devcontainer
// editor features). What is being typed is seldom valid JSON, so nothing here fails: a string
// missing its closing quote ends at the line break (JSON strings cannot span lines) and is
// marked open, and anything unexpected is a Literal. Readers decide what is acceptable.
// Iterative, one token at a time: nesting costs the tokenizer nothing, depth limits belong to
// the readers that recurse.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace envbuilder::json {

enum class TokenType : uint8_t {
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    Colon,
    Comma,
    String,   // from its opening quote to its closing one (or the line break when open)
    Literal,  // a run of other characters: numbers, true/false/null, or a mistake
    Comment   // `// ...` up to the line break, or `/* ... */`
};

struct Token {
    TokenType type = TokenType::Literal;
    size_t begin = 0;  // byte offsets into the text, [begin, end)
    size_t end = 0;
    bool open = false;  // a string or comment that runs to the end of its line or of the text
    uint32_t line = 0;  // the 0-based line `begin` is on, and that line's first byte: with these
    size_t line_start = 0;  // a reader gets LSP positions without searching the line table
};

class Tokenizer {
  public:
    // `from`: where to start, e.g. after a byte order mark.
    explicit Tokenizer(std::string_view text, size_t from = 0) : s_(text), i_(from) {}

    // The next token, false at the end of the text. Space is ' ', '\t', '\r', '\n', '\f' and
    // '\v' (as for tree-sitter-json); lines end at '\n'.
    bool next(Token& t);

    // The line and line start where the tokenizer stands: after a multi-line block comment,
    // the comment's last line.
    uint32_t line() const { return line_; }
    size_t line_start() const { return line_start_; }

  private:
    bool single(Token& t, TokenType type);
    bool string(Token& t);
    void count_lines(size_t from, size_t to);

    std::string_view s_;
    size_t i_ = 0;
    uint32_t line_ = 0;
    size_t line_start_ = 0;
};

// The text between a String token's quotes (to its end when open).
inline std::string_view string_body(std::string_view text, const Token& t) {
    return text.substr(t.begin + 1, t.end - t.begin - (t.open ? 1 : 2));
}

}  // namespace envbuilder::json
