#include "syntax/logical_line.h"

#include <algorithm>

namespace envbuilder::dockerfile {

void LogicalLine::append(uint32_t line, size_t byte_column, size_t length) {
    pieces_.push_back({text_.size(), length, line, byte_column});
    text_.append(source_->text(), source_->line_start(line) + byte_column, length);
}

Position LogicalLine::start_of(size_t i) const {
    if (pieces_.empty()) return {};
    // The last piece that starts at or before i; an offset at a piece's end belongs to the next.
    auto it = std::upper_bound(pieces_.begin(), pieces_.end(), i,
                               [](size_t v, const Piece& p) { return v < p.joined; });
    const Piece& p = *(it == pieces_.begin() ? it : it - 1);
    size_t within = std::min(i - std::min(i, p.joined), p.length);
    return source_->from_bytes(p.line, p.byte_column + within);
}

Position LogicalLine::end_of(size_t i) const {
    if (pieces_.empty()) return {};
    // The first piece that ends at or after i, so an end never spills onto the next line.
    auto it = std::lower_bound(pieces_.begin(), pieces_.end(), i,
                               [](const Piece& p, size_t v) { return p.joined + p.length < v; });
    if (it == pieces_.end()) --it;
    size_t within = std::min(i - std::min(i, it->joined), it->length);
    return source_->from_bytes(it->line, it->byte_column + within);
}

}  // namespace envbuilder::dockerfile
