#pragma once
// How large a JSON document of an image (manifest, index, config, a layout's index.json) may be
// before we read it into memory. Such documents are parsed whole, so an untrusted image could
// otherwise make us hold hundreds of MiB for one config.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "oci/blob_store.h"
#include "oci/layout.h"

namespace envbuilder::oci {

// Distribution's manifest limit (4 MiB), applied to every image document alike: real configs,
// even with long histories, are a few KiB to a few hundred KiB.
inline constexpr uint64_t kMaxDocumentSize = 4u << 20;

// Throws StoreError naming `what` (e.g. "the image config sha256:…"), its size and the limit
// when `size` is over kMaxDocumentSize.
void check_document_size(uint64_t size, std::string_view what);

// A descriptor's declared size, checked before anything is fetched (the blob writer then holds
// the transfer to the declared size).
void check_document_size(const Descriptor& descriptor, std::string_view what);

// A document blob of `store`, read whole only after its size is checked. Throws StoreError.
std::string read_document(const BlobStore& store, const Digest& digest, std::string_view what);

// A document file (a layout's index.json), read whole only after its size is checked.
std::string read_document_file(const std::filesystem::path& file);

}  // namespace envbuilder::oci
