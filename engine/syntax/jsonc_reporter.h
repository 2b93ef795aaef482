#pragma once
// jsonc's parsers share this: how they report problems, decode strings and numbers, and find
// duplicate keys, so that every path gives the same diagnostics for the same text. Internal to
// syntax/jsonc*.cpp.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "syntax/jsonc.h"

namespace envbuilder::jsonc::detail {

// Far deeper than any real configuration; the limit keeps the recursion off the stack's edge.
inline constexpr int kMaxDepth = 256;

bool is_identifier_start(char c);

// A short, single-line excerpt of source text for messages.
std::string excerpt(std::string_view s);

class Reporter {
  public:
    Reporter(const SourceText& text, std::vector<Diagnostic>& diagnostics)
        : text_(text), src_(text.text()), diagnostics_(diagnostics) {}
    Reporter(const Reporter&) = delete;
    Reporter& operator=(const Reporter&) = delete;

  protected:
    Range byte_range(size_t start, size_t end) const;
    std::string_view text_of(uint32_t start, uint32_t end) const;
    void report(const char* code, Severity severity, Range range, std::string message,
                std::optional<Fix> fix = std::nullopt);
    void syntax_error(Range range, std::string message);
    // Once per document: the first place that is too deep says it for all.
    void too_deep(Range range);
    void report_empty();
    Value placeholder(Range range, uint32_t start, uint32_t end) const;

    // Decodes a string body (between the quotes), reporting bad escapes and raw control
    // characters at their exact place. `body_offset` is the body's byte offset in the source.
    std::string decode(std::string_view body, size_t body_offset, uint32_t string_start);
    // Sets a Number's value from its text, reporting what JSON does not allow.
    void set_number(Value& v, std::string_view raw);
    void check_duplicates(const Value& object);

    const SourceText& text_;
    std::string_view src_;
    std::vector<Diagnostic>& diagnostics_;
    bool reported_depth_ = false;
};

}  // namespace envbuilder::jsonc::detail
