#pragma once
// The gzip stream of a layer blob. Deflate at a fast level, except where the bytes would not
// compress (already compressed files, random data): those go out as stored blocks, which cost a
// copy where deflate would spend most of a build's layer-writing time gaining nothing.
#include <zlib.h>

#include <functional>
#include <string>
#include <string_view>

namespace envbuilder::layers {

class GzipEncoder {
  public:
    using Sink = std::function<void(std::string_view)>;
    // `level`: zlib's 1..9 for compressible data. The header carries no name and no time, so
    // the same input always gives the same bytes. Throws std::runtime_error.
    GzipEncoder(Sink sink, int level);
    ~GzipEncoder();
    GzipEncoder(const GzipEncoder&) = delete;
    GzipEncoder& operator=(const GzipEncoder&) = delete;

    void write(std::string_view bytes);
    void finish();  // writes what is buffered and the gzip trailer

  private:
    void compress_chunk(int flush);
    void drain(int flush);

    Sink sink_;
    int level_;
    int current_level_;
    z_stream stream_{};
    std::string chunk_;  // input waiting for its level to be chosen
    std::string out_;
    bool finished_ = false;
};

// Whether deflate would gain almost nothing on `bytes`: their byte distribution is nearly
// uniform (order-0 entropy above 7.9 bits per byte, from samples across `bytes`).
bool looks_incompressible(std::string_view bytes);

}  // namespace envbuilder::layers
