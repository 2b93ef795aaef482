#include "syntax/json_array.h"

#include <cstdio>

namespace envbuilder::dockerfile {

namespace {

bool is_json_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

void append_utf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

bool read_hex4(std::string_view t, size_t& i, uint32_t& v) {
    if (i + 4 > t.size()) return false;
    v = 0;
    for (int k = 0; k < 4; ++k) {
        int h = hex_value(t[i + k]);
        if (h < 0) return false;
        v = v * 16 + static_cast<uint32_t>(h);
    }
    i += 4;
    return true;
}

// Reads a JSON string starting at t[i] == '"'; leaves i after the closing quote.
bool read_string(std::string_view t, size_t& i, std::string& out) {
    ++i;
    while (i < t.size()) {
        char c = t[i++];
        if (c == '"') return true;
        if (static_cast<unsigned char>(c) < 0x20) return false;
        if (c != '\\') {
            out.push_back(c);
            continue;
        }
        if (i >= t.size()) return false;
        char e = t[i++];
        switch (e) {
            case '"': out.push_back('"'); break;
            case '\\': out.push_back('\\'); break;
            case '/': out.push_back('/'); break;
            case 'b': out.push_back('\b'); break;
            case 'f': out.push_back('\f'); break;
            case 'n': out.push_back('\n'); break;
            case 'r': out.push_back('\r'); break;
            case 't': out.push_back('\t'); break;
            case 'u': {
                uint32_t cp;
                if (!read_hex4(t, i, cp)) return false;
                if (cp >= 0xD800 && cp < 0xDC00 && i + 1 < t.size() && t[i] == '\\' && t[i + 1] == 'u') {
                    size_t save = i;
                    i += 2;
                    uint32_t low;
                    if (read_hex4(t, i, low) && low >= 0xDC00 && low < 0xE000) {
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    } else {
                        i = save;
                    }
                }
                append_utf8(out, cp);
                break;
            }
            default:
                return false;
        }
    }
    return false;
}

}  // namespace

std::optional<std::vector<std::string>> parse_json_string_array(
    std::string_view t, std::vector<std::pair<size_t, size_t>>* spans) {
    std::vector<std::string> values;
    if (spans) spans->clear();
    size_t i = 0;
    auto skip = [&] {
        while (i < t.size() && is_json_space(t[i])) ++i;
    };
    skip();
    if (i >= t.size() || t[i] != '[') return std::nullopt;
    ++i;
    skip();
    if (i < t.size() && t[i] == ']') {
        ++i;
    } else {
        while (true) {
            skip();
            if (i >= t.size() || t[i] != '"') return std::nullopt;
            size_t begin = i;
            std::string value;
            if (!read_string(t, i, value)) return std::nullopt;
            values.push_back(std::move(value));
            if (spans) spans->emplace_back(begin, i);
            skip();
            if (i < t.size() && t[i] == ',') {
                ++i;
                continue;
            }
            if (i < t.size() && t[i] == ']') {
                ++i;
                break;
            }
            return std::nullopt;
        }
    }
    skip();
    if (i != t.size()) return std::nullopt;
    return values;
}

std::string json_quote(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            case '\r': out += "\\r"; break;
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
