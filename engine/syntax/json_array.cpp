#include "syntax/json_array.h"

#include <cstdio>

#include "syntax/json_string.h"
#include "syntax/json_tokens.h"

namespace envbuilder::dockerfile {

std::optional<std::vector<std::string>> parse_json_string_array(
    std::string_view t, std::vector<std::pair<size_t, size_t>>* spans) {
    if (spans) spans->clear();
    // JSON's space is ' ', '\t', '\r' and '\n'; the tokenizer also skips '\f' and '\v', which
    // are wrong anywhere here (raw in a string they are control characters).
    if (t.find_first_of("\f\v") != std::string_view::npos) return std::nullopt;
    json::Tokenizer tokens(t);
    json::Token tok;
    auto next = [&](json::TokenType type) { return tokens.next(tok) && tok.type == type; };
    if (!next(json::TokenType::LBracket)) return std::nullopt;
    std::vector<std::string> values;
    if (!tokens.next(tok)) return std::nullopt;
    if (tok.type != json::TokenType::RBracket) {
        for (;;) {
            if (tok.type != json::TokenType::String || tok.open) return std::nullopt;
            std::string value;
            if (!json::decode_string_body_strictly(json::string_body(t, tok), value))
                return std::nullopt;
            values.push_back(std::move(value));
            if (spans) spans->emplace_back(tok.begin, tok.end);
            if (!tokens.next(tok)) return std::nullopt;
            if (tok.type == json::TokenType::RBracket) break;
            if (tok.type != json::TokenType::Comma || !tokens.next(tok)) return std::nullopt;
        }
    }
    if (tokens.next(tok)) return std::nullopt;  // anything after the array, comments included
    return values;
}

std::string json_quote(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\r':
                out += "\\r";
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out.push_back(c);
                }
        }
    }
    out.push_back('"');
    return out;
}

}  // namespace envbuilder::dockerfile
