#pragma once
// The embedded executor: builds a Dockerfile into an OCI image with no daemon. Base images come
// through the registry client (mirrors included), every instruction is carried out here (RUN in
// the sandbox), each layer-making step becomes a layer in the blob store, and the result is an
// image manifest + config whose blobs are all in that store, ready to push or write out.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "layers/layer_writer.h"
#include "layers/unpack_limits.h"
#include "oci/layout.h"
#include "oci/manifest.h"
#include "oci/stored_image.h"
#include "registry/client.h"
#include "syntax/source_text.h"

namespace envbuilder::executor {

// One event stream for a build's life, for the CLI's display and the language server alike.
struct BuildEvent {
    enum class Kind { step_started, step_finished, output, transfer, message, warning };
    Kind kind = Kind::message;
    size_t step = 0;          // 1-based, over every instruction of the stages that are built
    size_t steps = 0;         // how many there are
    std::string instruction;  // e.g. "RUN apt-get update" (as written, continuation lines joined)
    Range range;              // where it is: in the Dockerfile, or in `file`
    std::filesystem::path file;  // a feature's step: the devcontainer.json that names it
    bool cached = false;         // step_finished: taken from the cache
    std::chrono::milliseconds duration{0};
    std::string text;  // output line, message or warning
    registry::TransferEvent transfer;
};

enum class Snapshotter { automatic, overlayfs, scan };

// A Dev Container Feature to install on top of the target stage. Features install in the order
// given (features/install_order.h computed it), each as a step of its own: its own layer and its
// own cache key.
struct FeatureInstall {
    std::string id;            // as the configuration names it: "./hello", "ghcr.io/…/git:1"
    std::string options_text;  // "version=latest, ppa=false", for the step's display
    std::filesystem::path
        folder;            // the feature's files here: devcontainer-feature.json, install.sh, …
    std::string env_file;  // devcontainer-features.env, the options as install.sh sees them
    // containerEnv: ENV in the image before install.sh runs ($VAR expanded as ENV does).
    std::vector<std::pair<std::string, std::string>> container_env;
    std::filesystem::path config_file;  // the devcontainer.json that names it
    std::string config_label;           // "devcontainer.json", for messages
    Range range;  // the feature's key there (a dependency: the key that brought it)
};

// What a devcontainer.json adds to the build of its image, as the devcontainers CLI does.
struct DevcontainerBuild {
    std::filesystem::path config_file;  // empty: a bare Dockerfile build, none of the below
    // Installed after the target stage's last instruction, in this order.
    std::vector<FeatureInstall> features;
    // containerUser and remoteUser, for the features' _CONTAINER_USER and _REMOTE_USER; empty:
    // the image's USER (root when it has none).
    std::string container_user;
    std::string remote_user;
    // The devcontainer.metadata label's entries after the base image's: one per feature, then the
    // configuration's (features/metadata_label.h).
    std::vector<nlohmann::ordered_json> metadata_entries;
    // containerEnv, set in the image after the features, literally.
    std::vector<std::pair<std::string, std::string>> container_env;
    Range container_env_range;
};

struct BuildRequest {
    std::filesystem::path dockerfile;  // the Dockerfile to build
    std::filesystem::path context;     // the build context directory
    std::map<std::string, std::string> build_args;
    std::string target;  // stage name or index; empty: the last stage
    // Replaces the image of the FROM that the target stage is rooted in (following stage
    // references), without touching the file.
    std::optional<std::string> base_image;
    std::optional<oci::Platform> platform;  // default: this host's
    std::filesystem::path cache_dir;        // blob store and step cache
    registry::RegistryOptions registry;
    layers::Compression compression = layers::Compression::gzip;
    // SOURCE_DATE_EPOCH: timestamps in history, config and layers clamped to it, for identical
    // images from identical inputs.
    std::optional<int64_t> source_date_epoch;
    bool no_cache = false;
    // How a step's changes are found: overlayfs (each step's upper directory is its diff, base
    // layers unpacked once under cache_dir/unpacked) or scanning a plain copy before and after.
    // automatic: overlayfs where this process can mount it (reported), scanning otherwise.
    Snapshotter snapshotter = Snapshotter::automatic;
    // RUN --mount=type=secret sources by id: files read at RUN time, never stored in a layer or
    // in the cache key.
    std::map<std::string, std::filesystem::path> secrets;
    // The security.insecure entitlement (--allow security.insecure): RUN --security=insecure may
    // run unconfined. Without it such a step fails before anything runs.
    bool allow_security_insecure = false;
    // How much one layer, and the whole build, may unpack (decompression bombs stop there).
    layers::UnpackLimits unpack_limits;
    // A devcontainer.json's build: its features, metadata label and containerEnv.
    DevcontainerBuild devcontainer;
    // Labels set on the result (docker build --label), after everything else.
    std::map<std::string, std::string> labels;
    // The network of every RUN that has no --network of its own: "none" isolates it; "" (the
    // default), "default" and "host" share the host's.
    std::string network;
    std::function<void(const BuildEvent&)> on_event;
    std::shared_ptr<std::atomic<bool>> cancel;
};

struct BuiltImage : oci::StoredImage {
    std::string base_replaced;  // "line N: FROM x → y" when --base-image applied, else empty
};

// A build failure. Where an instruction caused it, `range` points at it (`has_range`).
class BuildError : public std::runtime_error {
  public:
    BuildError(const std::string& message, std::optional<Range> range = std::nullopt,
               int exit_code = 0, std::filesystem::path file = {})
        : std::runtime_error(message), range(range), exit_code(exit_code), file(std::move(file)) {}
    std::optional<Range> range;
    int exit_code;  // of a failed RUN
    std::filesystem::path
        file;  // where `range` is, when not the Dockerfile (a feature's devcontainer.json)
};

// Builds the image; every blob it names is in the blob store under request.cache_dir.
// Throws BuildError.
BuiltImage build_image(const BuildRequest& request);

}  // namespace envbuilder::executor
