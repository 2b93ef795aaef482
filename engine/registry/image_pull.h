#pragma once
// One image from a registry, the way every command needs it: the manifest by tag or digest (an
// index followed to the platform's manifest), then its config and layers in the blob store.
#include <string>

#include "oci/manifest.h"
#include "registry/client.h"

namespace envbuilder::registry {

struct PulledImage {
    oci::Reference ref;
    FetchedManifest manifest;  // the platform's image manifest
    oci::Manifest parsed;
    std::string index_source;  // who served the index, when the reference named one
};

// Resolves `ref` for `platform`; with `blobs`, also pulls the config and layers into `store`
// (in parallel, verified). Manifests are kept in the store too. Throws RegistryError, or
// std::runtime_error for a manifest we cannot use.
PulledImage pull_image(RegistryClient& client, const oci::Reference& ref,
                       const oci::Platform& platform, oci::BlobStore& store, bool blobs = true);

// A manifest by tag or digest: when a HEAD names a digest the store already holds, the body comes
// from the store (it was verified when stored) and no GET is made.
FetchedManifest fetch_manifest(RegistryClient& client, const oci::Reference& ref,
                               const std::string& tag_or_digest, oci::BlobStore& store);

// An image from an OCI image layout on disk, named "oci:DIR[:TAG]" or "oci-layout://DIR[:TAG]"
// (the tag defaults to the layout's only image): its blobs are brought into `store` (linked where
// possible, verified otherwise). nullopt when `name` is not such a reference.
std::optional<PulledImage> load_layout_image(const std::string& name, const oci::Platform& platform,
                                             oci::BlobStore& store);

}  // namespace envbuilder::registry
