#include "syntax/source_text.h"

#include <algorithm>

namespace envbuilder {

namespace {

// Length in bytes of the UTF-8 sequence starting with `lead`; 1 for invalid lead bytes so that a
// broken document still advances.
size_t sequence_length(unsigned char lead) {
    if (lead < 0x80) return 1;
    if ((lead >> 5) == 0x6) return 2;
    if ((lead >> 4) == 0xE) return 3;
    if ((lead >> 3) == 0x1E) return 4;
    return 1;
}

}  // namespace

uint32_t utf16_length(std::string_view s) {
    uint32_t units = 0;
    for (size_t i = 0; i < s.size();) {
        size_t n = sequence_length(static_cast<unsigned char>(s[i]));
        units += (n == 4) ? 2 : 1;
        i += std::min(n, s.size() - i);
    }
    return units;
}

SourceText::SourceText(std::string text) : text_(std::move(text)) {
    starts_.push_back(0);
    bool ascii = true;
    for (size_t i = 0; i < text_.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(text_[i]);
        if (c >= 0x80) ascii = false;
        if (c == '\n') {
            ascii_.push_back(ascii);
            ascii = true;
            starts_.push_back(i + 1);
        }
    }
    ascii_.push_back(ascii);
}

std::string_view SourceText::line(uint32_t n) const {
    if (n >= starts_.size()) return {};
    size_t begin = starts_[n];
    size_t end = (n + 1 < starts_.size()) ? starts_[n + 1] - 1 : text_.size();
    if (end > begin && text_[end - 1] == '\r') --end;
    return std::string_view(text_).substr(begin, end - begin);
}

uint32_t SourceText::utf16_column(uint32_t line_no, size_t byte_column) const {
    std::string_view l = line(line_no);
    byte_column = std::min(byte_column, l.size());
    if (line_no < ascii_.size() && ascii_[line_no]) return static_cast<uint32_t>(byte_column);
    return utf16_length(l.substr(0, byte_column));
}

size_t SourceText::byte_column(uint32_t line_no, uint32_t utf16_col) const {
    std::string_view l = line(line_no);
    if (line_no < ascii_.size() && ascii_[line_no]) return std::min<size_t>(utf16_col, l.size());
    uint32_t units = 0;
    size_t i = 0;
    while (i < l.size() && units < utf16_col) {
        size_t n = sequence_length(static_cast<unsigned char>(l[i]));
        units += (n == 4) ? 2 : 1;
        i += std::min(n, l.size() - i);
    }
    return i;
}

Position SourceText::position_at(size_t offset) const {
    offset = std::min(offset, text_.size());
    auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
    uint32_t line_no = static_cast<uint32_t>(it - starts_.begin() - 1);
    return from_bytes(line_no, offset - starts_[line_no]);
}

size_t SourceText::offset_at(Position p) const {
    if (p.line >= starts_.size()) return text_.size();
    return starts_[p.line] + byte_column(p.line, p.character);
}

Position SourceText::encode(Position p, PositionEncoding to) const {
    if (to == PositionEncoding::Utf16) return p;
    return {p.line, static_cast<uint32_t>(byte_column(p.line, p.character))};
}

Position SourceText::decode(Position p, PositionEncoding from) const {
    if (from == PositionEncoding::Utf16) return p;
    return {p.line, utf16_column(p.line, p.character)};
}

}  // namespace envbuilder
