#pragma once
// A Dockerfile instruction spread over continuation lines, joined into one string, with the map
// back to source positions so that anything found in the joined text gets an exact range.
#include <string>
#include <vector>

#include "syntax/source_text.h"

namespace envbuilder::dockerfile {

class LogicalLine {
public:
    explicit LogicalLine(const SourceText& source) : source_(&source) {}

    // Appends `length` bytes of source line `line`, starting at `byte_column`, to the joined text.
    void append(uint32_t line, size_t byte_column, size_t length);

    const std::string& text() const { return text_; }
    // Source position of joined offset `i` as the start of something.
    Position start_of(size_t i) const;
    // Source position just after joined offset `i - 1`, as the end of something.
    Position end_of(size_t i) const;
    Range range(size_t begin, size_t end) const { return {start_of(begin), end_of(end)}; }

private:
    struct Piece {
        size_t joined;  // offset in text_
        size_t length;
        uint32_t line;       // the source line the piece comes from
        size_t byte_column;  // where on that line it starts
    };
    const SourceText* source_;
    std::string text_;
    std::vector<Piece> pieces_;
};

}  // namespace envbuilder::dockerfile
