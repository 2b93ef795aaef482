#pragma once
// A layer file's uncompressed tar stream (internal to engine/layers): decompressed (gzip, zstd or
// none, told from the content), digested and counted as it is read, so one pass over the layer
// both unpacks it and proves its diff_id, and a decompression bomb stops at the limit.
#include <archive.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "layers/unpack_limits.h"
#include "oci/digest.h"

namespace envbuilder::layers {

class LayerStream {
  public:
    // `label` names the layer in errors. `budget` (may be null) holds the limits and counts the
    // build's total; without one the default limit for a layer applies. Throws LayerError when
    // the file cannot be opened or is in no format we read.
    LayerStream(const std::filesystem::path& file, std::string label, UnpackBudget* budget);
    ~LayerStream();
    LayerStream(const LayerStream&) = delete;
    LayerStream& operator=(const LayerStream&) = delete;

    // Up to `size` bytes of the uncompressed stream into `buffer`; 0 at its end. Throws
    // LayerError on a read error or when a limit is passed.
    size_t read(void* buffer, size_t size);
    // Reads what the tar reader left (the padding after the end-of-archive blocks) and returns
    // the digest of the whole uncompressed stream. Call once.
    oci::Digest finish();
    uint64_t bytes() const { return digester_.size(); }

  private:
    struct ArchiveFree {
        void operator()(archive* a) const { archive_read_free(a); }
    };
    std::unique_ptr<archive, ArchiveFree> raw_;
    std::string label_;
    UnpackBudget* budget_;
    uint64_t max_layer_bytes_;
    bool at_end_ = false;
    oci::Digester digester_;
};

}  // namespace envbuilder::layers
