#include "syntax/json_tokens.h"

namespace envbuilder::json {

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

bool is_structural(char c) {
    return c == '{' || c == '}' || c == '[' || c == ']' || c == ':' || c == ',' || c == '"';
}

}  // namespace

void Tokenizer::count_lines(size_t from, size_t to) {
    for (size_t i = from; i < to; ++i) {
        if (s_[i] == '\n') {
            ++line_;
            line_start_ = i + 1;
        }
    }
}

bool Tokenizer::next(Token& t) {
    while (i_ < s_.size() && is_space(s_[i_])) {
        if (s_[i_] == '\n') {
            ++line_;
            line_start_ = i_ + 1;
        }
        ++i_;
    }
    if (i_ >= s_.size()) return false;
    t = Token{};
    t.begin = i_;
    t.line = line_;
    t.line_start = line_start_;
    const char c = s_[i_];
    switch (c) {
        case '{':
            return single(t, TokenType::LBrace);
        case '}':
            return single(t, TokenType::RBrace);
        case '[':
            return single(t, TokenType::LBracket);
        case ']':
            return single(t, TokenType::RBracket);
        case ':':
            return single(t, TokenType::Colon);
        case ',':
            return single(t, TokenType::Comma);
        case '"':
            return string(t);
        default:
            break;
    }
    if (c == '/' && i_ + 1 < s_.size() && s_[i_ + 1] == '/') {
        const size_t eol = s_.find('\n', i_);
        i_ = eol == std::string_view::npos ? s_.size() : eol;
        if (i_ > t.begin && s_[i_ - 1] == '\r') --i_;
        t.type = TokenType::Comment;
        t.open = true;  // a cursor at its end is still in the comment
        t.end = i_;
        return true;
    }
    if (c == '/' && i_ + 1 < s_.size() && s_[i_ + 1] == '*') {
        const size_t close = s_.find("*/", i_ + 2);
        t.type = TokenType::Comment;
        t.open = close == std::string_view::npos;
        i_ = t.open ? s_.size() : close + 2;
        t.end = i_;
        count_lines(t.begin, t.end);
        return true;
    }
    t.type = TokenType::Literal;
    ++i_;
    while (i_ < s_.size() && !is_space(s_[i_]) && !is_structural(s_[i_]) &&
           !(s_[i_] == '/' && i_ + 1 < s_.size() && (s_[i_ + 1] == '/' || s_[i_ + 1] == '*')))
        ++i_;
    t.end = i_;
    return true;
}

bool Tokenizer::single(Token& t, TokenType type) {
    t.type = type;
    t.end = ++i_;
    return true;
}

bool Tokenizer::string(Token& t) {
    t.type = TokenType::String;
    ++i_;
    while (i_ < s_.size()) {
        const char c = s_[i_];
        if (c == '"') {
            t.end = ++i_;
            return true;
        }
        if (c == '\n' || c == '\r') break;
        i_ += (c == '\\' && i_ + 1 < s_.size() && s_[i_ + 1] != '\n') ? 2 : 1;
    }
    t.open = true;
    t.end = i_;
    return true;
}

}  // namespace envbuilder::json
