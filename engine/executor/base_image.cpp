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
        s.image.architecture = platform.architecture;
        s.image.os = platform.os;
        s.image.config.make();
        s.image.rootfs.make().type = std::string("layers");
        s.image.rootfs->diff_ids.make();
        s.image.history.make();
        if (!platform.variant.empty()) s.image.variant = platform.variant;
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
        // What the new image inherits; the base's created, author and the rest of what Docker
        // writes at the top (container_config, docker_version) are its own.
        json inherited = json::object();
        for (const char* keep :
             {"architecture", "os", "variant", "os.version", "config", "rootfs", "history"})
            if (config.contains(keep)) inherited[keep] = config[keep];
        std::string problem;
        std::optional<oci::ImageConfig> typed = oci::image_config_from_json(inherited, &problem);
        if (!typed) fail(ins, reference + ": the image config's " + problem);
        s.image = std::move(*typed);
        const std::string architecture = s.image.architecture.value_or("");
        if (architecture != platform.architecture && !architecture.empty())
            message(BuildEvent::Kind::warning, reference + " is for " + s.image.os.value_or("") +
                                                   "/" + architecture + ", not " + platform.str());
        if (!s.image.history.present()) s.image.history.make();
        const std::vector<std::string>* diff_ids =
            s.image.rootfs ? s.image.rootfs->diff_ids.get() : nullptr;
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
