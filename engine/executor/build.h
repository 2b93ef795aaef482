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
    Range range;              // where it is in the Dockerfile
    bool cached = false;      // step_finished: taken from the cache
    std::chrono::milliseconds duration{0};
    std::string text;  // output line, message or warning
    registry::TransferEvent transfer;
};

enum class Snapshotter { automatic, overlayfs, scan };

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
               int exit_code = 0)
        : std::runtime_error(message), range(range), exit_code(exit_code) {}
    std::optional<Range> range;
    int exit_code;  // of a failed RUN
};

// Builds the image; every blob it names is in the blob store under request.cache_dir.
// Throws BuildError.
BuiltImage build_image(const BuildRequest& request);

}  // namespace envbuilder::executor
