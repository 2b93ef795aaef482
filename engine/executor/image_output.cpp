// The build result written out: an OCI layout, a registry push.
#include "executor/build.h"

namespace envbuilder::executor {

namespace fs = std::filesystem;

void write_oci_layout(const BuiltImage& image, const oci::BlobStore& store, const fs::path& dir,
                      const std::string& tag) {
    auto layout = oci::ImageLayout::create(dir);
    for (const auto& l : image.layers) layout.blobs().import_from(store, l.digest);
    layout.blobs().import_from(store, image.config.digest);
    layout.blobs().import_from(store, image.manifest_descriptor.digest);
    oci::Descriptor d = image.manifest_descriptor;
    d.annotations[oci::kAnnotationRefName] = tag;
    layout.add_manifest(d);
}

oci::Digest push_image(const BuiltImage& image, const oci::BlobStore& store,
                       registry::RegistryClient& client, const oci::Reference& ref) {
    std::vector<oci::Descriptor> blobs = image.layers;
    blobs.push_back(image.config);
    client.push_blobs(ref, blobs, store);
    return client.push_manifest(ref, ref.digest.empty() ? ref.tag : ref.digest, image.manifest,
                                oci::kMediaTypeImageManifest);
}

}  // namespace envbuilder::executor
