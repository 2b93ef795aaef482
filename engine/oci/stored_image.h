#pragma once
// An image whose blobs are all in a blob store: what a build produces and what every output
// (an OCI layout, a registry push, a docker-archive, an index of platforms) consumes.
#include <string>
#include <vector>

#include "oci/layout.h"

namespace envbuilder::oci {

struct StoredImage {
    std::string manifest;  // the image manifest JSON, byte for byte as its digest was taken
    Descriptor manifest_descriptor;
    Descriptor config;
    std::vector<Descriptor> layers;
};

}  // namespace envbuilder::oci
