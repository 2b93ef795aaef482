#pragma once
// Image manifests and indexes in both dialects — Docker schema 2 (manifest, manifest list) and
// OCI (image manifest, image index) — and choosing a platform's manifest from an index. Docker
// schema 1 is refused: it has no content-addressable config and registries sign it on the fly.
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "oci/layout.h"

namespace envbuilder::oci {

inline constexpr const char* kDockerManifestV2 = "application/vnd.docker.distribution.manifest.v2+json";
inline constexpr const char* kDockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
inline constexpr const char* kDockerImageConfig = "application/vnd.docker.container.image.v1+json";
inline constexpr const char* kDockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";
inline constexpr const char* kDockerManifestV1 = "application/vnd.docker.distribution.manifest.v1+json";
inline constexpr const char* kDockerManifestV1Signed = "application/vnd.docker.distribution.manifest.v1+prettyjws";

// The Accept header for manifest requests: every format we read, preferred first.
std::string manifest_accept_header();

struct Platform {
    std::string os = "linux";
    std::string architecture;
    std::string variant;
    std::string str() const;
};

// "linux/arm64/v8", "linux/amd64", "arm64": normalized the way Docker does (aarch64 → arm64,
// x86_64 → amd64, arm64 → variant v8, arm → variant v7 unless given). nullopt with `problem`.
std::optional<Platform> parse_platform(std::string_view text, std::string* problem = nullptr);
Platform host_platform();

struct Manifest {
    std::string media_type;
    Descriptor config;
    std::vector<Descriptor> layers;
};

struct Index {
    std::string media_type;
    std::vector<Descriptor> manifests;
};

struct ManifestError {
    std::string message;
};

using ManifestDocument = std::variant<Manifest, Index, ManifestError>;

// Reads a manifest body. `content_type` is the registry's Content-Type (may be empty): the
// document's own mediaType wins when present.
ManifestDocument parse_manifest_document(std::string_view body, std::string_view content_type = {});

// The manifest of `index` for `wanted`: os and architecture must match; a wanted variant must
// match (a missing variant on an entry matches the normalized default).
std::optional<Descriptor> select_platform(const Index& index, const Platform& wanted, std::string* problem = nullptr);

}  // namespace envbuilder::oci
