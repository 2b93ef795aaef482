#pragma once
// Pushes a stored image, or an index of several platforms' images, to a registry. The order is
// what makes a failure safe: every blob first, each platform's manifest by digest, and the tag
// last, so a push that fails part-way never leaves the tag naming a partial image. Blobs the
// registry already has are skipped; blobs known to be in `mount_from` (the registry and
// repository an unchanged image was pulled from) are mounted rather than uploaded.
#include <optional>

#include "oci/blob_store.h"
#include "oci/image_index.h"
#include "oci/reference.h"
#include "oci/stored_image.h"
#include "registry/client.h"
#include "registry/image_pull.h"

namespace envbuilder::registry {

// Returns the digest the registry reports for what the tag (or the reference's digest) now
// names. Throws RegistryError (or std::runtime_error) on any failure.
oci::Digest push_image(RegistryClient& client, const oci::Reference& ref,
                       const oci::StoredImage& image, const oci::BlobStore& store,
                       const std::optional<oci::Reference>& mount_from = std::nullopt);
oci::Digest push_image(RegistryClient& client, const oci::Reference& ref,
                       const oci::StoredIndex& index, const oci::BlobStore& store);

// A pulled image as the outputs take it (its blobs are in the store it was pulled into).
oci::StoredImage stored_image(const PulledImage& pulled);

}  // namespace envbuilder::registry
