#include "layers/layer_stream.h"

#include "layers/apply.h"

namespace envbuilder::layers {

namespace {
constexpr size_t read_block_size = 64 * 1024;

std::string error_of(archive* a) {
    const char* message = archive_error_string(a);
    return message ? message : "unknown error";
}
}  // namespace

LayerStream::LayerStream(const std::filesystem::path& file, std::string label, UnpackBudget* budget)
    : raw_(archive_read_new()),
      label_(std::move(label)),
      budget_(budget),
      max_layer_bytes_(budget ? budget->limits().max_layer_bytes : kDefaultMaxLayerSize) {
    if (!raw_) throw LayerError("layer " + label_ + ": out of memory");
    // An empty file is an empty layer (libarchive's raw reader would not take it).
    std::error_code ec;
    if (std::filesystem::is_regular_file(file, ec) && std::filesystem::file_size(file, ec) == 0 &&
        !ec) {
        at_end_ = true;
        return;
    }
    // The "raw" format hands the decompressed bytes over as they are, for the tar reader.
    archive_read_support_filter_gzip(raw_.get());
    archive_read_support_filter_zstd(raw_.get());
    archive_read_support_format_raw(raw_.get());
    if (archive_read_open_filename(raw_.get(), file.c_str(), read_block_size) != ARCHIVE_OK)
        throw LayerError("layer " + label_ + ": cannot read it: " + error_of(raw_.get()));
    archive_entry* entry = nullptr;
    const int status = archive_read_next_header(raw_.get(), &entry);
    if (status == ARCHIVE_EOF)
        at_end_ = true;  // an empty file: an empty layer
    else if (status < ARCHIVE_WARN)
        throw LayerError("layer " + label_ + ": cannot read it: " + error_of(raw_.get()));
}

LayerStream::~LayerStream() = default;

size_t LayerStream::read(void* buffer, size_t size) {
    if (at_end_) return 0;
    la_ssize_t n = archive_read_data(raw_.get(), buffer, size);
    if (n < 0)
        throw LayerError("layer " + label_ + ": cannot decompress it: " + error_of(raw_.get()));
    if (n == 0) {
        at_end_ = true;
        return 0;
    }
    digester_.update(std::string_view(static_cast<const char*>(buffer), static_cast<size_t>(n)));
    if (digester_.size() > max_layer_bytes_)
        throw LayerError("layer " + label_ + " unpacks to more than " +
                         describe_bytes(max_layer_bytes_) +
                         ", the limit for one layer; stopped (a decompression bomb?). If the "
                         "image is genuine, raise the limit (build --max-layer-size)");
    if (budget_ && !budget_->charge(static_cast<uint64_t>(n)))
        throw LayerError("the build has unpacked more than " +
                         describe_bytes(budget_->limits().max_total_bytes) +
                         " of layers, its limit, while unpacking layer " + label_ +
                         "; stopped. If the images are genuine, raise the limit (build "
                         "--max-unpacked-size)");
    return static_cast<size_t>(n);
}

oci::Digest LayerStream::finish() {
    std::string rest(read_block_size, '\0');
    while (read(rest.data(), rest.size()) > 0) {
    }
    return digester_.finish();
}

}  // namespace envbuilder::layers
