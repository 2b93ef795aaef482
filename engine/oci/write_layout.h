#pragma once
// Writes a stored image, or an index of several, into an OCI image layout directory under a
// tag (the index.json ref name). Blobs first (linked from the store where it can), index.json
// last and atomically: a reader sees the old tag or the complete new image, never half of it.
#include <filesystem>
#include <string>

#include "oci/blob_store.h"
#include "oci/image_index.h"
#include "oci/stored_image.h"

namespace envbuilder::oci {

void write_oci_layout(const std::filesystem::path& dir, const StoredImage& image,
                      const BlobStore& store, const std::string& tag);
void write_oci_layout(const std::filesystem::path& dir, const StoredIndex& index,
                      const BlobStore& store, const std::string& tag);

}  // namespace envbuilder::oci
