#pragma once
// Turns a set of filesystem changes into an OCI image layer blob, streamed straight into the blob
// store with both of its digests computed on the way.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "layers/snapshot.h"
#include "oci/blob_store.h"
#include "oci/digest.h"

namespace envbuilder::layers {

enum class Compression { gzip, zstd, none };

struct WriteOptions {
    Compression compression = Compression::gzip;
    // When set (SOURCE_DATE_EPOCH / --reproducible): every mtime later than this is clamped to
    // it, and the output is byte-identical for identical trees.
    std::optional<int64_t> source_date_epoch;
};

struct LayerBlob {
    oci::Digest digest;      // of the compressed blob (the layer's descriptor digest)
    oci::Digest diff_id;     // of the uncompressed tar (rootfs.diff_ids)
    uint64_t size = 0;       // compressed size
    std::string media_type;  // application/vnd.oci.image.layer.v1.tar+gzip | +zstd | .tar
    // Entries left out (sockets, paths gone since the snapshot), one line each.
    std::vector<std::string> warnings;
};

// Writes the change set as one layer into `store`, in one streaming pass (tar → compressor →
// digest → store): added and modified entries with full metadata (mode, uid, gid, mtime, xattrs,
// symlink targets, device numbers), parent directories of changed entries included with their
// metadata when they are not themselves in the change set (so the layer applies on its own),
// deleted paths as `.wh.NAME` whiteouts, entries in tree order (parents first, a directory's
// whiteouts before its other entries), hard links within the layer written as tar hard links
// to the first path, PAX format with uname/gname empty, no atime/ctime.
// Paths are read without following any symlink: a path that became a symlink in a parent
// component since the snapshot fails rather than reading outside `root`.
// Throws std::system_error (reading `root`) and oci::StoreError (writing the blob).
LayerBlob write_layer(const std::filesystem::path& root, const std::vector<Change>& changes,
                      oci::BlobStore& store, const WriteOptions& options = {});

// Convenience: the whole tree as one layer (e.g. a base filesystem made from a directory).
LayerBlob write_tree_layer(const std::filesystem::path& root, oci::BlobStore& store,
                           const WriteOptions& options = {});

}  // namespace envbuilder::layers
