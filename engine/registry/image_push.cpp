#include "registry/image_push.h"

namespace envbuilder::registry {

namespace {

// Where the reference says the top manifest goes: its digest when it names one, else its tag.
std::string tag_or_digest(const oci::Reference& ref) {
    return ref.digest.empty() ? ref.tag : ref.digest;
}

void push_image_blobs(RegistryClient& client, const oci::Reference& ref,
                      const oci::StoredImage& image, const oci::BlobStore& store) {
    std::vector<oci::Descriptor> blobs = image.layers;
    blobs.push_back(image.config);
    client.push_blobs(ref, blobs, store);
}

}  // namespace

oci::Digest push_image(RegistryClient& client, const oci::Reference& ref,
                       const oci::StoredImage& image, const oci::BlobStore& store,
                       const std::optional<oci::Reference>& mount_from) {
    if (mount_from)
        for (const auto& layer : image.layers) client.remember_blob(*mount_from, layer.digest);
    push_image_blobs(client, ref, image, store);
    return client.push_manifest(ref, tag_or_digest(ref), image.manifest,
                                image.manifest_descriptor.media_type);
}

oci::Digest push_image(RegistryClient& client, const oci::Reference& ref,
                       const oci::StoredIndex& index, const oci::BlobStore& store) {
    // Each platform's image complete (blobs, then its manifest by digest) before the index.
    for (const auto& image : index.images) {
        push_image_blobs(client, ref, image, store);
        client.push_manifest(ref, image.manifest_descriptor.digest.str(), image.manifest,
                             image.manifest_descriptor.media_type);
    }
    return client.push_manifest(ref, tag_or_digest(ref), index.index, index.descriptor.media_type);
}

oci::StoredImage stored_image(const PulledImage& pulled) {
    return {pulled.manifest.body,
            {pulled.parsed.media_type,
             pulled.manifest.digest,
             pulled.manifest.body.size(),
             {},
             std::nullopt},
            pulled.parsed.config,
            pulled.parsed.layers};
}

}  // namespace envbuilder::registry
