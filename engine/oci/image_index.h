#pragma once
// An image index (OCI) over several platforms' images: the one document that lets a registry,
// a layout or a runtime pick the image for its platform. Built once here and consumed by every
// output (an OCI layout, a registry push).
#include <string>
#include <vector>

#include "oci/manifest.h"
#include "oci/stored_image.h"

namespace envbuilder::oci {

struct PlatformImage {
    Platform platform;
    StoredImage image;
};

// An index and the images it lists (whose blobs are in a blob store).
struct StoredIndex {
    std::string index;  // the index JSON, byte for byte as its digest was taken
    Descriptor descriptor;
    std::vector<StoredImage> images;  // in the index's order
};

// The index of `images`, each named by its platform, in the order given. Throws
// std::invalid_argument when no image is given or two images claim the same platform.
StoredIndex build_image_index(const std::vector<PlatformImage>& images);

}  // namespace envbuilder::oci
