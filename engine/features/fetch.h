#pragma once
// Fetching features: OCI artifacts through the registry client (so mirrors, credentials,
// insecure registries and the blob store apply exactly as they do to images) and https tarballs
// (TLS verified), each unpacked once into CACHE_DIR/features/<digest>; local folders are read
// where they are.
#include <atomic>
#include <filesystem>
#include <memory>

#include "features/install_order.h"
#include "oci/blob_store.h"
#include "registry/client.h"

namespace envbuilder::features {

// The distribution spec's media types of a feature's layer.
inline constexpr const char* kFeatureLayerTar = "application/vnd.devcontainers.layer.v1+tar";
inline constexpr const char* kFeatureLayerTgz = "application/vnd.devcontainers.layer.v1+tgz";

class FeatureFetcher {
  public:
    FeatureFetcher(registry::RegistryClient& client, oci::BlobStore& store,
                   std::filesystem::path cache_dir, const std::atomic<bool>* cancel = nullptr);

    // Throws std::runtime_error naming the feature and what went wrong.
    std::shared_ptr<const ResolvedFeature> fetch(const FeatureRef& ref);
    FeatureResolver resolver() {
        return [this](const FeatureRef& ref) { return fetch(ref); };
    }

  private:
    std::shared_ptr<const ResolvedFeature> fetch_oci(const FeatureRef& ref);
    std::shared_ptr<const ResolvedFeature> fetch_tarball(const FeatureRef& ref);
    // The folder for a feature whose tar is `blob`: unpacked there once, atomically.
    std::filesystem::path unpacked(const oci::Digest& blob, const std::string& label);

    registry::RegistryClient& client_;
    oci::BlobStore& store_;
    std::filesystem::path cache_dir_;
    const std::atomic<bool>* cancel_;
};

}  // namespace envbuilder::features
