#pragma once
// What a stage has built so far: its image config, its layers, its cache key and where its
// filesystem is materialized. Every step of the stage reads and changes it.
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "layers/overlay.h"
#include "layers/snapshot.h"
#include "oci/image_config.h"
#include "oci/layout.h"
#include "oci/manifest.h"

namespace envbuilder::executor {

// A stage root mounted as overlayfs: the unpacked layers below, this step's changes in `upper`.
struct MountedRoot {
    std::vector<std::filesystem::path> lowers;  // topmost first
    std::filesystem::path upper, work;
    size_t layers = 0;  // how many of the stage's layers the lowers hold
    std::unique_ptr<layers::OverlayMount> merged;
};

struct StageState {
    oci::ImageConfig image;
    std::vector<oci::Descriptor> layers;  // in order, with diff_ids in image.rootfs.diff_ids
    std::string cache_key;
    std::map<std::string, std::string> args;  // ARGs in scope with a value
    bool cmd_set = false;                     // a CMD of this stage (not the base's) was given
    std::filesystem::path root;  // where the filesystem is materialized (empty until needed)
    size_t applied = 0;          // how many layers `root` holds
    std::optional<layers::Snapshot> snapshot;  // of `root` as it stands, when known
    // overlayfs mode: `root` is this mount (shared by copies of the state, which clear it)
    std::shared_ptr<MountedRoot> mount;
    bool scan = false;        // this stage fell back to scanning (overlayfs refused its layers)
    bool root_ready = false;  // materialized at least once (said so)
    oci::Platform platform;   // what its binaries are built for
    std::string name;
};

}  // namespace envbuilder::executor
