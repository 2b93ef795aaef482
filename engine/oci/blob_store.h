#pragma once
// A content-addressed blob store: blobs/<algorithm>/<hex> under a root, the same shape as an OCI
// image layout's blobs/ so a layout is a store plus an index. A blob is written to a temporary
// file, digested while it streams in, flushed, verified, and only then renamed into place: a reader
// never sees a corrupt or half-written blob, a writer killed mid-transfer leaves only a temporary
// file, and two processes storing the same blob both succeed.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "oci/digest.h"

namespace envbuilder::oci {

// Supplies the next chunk of a stream; an empty chunk means the end.
using ChunkSource = std::function<std::string()>;

struct StoreError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class BlobStore;

// Receives a blob as it arrives (push model, for network transfers): bytes go to a temporary
// file and are digested on the way; commit() verifies and moves the blob into place. A writer
// destroyed without commit() removes its temporary file.
class BlobWriter {
  public:
    BlobWriter(const BlobStore& store, std::string_view algorithm, std::optional<Digest> expected,
               std::optional<uint64_t> expected_size);
    ~BlobWriter();
    BlobWriter(const BlobWriter&) = delete;
    BlobWriter& operator=(const BlobWriter&) = delete;

    void write(std::string_view chunk);
    Digest commit();
    uint64_t written() const { return digester_.size(); }

  private:
    const BlobStore& store_;
    std::optional<Digest> expected_;
    std::optional<uint64_t> expected_size_;
    Digester digester_;
    std::filesystem::path temp_;
    int fd_ = -1;
    bool committed_ = false;
};

// Holds an exclusive advisory lock on one digest of a store (flock, so across processes and
// threads alike) for as long as it lives: whoever holds it fetches the blob while others wait and
// then find it present, instead of all downloading the same bytes.
class BlobLock {
  public:
    BlobLock(const BlobStore& store, const Digest& digest);
    ~BlobLock();
    BlobLock(const BlobLock&) = delete;
    BlobLock& operator=(const BlobLock&) = delete;

  private:
    int fd_ = -1;
};

class BlobStore {
  public:
    explicit BlobStore(std::filesystem::path root);

    const std::filesystem::path& root() const { return root_; }
    std::filesystem::path path(const Digest& d) const;
    bool has(const Digest& d) const;
    std::optional<uint64_t> size(const Digest& d) const;

    // Stores a stream whose digest is known in advance; throws StoreError (and stores nothing)
    // when the content does not match it or, if given, the expected size.
    void put(const Digest& expected, const ChunkSource& source,
             std::optional<uint64_t> expected_size = std::nullopt);
    // Stores a stream and returns its digest (for content we produce, e.g. a new layer).
    Digest put(const ChunkSource& source, std::string_view algorithm = "sha256");
    Digest put_bytes(std::string_view bytes);
    // Makes a blob of `other` present here: a hard link when both are on one filesystem (blobs
    // are immutable), else a verified streaming copy.
    void import_from(const BlobStore& other, const Digest& d);

    std::string read(const Digest& d) const;  // small blobs (manifests, configs) only

    // Removes temporary files whose writer died (killed mid-transfer): a live writer holds a lock
    // on its file, so only abandoned ones can be locked here. Returns how many were removed.
    size_t remove_abandoned_temporaries() const;

  private:
    std::filesystem::path root_;
    Digest ingest(const ChunkSource& source, std::string_view algorithm, const Digest* expected,
                  std::optional<uint64_t> expected_size);
};

}  // namespace envbuilder::oci
