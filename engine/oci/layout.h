#pragma once
// The OCI image layout: a directory with `oci-layout`, `index.json` and `blobs/`. Written and read
// here; the blobs go through BlobStore so a layout directory is also a valid store.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "oci/blob_store.h"

namespace envbuilder::oci {

inline constexpr const char* kMediaTypeImageIndex = "application/vnd.oci.image.index.v1+json";
inline constexpr const char* kMediaTypeImageManifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr const char* kMediaTypeImageConfig = "application/vnd.oci.image.config.v1+json";
inline constexpr const char* kMediaTypeLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
inline constexpr const char* kMediaTypeLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";
inline constexpr const char* kMediaTypeLayer = "application/vnd.oci.image.layer.v1.tar";
inline constexpr const char* kAnnotationRefName = "org.opencontainers.image.ref.name";

struct Descriptor {
    std::string media_type;
    Digest digest;
    uint64_t size = 0;
    std::map<std::string, std::string> annotations;
    std::optional<nlohmann::json> platform;
};

nlohmann::json to_json(const Descriptor& d);
// Throws std::runtime_error with what is wrong when the JSON is not a valid descriptor.
Descriptor descriptor_from_json(const nlohmann::json& j);

class ImageLayout {
public:
    // Opens a layout, creating `oci-layout` and an empty `index.json` when the directory is new.
    static ImageLayout create(const std::filesystem::path& dir);
    // Opens an existing layout; throws when it is not one.
    static ImageLayout open(const std::filesystem::path& dir);

    BlobStore& blobs() { return blobs_; }
    const std::vector<Descriptor>& manifests() const { return manifests_; }

    // Adds (or, for the same ref name, replaces) a manifest in index.json and writes it atomically.
    void add_manifest(const Descriptor& manifest);
    std::optional<Descriptor> find(const std::string& ref_name) const;

private:
    explicit ImageLayout(std::filesystem::path dir) : dir_(std::move(dir)), blobs_(dir_) {}
    void write_index() const;
    std::filesystem::path dir_;
    BlobStore blobs_;
    std::vector<Descriptor> manifests_;
};

}  // namespace envbuilder::oci
