#pragma once
// The step cache: a step's key (its parent's key, the instruction after expansion, and digests of
// what it reads) maps to the layer it made, or to "no layer". Entries live beside the blob store
// and are written atomically, so an interrupted build never leaves a half-written entry.
#include <filesystem>
#include <optional>
#include <string>

#include "layers/layer_writer.h"
#include "oci/blob_store.h"

namespace envbuilder::executor {

struct CachedStep {
    std::optional<layers::LayerBlob> layer;  // nullopt: the step made no layer
};

class StepCache {
  public:
    StepCache(std::filesystem::path dir, const oci::BlobStore& store)
        : dir_(std::move(dir)), store_(store) {}
    // A hit only when the entry is readable and its layer blob is still in the store.
    std::optional<CachedStep> find(const std::string& key) const;
    void store(const std::string& key, const CachedStep& step) const;

  private:
    std::filesystem::path dir_;
    const oci::BlobStore& store_;
};

// A cache key: sha256 over the parent key and the parts that define the step.
std::string step_key(const std::string& parent, const std::string& definition);

}  // namespace envbuilder::executor
