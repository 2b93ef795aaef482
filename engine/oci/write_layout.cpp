#include "oci/write_layout.h"

#include "oci/layout.h"

namespace envbuilder::oci {

namespace {

void import_image(BlobStore& layout, const StoredImage& image, const BlobStore& store) {
    for (const auto& layer : image.layers) layout.import_from(store, layer.digest);
    layout.import_from(store, image.config.digest);
    // The manifest is written from its bytes: the store need not hold it.
    layout.put_bytes(image.manifest);
}

void add_tagged(ImageLayout& layout, Descriptor top, const std::string& tag) {
    top.annotations[kAnnotationRefName] = tag;
    top.platform.reset();  // a platform belongs to an index entry, not to the layout's tag
    layout.add_manifest(top);
}

}  // namespace

void write_oci_layout(const std::filesystem::path& dir, const StoredImage& image,
                      const BlobStore& store, const std::string& tag) {
    auto layout = ImageLayout::create(dir);
    import_image(layout.blobs(), image, store);
    add_tagged(layout, image.manifest_descriptor, tag);
}

void write_oci_layout(const std::filesystem::path& dir, const StoredIndex& index,
                      const BlobStore& store, const std::string& tag) {
    auto layout = ImageLayout::create(dir);
    for (const auto& image : index.images) import_image(layout.blobs(), image, store);
    layout.blobs().put_bytes(index.index);
    add_tagged(layout, index.descriptor, tag);
}

}  // namespace envbuilder::oci
