#include "syntax/jsonc_reporter.h"

#include <charconv>
#include <cstdio>
#include <limits>
#include <unordered_map>

#include "syntax/json_string.h"

namespace envbuilder::jsonc::detail {

using json::StringProblem;

bool is_identifier_start(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
}

// A short, single-line excerpt of source text for messages.
std::string excerpt(std::string_view s) {
    size_t eol = s.find_first_of("\r\n");
    if (eol != std::string_view::npos) s = s.substr(0, eol);
    if (s.size() > 24) return std::string(s.substr(0, 24)) + "...";
    return std::string(s);
}

Range Reporter::byte_range(size_t start, size_t end) const {
    return {text_.position_at(start), text_.position_at(end)};
}

std::string_view Reporter::text_of(uint32_t start, uint32_t end) const {
    if (start > src_.size()) return {};
    return src_.substr(start, std::min<size_t>(end, src_.size()) - start);
}

void Reporter::report(const char* code, Severity severity, Range range, std::string message,
                      std::optional<Fix> fix) {
    Diagnostic d;
    d.code = code;
    d.severity = severity;
    d.range = range;
    d.message = std::move(message);
    d.fix = std::move(fix);
    diagnostics_.push_back(std::move(d));
}

void Reporter::syntax_error(Range range, std::string message) {
    report(kJsonSyntax, Severity::Error, range, std::move(message));
}

void Reporter::too_deep(Range range) {
    if (reported_depth_) return;
    reported_depth_ = true;
    syntax_error(range, "The JSON is nested more than " + std::to_string(kMaxDepth) +
                            " levels deep; the deeper part is ignored");
}

Value Reporter::placeholder(Range range, uint32_t start, uint32_t end) const {
    Value v;
    v.kind = Kind::Invalid;
    v.range = range;
    v.start_byte = start;
    v.end_byte = end;
    return v;
}

// Decodes a string body (between the quotes), reporting bad escapes and raw control
// characters at their exact place. `body_offset` is the body's byte offset in the source.
std::string Reporter::decode(std::string_view body, size_t body_offset, uint32_t string_start) {
    bool reported_line_break = false;
    return json::decode_string_body(body, [&](StringProblem problem, size_t begin, size_t end) {
        size_t at = body_offset + begin;
        switch (problem) {
            case StringProblem::LineBreak:
                if (reported_line_break) return;
                reported_line_break = true;
                syntax_error(byte_range(string_start, at),
                             "A string cannot continue on the next line: close it with '\"' "
                             "or write the line break as \\n");
                return;
            case StringProblem::ControlCharacter: {
                char hex[8];
                snprintf(hex, sizeof hex, "%04X",
                         static_cast<unsigned>(static_cast<unsigned char>(body[begin])));
                syntax_error(byte_range(at, body_offset + end),
                             std::string("Control character U+") + hex +
                                 " must be escaped inside a string (e.g. \\t or \\u" + hex + ")");
                return;
            }
            case StringProblem::LoneBackslash:
                syntax_error(byte_range(at, body_offset + end),
                             "A backslash must start an escape sequence such as \\\\ or \\n");
                return;
            case StringProblem::ShortUnicodeEscape:
                syntax_error(byte_range(at, body_offset + end),
                             "\\u must be followed by exactly four hexadecimal digits");
                return;
            case StringProblem::UnknownEscape:
                syntax_error(byte_range(at, body_offset + end),
                             "Invalid escape sequence '" +
                                 std::string(body.substr(begin, end - begin)) +
                                 "': use one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX");
                return;
        }
    });
}

void Reporter::set_number(Value& v, std::string_view raw) {
    const char* first = raw.data();
    const char* last = raw.data() + raw.size();
    auto [ptr, ec] = std::from_chars(first, last, v.number);
    if (ec == std::errc::result_out_of_range) {
        // Beyond a double's reach: keep the nearest thing a double can hold.
        bool tiny =
            raw.find("e-") != std::string_view::npos || raw.find("E-") != std::string_view::npos;
        double inf = std::numeric_limits<double>::infinity();
        v.number = tiny ? 0.0 : (raw.front() == '-' ? -inf : inf);
        return;
    }
    // tree-sitter-json accepts "1." which JSON does not.
    bool dangling_point = raw.find('.') != std::string_view::npos &&
                          (raw.back() == '.' || raw.find(".e") != std::string_view::npos ||
                           raw.find(".E") != std::string_view::npos);
    if (ec != std::errc() || ptr != last || dangling_point) {
        syntax_error(v.range, "Invalid number '" + excerpt(raw) + "': a digit must follow '.'");
    }
}

void Reporter::report_empty() {
    syntax_error({{0, 0}, {0, 0}}, "The document is empty: expected a JSON value such as {}");
}

void Reporter::check_duplicates(const Value& object) {
    const auto& members = object.members;
    if (members.size() < 2) return;
    auto report_duplicate = [&](size_t later, size_t earlier) {
        report(kDuplicateProperty, Severity::Warning, members[later].key_range,
               "Property \"" + members[later].key + "\" is already defined on line " +
                   std::to_string(members[earlier].key_range.start.line + 1) +
                   "; this later value replaces it");
    };
    if (members.size() <= 16) {
        for (size_t i = 1; i < members.size(); ++i) {
            for (size_t j = 0; j < i; ++j) {
                if (members[i].key == members[j].key) {
                    report_duplicate(i, j);
                    break;
                }
            }
        }
        return;
    }
    std::unordered_map<std::string_view, size_t> first_seen;
    first_seen.reserve(members.size());
    for (size_t i = 0; i < members.size(); ++i) {
        auto [it, inserted] = first_seen.emplace(members[i].key, i);
        if (!inserted) report_duplicate(i, it->second);
    }
}

}  // namespace envbuilder::jsonc::detail
