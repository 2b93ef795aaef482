// FROM: the base image of a stage, from a registry (mirrors first) or an OCI layout on disk,
// its config checked against its manifest; scratch is an empty image.
#include "executor/executor.h"
#include "executor/image_config.h"
#include "oci/document_limits.h"
#include "registry/image_pull.h"
#include "syntax/json_bounded.h"

namespace envbuilder::executor {

namespace fs = std::filesystem;
using dockerfile::Instruction;
using nlohmann::json;

namespace {

std::string normalize_layer_media_type(const std::string& media_type) {
    if (media_type == oci::kDockerLayerGzip) return oci::kMediaTypeLayerGzip;
    if (media_type == "application/vnd.docker.image.rootfs.diff.tar") return oci::kMediaTypeLayer;
    return media_type;
}

}  // namespace

StageState Executor::from_image(const std::string& reference, const Instruction& ins,
                                const std::optional<oci::Platform>& stage_platform) {
    StageState s;
    const oci::Platform platform = stage_platform ? *stage_platform : platform_;
    s.platform = platform;
    if (reference == "scratch") {
        s.image = {{"architecture", platform.architecture},
                   {"os", platform.os},
                   {"config", json::object()},
                   {"rootfs", {{"type", "layers"}, {"diff_ids", json::array()}}},
                   {"history", json::array()}};
        if (!platform.variant.empty()) s.image["variant"] = platform.variant;
        set_env(s.image, "PATH", kDefaultPath);
        s.cache_key = step_key("", "scratch " + platform.str());
        return s;
    }
    try {
        std::optional<registry::PulledImage> from_layout =
            registry::load_layout_image(reference, platform, store_);
        oci::Reference ref;
        if (!from_layout) {
            auto parsed = oci::parse_reference(reference);
            if (auto* e = oci::get_error(parsed))
                fail(ins, "invalid image reference '" + reference + "': " + e->message);
            ref = std::get<oci::Reference>(parsed);
        }
        registry::PulledImage pulled =
            from_layout ? *from_layout
                        : registry::pull_image(*client_, ref, platform, store_, true);
        ref = pulled.ref;
        message(BuildEvent::Kind::message,
                "manifest of " + (from_layout ? reference : ref.familiar()) + " " +
                    pulled.manifest.digest.str() + " from " + pulled.manifest.source);
        const oci::Manifest& m = pulled.parsed;
        // Capped in size as it is read, and bounded in depth: the config is copied below, and
        // copying recurses once per level.
        auto config = parse_json_bounded(
            oci::read_document(store_, m.config.digest, reference + ": the image config"));
        if (!config.is_object())
            fail(ins, reference + ": the image config is not a JSON object (or nests deeper than " +
                          std::to_string(kMaxForeignJsonDepth) + " levels)");
        if (config.value("architecture", "") != platform.architecture &&
            !config.value("architecture", "").empty())
            message(BuildEvent::Kind::warning, reference + " is for " + config.value("os", "") +
                                                   "/" + config.value("architecture", "") +
                                                   ", not " + platform.str());
        s.image = json::object();
        for (const char* keep :
             {"architecture", "os", "variant", "os.version", "config", "rootfs", "history"})
            if (config.contains(keep)) s.image[keep] = config[keep];
        if (!s.image.contains("history")) s.image["history"] = json::array();
        const json* diff_ids = s.image.contains("rootfs") && s.image["rootfs"].is_object() &&
                                       s.image["rootfs"].contains("diff_ids") &&
                                       s.image["rootfs"]["diff_ids"].is_array()
                                   ? &s.image["rootfs"]["diff_ids"]
                                   : nullptr;
        if (!diff_ids || diff_ids->size() != m.layers.size())
            fail(ins, reference + ": the image config lists " +
                          std::to_string(diff_ids ? diff_ids->size() : 0) +
                          " layer diff_ids (rootfs.diff_ids) but the manifest has " +
                          std::to_string(m.layers.size()) +
                          " layers; the image is corrupt or was tampered with; refused");
        for (auto layer : m.layers) {
            layer.media_type = normalize_layer_media_type(layer.media_type);
            s.layers.push_back(layer);
            if (!from_layout) client_->remember_blob(ref, layer.digest);
        }
        if (!env_value(s.image, "PATH")) set_env(s.image, "PATH", kDefaultPath);
        s.cache_key = step_key("", "image " + pulled.manifest.digest.str());
    } catch (const registry::Cancelled&) {
        throw BuildError("the build was cancelled");
    } catch (const BuildError&) {
        throw;
    } catch (const std::exception& e) {
        fail(ins, e.what());
    }
    return s;
}

}  // namespace envbuilder::executor
