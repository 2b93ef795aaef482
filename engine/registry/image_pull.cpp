#include "registry/image_pull.h"

#include "oci/document_limits.h"

namespace envbuilder::registry {

FetchedManifest fetch_manifest(RegistryClient& client, const oci::Reference& ref,
                               const std::string& tag_or_digest, oci::BlobStore& store) {
    if (auto known = oci::parse_digest(tag_or_digest); known && store.has(*known))
        return {oci::read_document(store, *known, "the manifest"), "", *known, "cache"};
    if (!oci::parse_digest(tag_or_digest)) {
        if (auto head = client.head_manifest(ref, tag_or_digest); head && store.has(head->digest))
            return {oci::read_document(store, head->digest, "the manifest"), head->media_type,
                    head->digest, "cache (tag resolved by " + head->source + ")"};
    }
    FetchedManifest m = client.get_manifest(ref, tag_or_digest);
    store.put(m.digest, [&, sent = false]() mutable -> std::string {
        if (sent) return {};
        sent = true;
        return m.body;
    });
    return m;
}

PulledImage pull_image(RegistryClient& client, const oci::Reference& ref,
                       const oci::Platform& platform, oci::BlobStore& store, bool blobs) {
    PulledImage image{ref, {}, {}, {}};
    image.manifest = fetch_manifest(client, ref, ref.digest.empty() ? ref.tag : ref.digest, store);
    auto doc = oci::parse_manifest_document(image.manifest.body, image.manifest.media_type);
    if (auto* index = std::get_if<oci::Index>(&doc)) {
        std::string problem;
        auto chosen = oci::select_platform(*index, platform, &problem);
        if (!chosen) throw std::runtime_error(ref.familiar() + ": " + problem);
        image.index_source = image.manifest.source;
        image.manifest = fetch_manifest(client, ref, chosen->digest.str(), store);
        doc = oci::parse_manifest_document(image.manifest.body, image.manifest.media_type);
    }
    if (auto* error = std::get_if<oci::ManifestError>(&doc))
        throw std::runtime_error(ref.familiar() + ": " + error->message);
    image.parsed = std::get<oci::Manifest>(doc);
    if (image.parsed.media_type.empty()) image.parsed.media_type = image.manifest.media_type;
    // Before anything is fetched: the blob writer then holds the transfer to the declared size.
    oci::check_document_size(image.parsed.config, ref.familiar() + ": the image config");
    if (blobs) {
        std::vector<oci::Descriptor> all{image.parsed.config};
        all.insert(all.end(), image.parsed.layers.begin(), image.parsed.layers.end());
        client.pull_blobs(ref, all, store);
    } else {
        client.pull_blob(ref, image.parsed.config, store);
    }
    return image;
}

std::optional<PulledImage> load_layout_image(const std::string& name, const oci::Platform& platform,
                                             oci::BlobStore& store) {
    std::string rest;
    if (name.rfind("oci:", 0) == 0)
        rest = name.substr(4);
    else if (name.rfind("oci-layout://", 0) == 0)
        rest = name.substr(13);
    else
        return std::nullopt;
    std::string dir = rest, tag;
    size_t slash = rest.rfind('/');
    if (size_t colon = rest.rfind(':');
        colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
        dir = rest.substr(0, colon);
        tag = rest.substr(colon + 1);
    }
    auto layout = oci::ImageLayout::open(dir);
    std::optional<oci::Descriptor> top;
    if (!tag.empty())
        top = layout.find(tag);
    else if (layout.manifests().size() == 1)
        top = layout.manifests().front();
    if (!top)
        throw std::runtime_error(name + ": the layout has " +
                                 std::to_string(layout.manifests().size()) +
                                 " images and none is named '" + tag + "'");
    PulledImage image;
    image.ref.registry = "oci-layout";
    image.ref.repository = dir;
    image.ref.tag = tag.empty() ? "latest" : tag;
    auto read = [&](const oci::Descriptor& d) {
        FetchedManifest m{oci::read_document(layout.blobs(), d.digest, name + ": the manifest"),
                          d.media_type, d.digest, "oci-layout " + dir};
        store.import_from(layout.blobs(), d.digest);
        return m;
    };
    image.manifest = read(*top);
    auto doc = oci::parse_manifest_document(image.manifest.body, image.manifest.media_type);
    if (auto* index = std::get_if<oci::Index>(&doc)) {
        std::string problem;
        auto chosen = oci::select_platform(*index, platform, &problem);
        if (!chosen) throw std::runtime_error(name + ": " + problem);
        image.index_source = image.manifest.source;
        image.manifest = read(*chosen);
        doc = oci::parse_manifest_document(image.manifest.body, image.manifest.media_type);
    }
    if (auto* error = std::get_if<oci::ManifestError>(&doc))
        throw std::runtime_error(name + ": " + error->message);
    image.parsed = std::get<oci::Manifest>(doc);
    if (image.parsed.media_type.empty()) image.parsed.media_type = image.manifest.media_type;
    // The config is read whole when the image is used: its size is checked here, on disk.
    oci::check_document_size(image.parsed.config, name + ": the image config");
    if (auto size = layout.blobs().size(image.parsed.config.digest))
        oci::check_document_size(*size,
                                 name + ": the image config " + image.parsed.config.digest.str());
    store.import_from(layout.blobs(), image.parsed.config.digest);
    for (const auto& layer : image.parsed.layers) {
        if (!layout.blobs().has(layer.digest))
            throw std::runtime_error(name + ": layer " + layer.digest.str() +
                                     " is missing from the layout");
        store.import_from(layout.blobs(), layer.digest);
    }
    return image;
}

}  // namespace envbuilder::registry
