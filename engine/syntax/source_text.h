#pragma once
// A document's text with a line table. Ranges across the engine are LSP-style: 0-based line and
// a column counted in UTF-16 code units (what LSP clients use unless they negotiate UTF-8).
// The parsers work on byte offsets and convert here, once, when they make a node.
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace envbuilder {

struct Position {
    uint32_t line = 0;
    uint32_t character = 0;
    auto operator<=>(const Position&) const = default;
};

struct Range {
    Position start;
    Position end;
    bool operator==(const Range&) const = default;
    bool contains(Position p) const { return start <= p && p <= end; }
};

enum class PositionEncoding { Utf16, Utf8 };

class SourceText {
public:
    SourceText() : SourceText(std::string{}) {}
    explicit SourceText(std::string text);

    const std::string& text() const { return text_; }
    uint32_t line_count() const { return static_cast<uint32_t>(starts_.size()); }
    // The line without its terminator ("\n" or "\r\n").
    std::string_view line(uint32_t n) const;
    size_t line_start(uint32_t n) const { return starts_.at(n); }

    // Byte column on a line -> UTF-16 column, and back. Out-of-range columns clamp to the line end.
    uint32_t utf16_column(uint32_t line, size_t byte_column) const;
    size_t byte_column(uint32_t line, uint32_t utf16_column) const;

    Position from_bytes(uint32_t line, size_t byte_column) const {
        return {line, utf16_column(line, byte_column)};
    }
    // Absolute byte offset -> UTF-16 position.
    Position position_at(size_t offset) const;
    // UTF-16 position -> absolute byte offset (clamped to the document).
    size_t offset_at(Position p) const;

    // Converts a UTF-16 position/range to the given encoding and back.
    Position encode(Position utf16, PositionEncoding to) const;
    Position decode(Position encoded, PositionEncoding from) const;
    Range encode(Range r, PositionEncoding to) const { return {encode(r.start, to), encode(r.end, to)}; }
    Range decode(Range r, PositionEncoding from) const {
        return {decode(r.start, from), decode(r.end, from)};
    }

private:
    std::string text_;
    std::vector<size_t> starts_;
    std::vector<uint32_t> lengths_;  // content length of each line, terminator excluded
    std::vector<uint8_t> ascii_;     // per line: every byte < 0x80, so UTF-16 column == byte column
};

// Counts UTF-16 code units in a UTF-8 string (invalid bytes count as one unit each).
uint32_t utf16_length(std::string_view utf8);

}  // namespace envbuilder
