#pragma once
// Where a Dev Container Feature comes from, read from its key in devcontainer.json's "features"
// (or a feature's dependsOn / installsAfter, or overrideFeatureInstallOrder): an OCI artifact
// (registry/namespace/name[:tag|@digest]), a folder next to the configuration (./name), or an
// https tarball. The forms the spec has retired (bare ids, GitHub release shorthands) are refused
// with the replacement named.
#include <filesystem>
#include <string>
#include <string_view>
#include <variant>

namespace envbuilder::features {

enum class SourceKind { Oci, LocalFolder, Tarball };

struct FeatureRef {
    SourceKind kind = SourceKind::Oci;
    std::string user_id;  // as written

    // Oci: registry/namespace/name; `tag` is "latest" when neither tag nor digest is given.
    std::string registry;
    std::string namespace_path;  // "devcontainers/features"
    std::string name;            // "node"
    std::string tag;
    std::string digest;  // "sha256:…" when pinned
    // LocalFolder: absolute and normalized, inside the configuration's .devcontainer folder.
    std::filesystem::path folder;
    // Tarball: the https URL.
    std::string url;

    // The id without its version: "ghcr.io/devcontainers/features/node" for OCI features (what
    // overrideFeatureInstallOrder and installsAfter name), the folder for local ones, the URL for
    // tarballs.
    std::string resource() const;
    // registry/namespace: where the feature's legacy ids are looked up.
    std::string collection() const { return registry + "/" + namespace_path; }
};

struct FeatureRefError {
    std::string message;  // what is wrong and, when known, what to write instead
};

using FeatureRefResult = std::variant<FeatureRef, FeatureRefError>;

// `config_folder` is the folder of the devcontainer.json, against which ./name resolves; a local
// feature must stay inside the `.devcontainer` folder that holds (or is) that folder, as the
// devcontainers CLI requires.
FeatureRefResult parse_feature_ref(std::string_view id, const std::filesystem::path& config_folder);

}  // namespace envbuilder::features
