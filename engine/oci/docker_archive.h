#pragma once
// A `docker save`-style archive (docker-archive): manifest.json, the image config and the layer
// blobs in one tar, which `docker load` and `podman load` read. Written from the blob store in one
// streaming pass to a temporary file that is renamed into place when complete.
#include <filesystem>
#include <string>
#include <vector>

#include "oci/blob_store.h"
#include "oci/layout.h"
#include "oci/stored_image.h"

namespace envbuilder::oci {

// `repo_tags` are the names the loader gives the image ("registry/repo:tag"). Throws
// std::runtime_error (and leaves nothing at `path`) on failure.
void write_docker_archive(const std::filesystem::path& path, const StoredImage& image,
                          const BlobStore& store, const std::vector<std::string>& repo_tags);

}  // namespace envbuilder::oci
