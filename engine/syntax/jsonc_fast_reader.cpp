#include "syntax/jsonc_fast_reader.h"

#include "syntax/json_string.h"
#include "syntax/json_tokens.h"
#include "syntax/jsonc_reporter.h"

namespace envbuilder::jsonc::detail {

namespace {

using json::TokenType;

// -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? and nothing else: "01", "1.", "1.2.3" and "1x"
// are left to tree-sitter's path, which explains them.
bool is_json_number(std::string_view s) {
    size_t i = 0;
    auto digits = [&] {
        size_t from = i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
        return i > from;
    };
    if (i < s.size() && s[i] == '-') ++i;
    if (i < s.size() && s[i] == '0')
        ++i;
    else if (!digits())
        return false;
    if (i < s.size() && s[i] == '.') {
        ++i;
        if (!digits()) return false;
    }
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
        if (!digits()) return false;
    }
    return i == s.size();
}

class FastReader : Reporter {
  public:
    using Reporter::Reporter;

    std::optional<Value> read() {
        const size_t mark = diagnostics_.size();
        const size_t from = src_.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;  // byte order mark
        tokens_ = json::Tokenizer(src_, from);
        Value root;
        if (advance() && have_ && read_value(root, 0) && advance() && !have_) return root;
        diagnostics_.resize(
            mark);  // e.g. duplicate keys found before giving up: reported again later
        return std::nullopt;
    }

  private:
    // Moves to the next token that is not a comment; false on an unclosed block comment.
    bool advance() {
        do {
            have_ = tokens_.next(tok_);
            if (!have_) return true;
            if (tok_.type == TokenType::Comment && tok_.open && src_[tok_.begin + 1] == '*')
                return false;
        } while (tok_.type == TokenType::Comment);
        return true;
    }

    // Strings and the other single tokens never span lines.
    Position start_of(const json::Token& t) const {
        return text_.from_bytes(t.line, t.begin - t.line_start);
    }
    Position end_of(const json::Token& t) const {
        return text_.from_bytes(t.line, t.end - t.line_start);
    }

    bool read_string(std::string& out) {
        return tok_.type == TokenType::String && !tok_.open &&
               json::decode_string_body_strictly(json::string_body(src_, tok_), out);
    }

    // Reads the value that starts at the current token and stops on its last token.
    bool read_value(Value& v, int depth) {
        if (!have_ || depth > kMaxDepth) return false;
        v.start_byte = static_cast<uint32_t>(tok_.begin);
        v.range.start = start_of(tok_);
        bool ok = false;
        switch (tok_.type) {
            case TokenType::LBrace:
                ok = read_object(v, depth);
                break;
            case TokenType::LBracket:
                ok = read_array(v, depth);
                break;
            case TokenType::String:
                v.kind = Kind::String;
                ok = read_string(v.string);
                break;
            case TokenType::Literal:
                ok = read_literal(v);
                break;
            default:
                break;
        }
        if (!ok) return false;
        v.end_byte = static_cast<uint32_t>(tok_.end);
        v.range.end = end_of(tok_);
        return true;
    }

    bool read_literal(Value& v) {
        const std::string_view word = src_.substr(tok_.begin, tok_.end - tok_.begin);
        if (word == "true" || word == "false") {
            v.kind = Kind::Boolean;
            v.boolean = word == "true";
            return true;
        }
        if (word == "null") {
            v.kind = Kind::Null;
            return true;
        }
        if (!is_json_number(word)) return false;
        v.kind = Kind::Number;
        if (word.find('+') == std::string_view::npos) {
            set_number(v, word);
        } else {
            std::string unsigned_exponent(word);  // from_chars wants no '+'
            unsigned_exponent.erase(unsigned_exponent.find('+'), 1);
            set_number(v, unsigned_exponent);
        }
        return true;
    }

    bool read_object(Value& v, int depth) {
        v.kind = Kind::Object;
        if (!advance() || !have_) return false;
        if (tok_.type == TokenType::RBrace) return true;
        for (;;) {
            Member& m = v.members.emplace_back();  // a trailing comma fails here: '}' is no key
            m.key_range = {start_of(tok_), end_of(tok_)};
            if (!read_string(m.key)) return false;
            if (!advance() || !have_ || tok_.type != TokenType::Colon) return false;
            if (!advance() || !read_value(m.value, depth + 1) || !advance() || !have_) return false;
            if (tok_.type == TokenType::RBrace) {
                check_duplicates(v);
                return true;
            }
            if (tok_.type != TokenType::Comma || !advance() || !have_) return false;
        }
    }

    bool read_array(Value& v, int depth) {
        v.kind = Kind::Array;
        if (!advance() || !have_) return false;
        if (tok_.type == TokenType::RBracket) return true;
        for (;;) {
            if (!read_value(v.items.emplace_back(), depth + 1) || !advance() || !have_)
                return false;
            if (tok_.type == TokenType::RBracket) return true;
            if (tok_.type != TokenType::Comma || !advance()) return false;
        }
    }

    json::Tokenizer tokens_{std::string_view{}};
    json::Token tok_;
    bool have_ = false;
};

}  // namespace

std::optional<Value> read_flawless(const SourceText& text, std::vector<Diagnostic>& diagnostics) {
    return FastReader(text, diagnostics).read();
}

}  // namespace envbuilder::jsonc::detail
