#pragma once
// The one decoder of JSON string literals, shared by every JSON reader in the engine (jsonc's
// parsers, the exec form's string arrays, the devcontainer editor features), so that they
// cannot disagree on what a string says. It never gives up: each problem is reported with its
// byte range and the offending text is kept verbatim, which lets a strict reader reject and a
// forgiving one carry on.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace envbuilder::json {

enum class StringProblem {
    LineBreak,           // a raw "\n" or "\r": JSON strings cannot span lines
    ControlCharacter,    // another raw character below U+0020
    LoneBackslash,       // a backslash at the very end of the body
    ShortUnicodeEscape,  // "\u" without four hexadecimal digits
    UnknownEscape,       // "\x", "\'", ... (the range covers the whole UTF-8 character)
};

// Appends code point `cp` (at most U+10FFFF, no surrogate) as UTF-8.
void append_utf8(std::string& out, uint32_t cp);

// The four hexadecimal digits at `s[at]`, if there are four.
bool read_hex4(std::string_view s, size_t at, uint32_t& out);

// Decodes the body of a JSON string (the text between its quotes) to UTF-8. Problems go to
// `on_problem(problem, begin, end)` with byte offsets into `body`. A surrogate pair becomes its
// code point; a lone surrogate has no UTF-8 form and becomes U+FFFD (as in JSON.parse).
// A template so that a reader's callback is inlined: most strings have no escapes at all and
// decoding them must stay a copy.
template <class OnProblem>
std::string decode_string_body(std::string_view body, OnProblem&& on_problem) {
    std::string out;
    out.reserve(body.size());
    size_t i = 0;
    while (i < body.size()) {
        size_t run = i;
        while (run < body.size() && body[run] != '\\' &&
               static_cast<unsigned char>(body[run]) >= 0x20)
            ++run;
        out.append(body.substr(i, run - i));
        i = run;
        if (i >= body.size()) break;
        const char c = body[i];
        if (c != '\\') {
            on_problem(
                c == '\n' || c == '\r' ? StringProblem::LineBreak : StringProblem::ControlCharacter,
                i, i + 1);
            out += c;
            ++i;
            continue;
        }
        if (i + 1 >= body.size()) {
            on_problem(StringProblem::LoneBackslash, i, i + 1);
            out += '\\';
            ++i;
            continue;
        }
        const char e = body[i + 1];
        char simple = 0;
        switch (e) {
            case '"':
                simple = '"';
                break;
            case '\\':
                simple = '\\';
                break;
            case '/':
                simple = '/';
                break;
            case 'b':
                simple = '\b';
                break;
            case 'f':
                simple = '\f';
                break;
            case 'n':
                simple = '\n';
                break;
            case 'r':
                simple = '\r';
                break;
            case 't':
                simple = '\t';
                break;
            default:
                break;
        }
        if (simple) {
            out += simple;
            i += 2;
            continue;
        }
        if (e == 'u') {
            uint32_t cp = 0;
            if (!read_hex4(body, i + 2, cp)) {
                on_problem(StringProblem::ShortUnicodeEscape, i, std::min(body.size(), i + 6));
                out.append(body.substr(i, 2));
                i += 2;
                continue;
            }
            i += 6;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                uint32_t low = 0;
                if (i + 1 < body.size() && body[i] == '\\' && body[i + 1] == 'u' &&
                    read_hex4(body, i + 2, low) && low >= 0xDC00 && low <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    i += 6;
                } else {
                    cp = 0xFFFD;
                }
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                cp = 0xFFFD;
            }
            append_utf8(out, cp);
            continue;
        }
        // Include a whole UTF-8 sequence after the backslash in the range.
        size_t len = 1;
        const auto lead = static_cast<unsigned char>(e);
        if ((lead >> 5) == 0x6)
            len = 2;
        else if ((lead >> 4) == 0xE)
            len = 3;
        else if ((lead >> 3) == 0x1E)
            len = 4;
        len = std::min(len, body.size() - i - 1);
        on_problem(StringProblem::UnknownEscape, i, i + 1 + len);
        out.append(body.substr(i, 1 + len));
        i += 1 + len;
    }
    return out;
}

// The body decoded, ignoring problems: for editor features, which show what was typed.
std::string decode_string_body_leniently(std::string_view body);

// The body decoded, or false at the first problem: for readers that accept only valid JSON.
bool decode_string_body_strictly(std::string_view body, std::string& out);

}  // namespace envbuilder::json
