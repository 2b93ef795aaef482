#include "syntax/source_text.h"

#include <algorithm>
#include <cstring>

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
    const char* data = text_.data();
    const size_t size = text_.size();
    size_t begin = 0;
    while (true) {
        const void* nl = std::memchr(data + begin, '\n', size - begin);
        size_t end = nl ? static_cast<size_t>(static_cast<const char*>(nl) - data) : size;
        size_t content_end = (end > begin && data[end - 1] == '\r') ? end - 1 : end;
        unsigned char high = 0;
        for (size_t i = begin; i < end; ++i) high |= static_cast<unsigned char>(data[i]);
        starts_.push_back(begin);
        lengths_.push_back(static_cast<uint32_t>(content_end - begin));
        ascii_.push_back(high < 0x80);
        if (!nl) break;
        begin = end + 1;
    }
}

std::string_view SourceText::line(uint32_t n) const {
    if (n >= starts_.size()) return {};
    return std::string_view(text_).substr(starts_[n], lengths_[n]);
}

uint32_t SourceText::utf16_column(uint32_t line_no, size_t byte_column) const {
    if (line_no >= starts_.size()) return 0;
    byte_column = std::min<size_t>(byte_column, lengths_[line_no]);
    if (ascii_[line_no]) return static_cast<uint32_t>(byte_column);
    return utf16_length(line(line_no).substr(0, byte_column));
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
