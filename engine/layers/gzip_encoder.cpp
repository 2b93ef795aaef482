#include "layers/gzip_encoder.h"

#include <array>
#include <cmath>
#include <stdexcept>

namespace envbuilder::layers {

namespace {

// Big enough that choosing a level per chunk costs nothing measurable, small enough to follow
// a tar that alternates text files and compressed ones.
constexpr size_t chunk_size = 256 * 1024;
constexpr size_t out_size = 256 * 1024;
constexpr double incompressible_bits_per_byte = 7.9;

}  // namespace

bool looks_incompressible(std::string_view bytes) {
    if (bytes.size() < 4096) return false;
    std::array<uint64_t, 256> counts{};
    // Four spread windows are as telling as the whole chunk and cost an eighth of it.
    constexpr size_t windows = 4, window = 8 * 1024;
    uint64_t counted = 0;
    const size_t stride = bytes.size() / windows;
    for (size_t w = 0; w < windows; ++w)
        for (unsigned char c : bytes.substr(w * stride, std::min(window, stride))) {
            ++counts[c];
            ++counted;
        }
    double bits = 0;
    const double total = static_cast<double>(counted);
    for (uint64_t n : counts)
        if (n) {
            const double p = static_cast<double>(n) / total;
            bits -= p * std::log2(p);
        }
    return bits > incompressible_bits_per_byte;
}

GzipEncoder::GzipEncoder(Sink sink, int level)
    : sink_(std::move(sink)), level_(level), current_level_(level) {
    // windowBits 15 + 16: a gzip wrapper (header with time 0, no name) around the deflate data.
    if (deflateInit2(&stream_, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("cannot start gzip compression");
    chunk_.reserve(chunk_size);
    out_.resize(out_size);
}

GzipEncoder::~GzipEncoder() {
    deflateEnd(&stream_);
}

void GzipEncoder::drain(int flush) {
    // Runs deflate until it has taken all input (and, for Z_FINISH, ended the stream).
    for (;;) {
        stream_.next_out = reinterpret_cast<Bytef*>(out_.data());
        stream_.avail_out = static_cast<uInt>(out_.size());
        const int status = deflate(&stream_, flush);
        if (status == Z_STREAM_ERROR) throw std::runtime_error("gzip compression failed");
        const size_t produced = out_.size() - stream_.avail_out;
        if (produced) sink_(std::string_view(out_.data(), produced));
        if (flush == Z_FINISH ? status == Z_STREAM_END
                              : stream_.avail_in == 0 && stream_.avail_out != 0)
            return;
    }
}

void GzipEncoder::compress_chunk(int flush) {
    const int wanted = looks_incompressible(chunk_) ? 0 : level_;
    if (wanted != current_level_) {
        // deflateParams first compresses what the old level still holds; it may need room.
        for (;;) {
            stream_.next_out = reinterpret_cast<Bytef*>(out_.data());
            stream_.avail_out = static_cast<uInt>(out_.size());
            const int status = deflateParams(&stream_, wanted, Z_DEFAULT_STRATEGY);
            const size_t produced = out_.size() - stream_.avail_out;
            if (produced) sink_(std::string_view(out_.data(), produced));
            if (status == Z_OK) break;
            if (status != Z_BUF_ERROR) throw std::runtime_error("gzip compression failed");
        }
        current_level_ = wanted;
    }
    stream_.next_in = reinterpret_cast<Bytef*>(chunk_.data());
    stream_.avail_in = static_cast<uInt>(chunk_.size());
    drain(flush);
    chunk_.clear();
}

void GzipEncoder::write(std::string_view bytes) {
    while (!bytes.empty()) {
        const size_t take = std::min(bytes.size(), chunk_size - chunk_.size());
        chunk_.append(bytes.data(), take);
        bytes.remove_prefix(take);
        if (chunk_.size() == chunk_size) compress_chunk(Z_NO_FLUSH);
    }
}

void GzipEncoder::finish() {
    if (finished_) return;
    finished_ = true;
    compress_chunk(Z_FINISH);
}

}  // namespace envbuilder::layers
