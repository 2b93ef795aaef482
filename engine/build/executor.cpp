// The stage loop: resolves stages and ARGs, pulls base images, carries out each instruction the
// way Docker's builder (BuildKit) does, snapshots each layer-making step into a layer, and writes
// the image config and manifest.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "analysis/rules/instruction_checks.h"
#include "analysis/stage_model.h"
#include "build/build.h"
#include "build/copy.h"
#include "build/emulation.h"
#include "build/git_source.h"
#include "build/root_paths.h"
#include "build/sandbox.h"
#include "build/step_cache.h"
#include "build/work_dir.h"
#include "layers/apply.h"
#include "layers/overlay.h"
#include "layers/snapshot.h"
#include "layers/unpacked_store.h"
#include "oci/document_limits.h"
#include "registry/http.h"
#include "registry/image_pull.h"
#include "syntax/dockerfile_parser.h"
#include "syntax/expansion.h"
#include "syntax/json_array.h"
#include "syntax/json_bounded.h"
#include "syntax/json_text.h"

namespace envbuilder::build {

namespace fs = std::filesystem;
using dockerfile::Instruction;
using dockerfile::InstructionKind;
using nlohmann::json;

namespace {

constexpr const char* kHistoryComment = "buildkit.dockerfile.v0";
const char* kDefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
const std::set<std::string> kProxyArgs = {"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy",
                                          "FTP_PROXY",  "ftp_proxy",  "NO_PROXY",    "no_proxy",
                                          "ALL_PROXY",  "all_proxy"};

std::string rfc3339(int64_t seconds) {
    char buf[32];
    time_t t = static_cast<time_t>(seconds);
    struct tm tm;
    gmtime_r(&t, &tm);
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

int64_t now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// The instruction as the user wrote it, flags included, continuation lines joined.
std::string display_text(const Instruction& ins) {
    std::string text = ins.keyword;
    for (const auto& flag : ins.flags)
        text += " --" + flag.name + (flag.value ? "=" + *flag.value : "");
    return text + " " + ins.arguments;
}

std::string normalize_layer_media_type(const std::string& media_type) {
    if (media_type == oci::kDockerLayerGzip) return oci::kMediaTypeLayerGzip;
    if (media_type == "application/vnd.docker.image.rootfs.diff.tar") return oci::kMediaTypeLayer;
    return media_type;
}

// A stage root mounted as overlayfs: the unpacked layers below, this step's changes in `upper`.
struct MountedRoot {
    std::vector<fs::path> lowers;  // topmost first
    fs::path upper, work;
    size_t layers = 0;  // how many of the stage's layers the lowers hold
    std::unique_ptr<layers::OverlayMount> merged;
};

// Everything a stage has built so far.
struct StageState {
    json image;                           // the image config (OCI shape, Docker's extensions kept)
    std::vector<oci::Descriptor> layers;  // in order, with diff_ids in image.rootfs.diff_ids
    std::string cache_key;
    std::map<std::string, std::string> args;  // ARGs in scope with a value
    bool cmd_set = false;
    fs::path root;       // where the filesystem is materialized (empty until needed)
    size_t applied = 0;  // how many layers `root` holds
    std::optional<layers::Snapshot> snapshot;  // of `root` as it stands, when known
    // overlayfs mode: `root` is this mount (shared by copies of the state, which clear it)
    std::shared_ptr<MountedRoot> mount;
    bool scan = false;        // this stage fell back to scanning (overlayfs refused its layers)
    bool root_ready = false;  // materialized at least once (said so)
    oci::Platform platform;   // what its binaries are built for
    std::string name;
};

json& config_of(json& image) {
    if (!image.contains("config") || !image["config"].is_object()) image["config"] = json::object();
    return image["config"];
}

std::vector<std::string> env_of(const json& image) {
    std::vector<std::string> env;
    if (image.contains("config") && image["config"].contains("Env") &&
        image["config"]["Env"].is_array())
        for (const auto& e : image["config"]["Env"])
            if (e.is_string()) env.push_back(e);
    return env;
}

std::optional<std::string> env_value(const json& image, const std::string& name) {
    for (const auto& e : env_of(image))
        if (e.rfind(name + "=", 0) == 0) return e.substr(name.size() + 1);
    return std::nullopt;
}

void set_env(json& image, const std::string& name, const std::string& value) {
    json& config = config_of(image);
    if (!config.contains("Env") || !config["Env"].is_array()) config["Env"] = json::array();
    for (auto& e : config["Env"])
        if (e.is_string() && e.get<std::string>().rfind(name + "=", 0) == 0) {
            e = name + "=" + value;
            return;
        }
    config["Env"].push_back(name + "=" + value);
}

// The cache directory, made private (0700) before anything is stored in it.
const fs::path& secured(const fs::path& cache_dir) {
    secure_cache_dir(cache_dir);
    return cache_dir;
}

class Executor {
  public:
    explicit Executor(const BuildRequest& request)
        : request_(request),
          store_(secured(request.cache_dir)),
          cache_(request.cache_dir / "steps", store_) {
        registry::RegistryOptions options = request.registry;
        auto user_observer = options.on_transfer;
        options.on_transfer = [this](const registry::TransferEvent& e) {
            BuildEvent event;
            event.kind = BuildEvent::Kind::transfer;
            event.step = step_;
            event.steps = steps_;
            event.transfer = e;
            emit(event);
        };
        if (!options.cancel) options.cancel = request.cancel;
        client_ = std::make_unique<registry::RegistryClient>(options);
        work_dir_ = std::make_unique<WorkDir>(request.cache_dir);
        work_ = work_dir_->path();
        platform_ = request.platform ? *request.platform : oci::host_platform();
        created_ = request.source_date_epoch ? *request.source_date_epoch : now_seconds();
    }
    ~Executor() {
        // Unmount before removing: removing through a mount would reach the unpacked layers.
        stages_.clear();
        images_.clear();
        std::error_code ec;
        fs::remove_all(work_, ec);
    }

    BuiltImage run();

  private:
    const BuildRequest& request_;
    oci::BlobStore store_;
    StepCache cache_;
    std::unique_ptr<registry::RegistryClient> client_;
    std::unique_ptr<WorkDir> work_dir_;  // locked while the build runs; swept when abandoned
    fs::path work_;
    oci::Platform platform_;
    int64_t created_;
    dockerfile::Dockerfile df_;
    std::optional<DockerIgnore> ignore_;
    std::map<std::string, std::string> globals_;  // global ARGs with values
    std::vector<std::optional<StageState>> stages_;
    std::map<std::string, StageState> images_;  // COPY --from=<image>
    size_t step_ = 0, steps_ = 0;
    std::string base_replaced_;
    std::optional<size_t> replaced_stage_;  // the stage whose FROM --base-image replaces
    std::string file_label_;
    bool step_cached_ = false;
    const Instruction* current_ = nullptr;  // the instruction being carried out (ONBUILD: the FROM)
    std::unique_ptr<layers::UnpackedLayers> unpacked_;  // set when stage roots are overlayfs
    layers::OverlayAttributes overlay_attributes_ = layers::OverlayAttributes::trusted;
    size_t roots_made_ = 0;
    // Everything this build unpacks counts against request_.unpack_limits.
    std::unique_ptr<layers::UnpackBudget> unpack_budget_ =
        std::make_unique<layers::UnpackBudget>(request_.unpack_limits);
    // What unpacking the stage's layer `index` must prove: its diff_id, within the limits.
    layers::ApplyOptions layer_checks(const StageState& s, size_t index) const;

    void emit(const BuildEvent& e) const {
        if (request_.on_event) request_.on_event(e);
    }
    void message(BuildEvent::Kind kind, const std::string& text) const {
        BuildEvent e;
        e.kind = kind;
        e.step = step_;
        e.steps = steps_;
        e.text = text;
        emit(e);
    }
    void check_cancelled() const {
        if (request_.cancel && request_.cancel->load()) throw BuildError("the build was cancelled");
    }
    [[noreturn]] void fail(const Instruction& ins, const std::string& what) const {
        throw BuildError(file_label_ + ":" + std::to_string(ins.range.start.line + 1) + ": " +
                             ins.keyword + ": " + what,
                         ins.range);
    }

    size_t target_stage() const;
    std::set<size_t> needed_stages(size_t target) const;
    std::string expand(const StageState& s, const std::string& text, const Instruction& ins,
                       bool words = false, std::vector<std::string>* out_words = nullptr) const;
    dockerfile::VariableLookup lookup_for(const StageState& s) const;
    // `platform`: the stage's (FROM --platform), else the build's.
    StageState from_image(const std::string& reference, const Instruction& ins,
                          const std::optional<oci::Platform>& platform = std::nullopt);
    // Fails the RUN `ins` when the stage's binaries cannot run here; says once which emulator
    // runs them when they are foreign.
    void check_runnable(const StageState& s, const Instruction& ins);
    std::set<std::string> emulation_reported_;
    void materialize(StageState& s);
    // overlayfs mode: mounts the stage's layers (unpacked once) with a fresh upper directory;
    // false when overlayfs refuses them (the stage then scans, which is reported).
    bool mount_root(StageState& s);
    void choose_snapshotter();
    void run_stage(size_t index);
    void apply(StageState& s, const Instruction& ins, bool trigger);
    void history(StageState& s, const std::string& created_by, bool empty_layer);
    // Runs a layer-making step with the cache: `act` changes s.root; the diff becomes the layer.
    void layer_step(StageState& s, const Instruction& ins, const std::string& definition,
                    const std::string& created_by, const std::function<void()>& act);
    // COPY/ADD --link: `act` copies into an empty directory, which becomes the layer as it is;
    // the key hangs on `parent_key` only (empty: on nothing of the stage), so the layer is
    // reused whatever lies below it, and the stage's root is not needed to make it.
    void linked_layer_step(StageState& s, const std::string& parent_key,
                           const std::string& definition, const std::string& created_by,
                           const std::function<void(const fs::path&)>& act);
    std::vector<std::string> run_environment(const StageState& s) const;
    void run_instruction(StageState& s, const Instruction& ins);
    // RUN --mount flags as sandbox mounts; `definition` gets what of them belongs in the cache key.
    // `prepare` (one per mount, maybe empty) finishes a mount when the step runs.
    using MountPreparation = std::function<void(SandboxMount&)>;
    std::vector<SandboxMount> run_mounts(StageState& s, const Instruction& ins,
                                         std::string& definition,
                                         std::vector<std::string>& secret_env,
                                         std::vector<MountPreparation>& prepare);
    void copy_instruction(StageState& s, const Instruction& ins);
    void workdir_instruction(StageState& s, const Instruction& ins);
    // Downloads an ADD URL (TLS verified) into the work directory, checks --checksum, and adds it
    // to the copy; returns what identifies the content for the cache key.
    std::string fetch_url(CopySpec& spec, const std::string& url, const std::string& checksum,
                          const Instruction& ins);
    std::vector<std::string> shell_of(const StageState& s) const;
    std::vector<std::string> command_of(const StageState& s, const Instruction& ins) const;
    BuiltImage assemble(StageState& s);
};

dockerfile::VariableLookup Executor::lookup_for(const StageState& s) const {
    // ENV wins over an ARG of the same name, as in Docker.
    auto env = std::make_shared<std::map<std::string, std::string>>();
    for (const auto& e : env_of(s.image)) {
        size_t eq = e.find('=');
        if (eq != std::string::npos) (*env)[e.substr(0, eq)] = e.substr(eq + 1);
    }
    return [env, &s](std::string_view name) -> const std::string* {
        if (auto it = env->find(std::string(name)); it != env->end()) return &it->second;
        if (auto it = s.args.find(std::string(name)); it != s.args.end()) return &it->second;
        return nullptr;
    };
}

std::string Executor::expand(const StageState& s, const std::string& text, const Instruction& ins,
                             bool words, std::vector<std::string>* out_words) const {
    auto result = dockerfile::expand(text, lookup_for(s), df_.escape);
    if (result.error) fail(ins, result.error->message);
    if (words && out_words) *out_words = result.words;
    return result.value;
}

size_t Executor::target_stage() const {
    if (df_.stages.empty()) throw BuildError("the Dockerfile has no FROM instruction");
    if (request_.target.empty()) return df_.stages.size() - 1;
    if (auto found = df_.find_stage(request_.target)) return *found;
    throw BuildError("target stage '" + request_.target + "' is not in the Dockerfile");
}

std::set<size_t> Executor::needed_stages(size_t target) const {
    StageModel model(df_);
    std::set<size_t> needed;
    for (size_t s = 0; s <= target; ++s)
        if (s == target || model.depends_on(target, s)) needed.insert(s);
    return needed;
}

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

void Executor::choose_snapshotter() {
    if (request_.snapshotter == Snapshotter::scan) {
        message(BuildEvent::Kind::message, "filesystem: snapshot scanning (--snapshotter scan)");
        return;
    }
    const layers::OverlaySupport support = layers::probe_overlay(work_);
    if (const auto& why = support.unavailable) {
        if (request_.snapshotter == Snapshotter::overlayfs)
            throw BuildError("--snapshotter overlayfs: overlayfs cannot be used here: " + *why);
        message(BuildEvent::Kind::message,
                "filesystem: snapshot scanning (overlayfs unavailable: " + *why + ")");
        return;
    }
    overlay_attributes_ = support.attributes;
    const bool in_user_namespace = support.attributes == layers::OverlayAttributes::user;
    try {
        unpacked_ = std::make_unique<layers::UnpackedLayers>(
            request_.cache_dir / (in_user_namespace ? "unpacked-userxattr" : "unpacked"),
            in_user_namespace);
    } catch (const std::exception& e) {
        if (request_.snapshotter == Snapshotter::overlayfs)
            throw BuildError(std::string("--snapshotter overlayfs: ") + e.what());
        message(BuildEvent::Kind::message,
                std::string("filesystem: snapshot scanning (") + e.what() + ")");
        return;
    }
    message(BuildEvent::Kind::message,
            std::string("filesystem: overlayfs") +
                (in_user_namespace ? " in a user namespace (userxattr)" : "") +
                " (layers unpacked once in " + unpacked_->dir().string() +
                "; each step's upper directory is its diff)");
}

bool Executor::mount_root(StageState& s) {
    if (s.mount && s.mount->layers == s.layers.size()) return true;
    // Falls back to a plain root that scanning diffs, from scratch (the old mount is gone).
    auto fall_back = [&](const std::string& why) {
        message(BuildEvent::Kind::warning,
                "stage " + s.name + ": " + why + "; its root is unpacked and scanned instead");
        s.mount.reset();
        s.root.clear();
        s.applied = 0;
        s.snapshot.reset();
        s.scan = true;
        return false;
    };
    std::vector<fs::path> lowers;  // topmost first
    std::vector<std::string> warnings;
    std::string chain;  // names the layers below the one being found
    for (size_t index = 0; index < s.layers.size(); ++index) {
        const oci::Descriptor& layer = s.layers[index];
        check_cancelled();
        // A read-only view of the trees so far, mounted only if the layer must be unpacked.
        std::unique_ptr<layers::OverlayMount> view;
        auto lower_view = [&]() -> fs::path {
            if (lowers.empty()) return {};
            view = std::make_unique<layers::OverlayMount>(
                lowers, fs::path(), fs::path(), work_ / ("below-" + std::to_string(roots_made_++)),
                overlay_attributes_);
            return view->target();
        };
        fs::path tree;
        try {
            tree = unpacked_->ensure(layer.digest, store_.path(layer.digest), chain, lower_view,
                                     warnings, layer_checks(s, index));
        } catch (const layers::NeedsMergedRoot& e) {
            return fall_back(e.what());
        } catch (const std::system_error& e) {
            return fall_back(e.what());
        } catch (const std::exception& e) {
            throw BuildError(e.what(),
                             current_ ? std::optional<Range>(current_->range) : std::nullopt);
        }
        if (std::find(lowers.begin(), lowers.end(), tree) != lowers.end())
            return fall_back("layer " + layer.digest.str() +
                             " appears twice in its stack, which overlayfs cannot mount");
        lowers.insert(lowers.begin(), tree);
        chain = oci::digest_of(chain + layer.digest.str()).hex.substr(0, 16);
    }
    for (const auto& w : warnings) message(BuildEvent::Kind::warning, w);
    s.mount.reset();  // what its upper held is in a layer now, or was no change at all
    const std::string n = std::to_string(roots_made_++);
    auto mount = std::make_shared<MountedRoot>();
    mount->upper = work_ / ("upper-" + n);
    mount->work = work_ / ("overlay-work-" + n);
    mount->layers = s.layers.size();
    mount->lowers = lowers;
    if (mount->lowers.empty()) {
        mount->lowers.push_back(work_ / "empty-lower");
        fs::create_directories(mount->lowers.back());
    }
    fs::create_directories(mount->upper);
    fs::create_directories(mount->work);
    const fs::path root = work_ / ("root-" + n);
    try {
        mount->merged = std::make_unique<layers::OverlayMount>(
            mount->lowers, mount->upper, mount->work, root, overlay_attributes_);
    } catch (const std::system_error& e) {
        return fall_back(e.what());
    }
    s.root = root;
    s.mount = std::move(mount);
    return true;
}

void Executor::materialize(StageState& s) {
    const bool first = !s.root_ready;
    const auto started = std::chrono::steady_clock::now();
    s.root_ready = true;
    // Said once per stage: where a build spends its time unpacking is worth seeing, and a
    // warm rebuild should show none of it.
    auto announce = [&](const char* how) {
        if (!first) return;
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - started)
                            .count();
        message(BuildEvent::Kind::message, "stage " + s.name + ": root filesystem ready (" +
                                               std::to_string(s.layers.size()) + " layers, " + how +
                                               ", " + std::to_string(ms) + " ms)");
    };
    if (unpacked_ && !s.scan && mount_root(s)) return announce("overlayfs");
    if (s.root.empty() || s.mount) {
        s.mount.reset();
        s.root = work_ / ("root-" + std::to_string(roots_made_++));
        fs::create_directories(s.root);
        s.applied = 0;
    }
    for (; s.applied < s.layers.size(); ++s.applied) {
        check_cancelled();
        layers::ApplyResult result;
        try {
            result = layers::apply_layer(store_.path(s.layers[s.applied].digest), s.root,
                                         layer_checks(s, s.applied));
        } catch (const layers::LayerError& e) {
            throw BuildError(e.what(),
                             current_ ? std::optional<Range>(current_->range) : std::nullopt);
        }
        for (const auto& w : result.warnings) message(BuildEvent::Kind::warning, w);
        s.snapshot.reset();
    }
    announce("unpacked");
}

layers::ApplyOptions Executor::layer_checks(const StageState& s, size_t index) const {
    layers::ApplyOptions checks;
    const oci::Digest& digest = s.layers.at(index).digest;
    checks.label = digest.str() + " (layer " + std::to_string(index + 1) + " of " +
                   std::to_string(s.layers.size()) +
                   (s.name.empty() ? std::string() : " of stage " + s.name) + ")";
    const json* diff_ids = nullptr;
    if (auto rootfs = s.image.find("rootfs"); rootfs != s.image.end() && rootfs->is_object())
        if (auto list = rootfs->find("diff_ids"); list != rootfs->end() && list->is_array())
            diff_ids = &*list;
    if (!diff_ids || index >= diff_ids->size() || !(*diff_ids)[index].is_string())
        throw BuildError("layer " + checks.label + " has no diff_id in the image config");
    std::string problem;
    checks.expected_diff_id = oci::parse_digest((*diff_ids)[index].get<std::string>(), &problem);
    if (!checks.expected_diff_id)
        throw BuildError("layer " + checks.label +
                         ": its diff_id in the image config is invalid: " + problem);
    checks.budget = unpack_budget_.get();
    return checks;
}

void Executor::history(StageState& s, const std::string& created_by, bool empty_layer) {
    json h = {
        {"created", rfc3339(created_)}, {"created_by", created_by}, {"comment", kHistoryComment}};
    if (empty_layer) h["empty_layer"] = true;
    s.image["history"].push_back(h);
}

void Executor::layer_step(StageState& s, const Instruction& ins, const std::string& definition,
                          const std::string& created_by, const std::function<void()>& act) {
    const std::string key = step_key(s.cache_key, definition);
    std::optional<CachedStep> hit = request_.no_cache ? std::nullopt : cache_.find(key);
    BuildEvent done;
    if (hit) {
        done.cached = true;
    } else {
        materialize(s);
        std::vector<layers::Change> changes;
        if (s.mount) {
            act();
            check_cancelled();
            try {
                // What was there before: the lowers alone, as the kernel merges them.
                layers::OverlayMount before(s.mount->lowers, {}, {},
                                            work_ / ("before-" + std::to_string(roots_made_++)),
                                            overlay_attributes_);
                changes = layers::upper_changes(s.mount->upper, before.target(),
                                                sandbox_mount_points(), overlay_attributes_);
            } catch (const std::system_error& e) {
                fail(ins, std::string("reading the step's changes: ") + e.what());
            }
        } else {
            if (!s.snapshot) s.snapshot = layers::Snapshot::scan(s.root, sandbox_mount_points());
            act();
            check_cancelled();
            auto after = layers::Snapshot::scan(s.root, sandbox_mount_points());
            changes = layers::diff(*s.snapshot, after);
            s.snapshot = std::move(after);
        }
        CachedStep made;
        if (!changes.empty()) {
            layers::WriteOptions options;
            options.compression = request_.compression;
            options.source_date_epoch = request_.source_date_epoch;
            made.layer = layers::write_layer(s.root, changes, store_, options);
            for (const auto& w : made.layer->warnings) message(BuildEvent::Kind::warning, w);
            if (s.mount) {
                // The upper directory holds exactly this layer: it becomes the layer's unpacked
                // tree, and the next step mounts it as a lower.
                s.mount->merged.reset();
                try {
                    unpacked_->adopt(made.layer->digest, s.mount->upper, made.layer->diff_id);
                } catch (const std::system_error& e) {
                    fail(ins, std::string("keeping the step's tree: ") + e.what());
                }
                s.mount.reset();
                s.root.clear();
            }
        }
        cache_.store(key, made);
        hit = made;
    }
    s.cache_key = key;
    if (hit->layer) {
        s.layers.push_back(
            {hit->layer->media_type, hit->layer->digest, hit->layer->size, {}, std::nullopt});
        s.image["rootfs"]["diff_ids"].push_back(hit->layer->diff_id.str());
        // A cached layer is not in the materialized root yet; the next materialize applies it.
        if (done.cached == false) s.applied = s.layers.size();
    }
    history(s, created_by, !hit->layer);
    step_cached_ = done.cached;
}

void Executor::linked_layer_step(StageState& s, const std::string& parent_key,
                                 const std::string& definition, const std::string& created_by,
                                 const std::function<void(const fs::path&)>& act) {
    const std::string key = step_key(parent_key, "link " + definition);
    std::optional<CachedStep> hit = request_.no_cache ? std::nullopt : cache_.find(key);
    const bool cached = hit.has_value();
    if (!hit) {
        const fs::path dir = work_ / ("link-" + std::to_string(roots_made_++));
        fs::create_directories(dir);
        act(dir);
        check_cancelled();
        layers::WriteOptions options;
        options.compression = request_.compression;
        options.source_date_epoch = request_.source_date_epoch;
        CachedStep made;
        made.layer = layers::write_tree_layer(dir, store_, options);
        for (const auto& w : made.layer->warnings) message(BuildEvent::Kind::warning, w);
        std::error_code ec;
        fs::remove_all(dir, ec);
        cache_.store(key, made);
        hit = made;
    }
    // What follows depends on everything below, the linked layer included.
    s.cache_key = step_key(s.cache_key, "link " + hit->layer->digest.str());
    s.layers.push_back(
        {hit->layer->media_type, hit->layer->digest, hit->layer->size, {}, std::nullopt});
    s.image["rootfs"]["diff_ids"].push_back(hit->layer->diff_id.str());
    history(s, created_by, false);
    step_cached_ = cached;
}

std::vector<std::string> Executor::shell_of(const StageState& s) const {
    std::vector<std::string> shell;
    if (s.image.contains("config") && s.image["config"].contains("Shell") &&
        s.image["config"]["Shell"].is_array())
        for (const auto& part : s.image["config"]["Shell"]) shell.push_back(part);
    if (shell.empty()) shell = {"/bin/sh", "-c"};
    return shell;
}

// RUN, CMD and ENTRYPOINT: the exec form as given, the shell form through SHELL.
std::vector<std::string> Executor::command_of(const StageState& s, const Instruction& ins) const {
    std::vector<std::string> argv;
    if (ins.is_exec_form()) {
        for (const auto& w : *ins.json) argv.push_back(w.text);
        return argv;
    }
    argv = shell_of(s);
    argv.push_back(ins.arguments);
    return argv;
}

std::vector<std::string> Executor::run_environment(const StageState& s) const {
    std::vector<std::string> env = env_of(s.image);
    std::set<std::string> names;
    for (const auto& e : env) names.insert(e.substr(0, e.find('=')));
    // ARGs are in the environment of RUN (an ENV of the same name wins) but never in the image.
    for (const auto& [name, value] : s.args)
        if (!names.count(name)) env.push_back(name + "=" + value);
    return env;
}

void Executor::check_runnable(const StageState& s, const Instruction& ins) {
    bool native = true;
    std::string problem;
    auto emulator = emulator_for(s.platform, oci::host_platform(), native, problem);
    if (native) return;
    if (!emulator) fail(ins, problem);
    if (emulation_reported_.insert(s.platform.str()).second)
        message(BuildEvent::Kind::message, "RUN steps for " + s.platform.str() + " run under " +
                                               emulator->interpreter + " (binfmt_misc " +
                                               emulator->name + ")");
}

void Executor::run_instruction(StageState& s, const Instruction& ins) {
    std::vector<std::string> argv;
    std::string stdin_script;
    if (!ins.heredocs.empty() && !ins.is_exec_form()) {
        // `RUN <<EOF ... EOF`: the body is the script; `RUN cmd <<EOF`: the shell gets the whole
        // text with the here-document, which POSIX shells understand themselves.
        std::string script = ins.arguments;
        std::string marker_only = script;
        for (const auto& h : ins.heredocs) {
            std::string body = h.body;
            if (h.expand) body = expand(s, body, ins);
            script += "\n" + body + h.delimiter;
        }
        bool only_marker = ins.heredocs.size() == 1 && ins.words.size() == 1;
        argv = shell_of(s);
        argv.push_back(only_marker ? (ins.heredocs[0].expand ? expand(s, ins.heredocs[0].body, ins)
                                                             : ins.heredocs[0].body)
                                   : script);
    } else {
        argv = command_of(s, ins);
    }
    std::string mount_definition;
    std::vector<std::string> secret_env;
    std::vector<MountPreparation> prepare;
    std::vector<SandboxMount> mounts = run_mounts(s, ins, mount_definition, secret_env, prepare);
    SecurityMode security = SecurityMode::sandbox;
    if (const auto* flag = ins.flag("security")) {
        std::string value = flag->value.value_or("");
        if (value == "insecure") {
            if (!request_.allow_security_insecure)
                fail(ins,
                     "RUN --security=insecure needs the security.insecure entitlement: it runs "
                     "the step with every capability, no seccomp filter and a writable /proc/sys "
                     "and /sys, so it must be allowed on the command line with --allow "
                     "security.insecure");
            security = SecurityMode::insecure;
        } else if (value != "sandbox") {
            fail(ins, "--security must be sandbox or insecure, got '" + value + "'");
        }
    }
    bool no_network = false;
    if (const auto* network = ins.flag("network")) {
        std::string value = network->value.value_or("");
        if (value == "none")
            no_network = true;
        else if (value != "default" && value != "host")
            fail(ins, "--network must be default, none or host");
    }
    std::string user = s.image["config"].value("User", "");
    std::string workdir = s.image["config"].value("WorkingDir", "");
    std::vector<std::string> env = run_environment(s);
    std::string definition =
        "RUN " + exact_key_text(argv) + " env=" + exact_key_text(env) + " user=" + user +
        " workdir=" + workdir + (no_network ? " network=none" : "") +
        (security == SecurityMode::insecure ? " security=insecure" : "") + mount_definition;
    std::string created_by = "RUN " + json_text(argv) + " # buildkit";
    if (!ins.is_exec_form()) {
        created_by = "RUN";
        for (const auto& a : argv) created_by += " " + a;
        created_by += " # buildkit";
    }
    layer_step(s, ins, definition, created_by, [&] {
        check_runnable(s, ins);
        for (size_t i = 0; i < mounts.size(); ++i)
            if (prepare[i]) prepare[i](mounts[i]);
        SandboxSpec spec;
        spec.root = s.root;
        spec.argv = argv;
        spec.env = env;
        spec.env.insert(spec.env.end(), secret_env.begin(), secret_env.end());
        spec.workdir = workdir.empty() ? "/" : workdir;
        spec.isolate_network = no_network;
        spec.security = security;
        spec.scratch_dir = work_;
        spec.mounts = mounts;
        try {
            if (!user.empty()) {
                UserIds ids = resolve_user(s.root, user);
                spec.uid = ids.uid;
                spec.gid = ids.gid;
                spec.supplementary_groups = ids.groups;
            }
        } catch (const std::exception& e) {
            fail(ins, e.what());
        }
        spec.cancel = request_.cancel.get();
        spec.on_output = [&](std::string_view line) {
            BuildEvent e;
            e.kind = BuildEvent::Kind::output;
            e.step = step_;
            e.steps = steps_;
            e.instruction = ins.keyword;
            e.range = ins.range;
            e.text = std::string(line);
            emit(e);
        };
        SandboxResult result;
        try {
            result = run_in_sandbox(spec);
        } catch (const SandboxError& e) {
            fail(ins, e.what());
        }
        if (result.cancelled) throw BuildError("the build was cancelled");
        if (result.exit_code != 0) {
            std::string tail;
            for (const auto& line : result.last_lines) tail += "\n  " + line;
            throw BuildError(file_label_ + ":" + std::to_string(ins.range.start.line + 1) +
                                 ": RUN failed with exit code " + std::to_string(result.exit_code) +
                                 (tail.empty() ? "" : ":" + tail),
                             ins.range, result.exit_code);
        }
    });
}

std::vector<SandboxMount> Executor::run_mounts(StageState& s, const Instruction& ins,
                                               std::string& definition,
                                               std::vector<std::string>& secret_env,
                                               std::vector<MountPreparation>& prepare) {
    std::vector<SandboxMount> mounts;
    for (const auto& flag : ins.flags) {
        if (flag.name != "mount") continue;
        std::string value = expand(s, flag.value.value_or(""), ins);
        auto csv = rules::instruction_checks::split_csv(value);
        if (csv.error) fail(ins, "--mount=" + value + ": " + *csv.error);
        std::map<std::string, std::string> fields;
        for (const auto& field : csv.fields) {
            size_t eq = field.text.find('=');
            std::string key = field.text.substr(0, eq);
            for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            fields[key] = eq == std::string::npos ? "true" : field.text.substr(eq + 1);
        }
        auto get = [&](std::initializer_list<const char*> keys, const std::string& fallback = "") {
            for (const char* k : keys)
                if (auto it = fields.find(k); it != fields.end()) return it->second;
            return fallback;
        };
        auto flag_set = [&](std::initializer_list<const char*> keys) {
            std::string v = get(keys, "false");
            return v == "true" || v == "1" || v == "t" || v == "T" || v == "TRUE" || v == "True";
        };
        std::string type = get({"type"}, "bind");
        std::string target = get({"target", "dst", "destination"});
        if (!target.empty() && target[0] != '/') {
            std::string workdir = s.image["config"].value("WorkingDir", "/");
            target = (fs::path(workdir.empty() ? "/" : workdir) / target).string();
        }
        SandboxMount m;
        m.target = target;
        MountPreparation preparation;
        if (type == "cache") {
            if (target.empty()) fail(ins, "--mount=type=cache needs a target");
            std::string id = get({"id"}, target);
            // One directory per cache id, shared by every build that uses this cache directory.
            // run-cache itself is 0700: what a step leaves in its cache (setuid programs, device
            // nodes) is out of reach of the host's other users.
            const fs::path caches = request_.cache_dir / "run-cache";
            if (::mkdir(caches.c_str(), 0700) != 0 && errno != EEXIST)
                fail(ins, "cannot create " + caches.string() + ": " + std::strerror(errno));
            ::chmod(caches.c_str(), 0700);
            fs::path dir = caches / oci::digest_of(id).hex.substr(0, 32);
            if (!fs::exists(dir)) {
                fs::create_directories(dir);
                uint32_t uid = 0, gid = 0, mode = 0755;
                try {
                    uid = static_cast<uint32_t>(std::stoul(get({"uid"}, "0")));
                    gid = static_cast<uint32_t>(std::stoul(get({"gid"}, "0")));
                    mode = static_cast<uint32_t>(std::stoul(get({"mode"}, "0755"), nullptr, 8));
                } catch (const std::exception&) {
                    fail(ins, "--mount=type=cache: uid, gid and mode must be numbers");
                }
                ::chown(dir.c_str(), uid, gid);
                ::chmod(dir.c_str(), mode);
            }
            m.source = dir;
            m.readonly = flag_set({"ro", "readonly"});
            definition += " mount=cache:" + id + ":" + target;
        } else if (type == "tmpfs") {
            if (target.empty()) fail(ins, "--mount=type=tmpfs needs a target");
            m.kind = SandboxMount::Kind::tmpfs;
            m.tmpfs_options = "mode=1777";
            if (std::string size = get({"size"}); !size.empty()) m.tmpfs_options += ",size=" + size;
            definition += " mount=tmpfs:" + target;
        } else if (type == "bind") {
            if (target.empty()) fail(ins, "--mount=type=bind needs a target");
            std::string from = get({"from"});
            std::string source = get({"source", "src"}, "/");
            fs::path source_root = request_.context;
            std::string source_key;
            // Where the source is on the host, found only when the step runs: a cached step
            // never unpacks (or mounts) the stage it would have read.
            std::function<fs::path()> locate;
            if (!from.empty()) {
                StageState* other = nullptr;
                if (auto stage = df_.find_stage(from); stage && stages_[*stage])
                    other = &*stages_[*stage];
                if (!other) {
                    if (!images_.count(from)) {
                        images_[from] = from_image(from, ins);
                        images_[from].name = from;
                    }
                    other = &images_[from];
                }
                source_key = other->cache_key;
                locate = [this, other, source] {
                    materialize(*other);
                    return resolve_in_root(other->root, source);
                };
            } else {
                // From the context: confined to it, and its content is part of the cache key.
                CopySpec probe;
                probe.source_root = request_.context;
                probe.ignore = ignore_ ? &*ignore_ : nullptr;
                probe.sources = {source};
                probe.destination = "/probe/";
                try {
                    source_key = copy_inputs_digest(probe);
                } catch (const std::exception& e) {
                    fail(ins, "--mount=type=bind: " + std::string(e.what()));
                }
                fs::path resolved = resolve_in_root(request_.context, source);
                if (!fs::exists(resolved))
                    fail(ins, "--mount=type=bind: source '" + source + "' not found");
                locate = [resolved] { return resolved; };
            }
            bool writable = flag_set({"rw", "readwrite"});
            m.readonly = !writable;
            preparation = [this, locate, source, writable, &ins](SandboxMount& mount) {
                mount.source = locate();
                if (!fs::exists(mount.source))
                    fail(ins, "--mount=type=bind: source '" + source + "' not found");
                if (!writable) return;
                // Writes to a rw bind are thrown away after the step: the step gets a copy.
                static int copies = 0;
                fs::path copy = work_ / ("bind-" + std::to_string(copies++));
                std::error_code ec;
                fs::copy(mount.source, copy,
                         fs::copy_options::recursive | fs::copy_options::copy_symlinks, ec);
                if (ec)
                    fail(ins, "--mount=type=bind: cannot copy '" + source + "': " + ec.message());
                mount.source = copy;
            };
            definition +=
                " mount=bind:" + source + ":" + target + ":" + source_key + (writable ? ":rw" : "");
        } else if (type == "secret") {
            std::string id = get({"id"});
            if (id.empty()) id = fs::path(target).filename().string();
            if (id.empty()) fail(ins, "--mount=type=secret needs an id or a target");
            auto secret = request_.secrets.find(id);
            if (secret == request_.secrets.end()) {
                if (flag_set({"required"}))
                    fail(ins, "secret '" + id + "' is required; pass it with --secret id=" + id +
                                  ",src=FILE");
                continue;  // an optional secret that was not given is simply absent, as in BuildKit
            }
            if (std::string env = get({"env"}); !env.empty()) {
                std::ifstream in(secret->second, std::ios::binary);
                secret_env.push_back(env + "=" +
                                     std::string((std::istreambuf_iterator<char>(in)), {}));
                if (target.empty()) continue;
            }
            m.target = target.empty() ? "/run/secrets/" + id : target;
            m.source = secret->second;
            m.readonly = true;
            // Secrets are not part of the key: a changed secret does not rebuild (as in BuildKit).
            definition += " mount=secret:" + id + ":" + m.target;
        } else if (type == "ssh") {
            fail(ins,
                 "--mount=type=ssh needs an SSH agent forwarded into the build, which this builder "
                 "does not do");
        } else {
            fail(ins, "--mount: unknown type '" + type + "' (bind, cache, tmpfs, secret or ssh)");
        }
        prepare.push_back(std::move(preparation));
        mounts.push_back(std::move(m));
    }
    return mounts;
}

void Executor::copy_instruction(StageState& s, const Instruction& ins) {
    const bool is_add = ins.kind == InstructionKind::Add;
    CopySpec spec;
    spec.ignore = ignore_ ? &*ignore_ : nullptr;
    spec.source_root = request_.context;
    spec.unpack_budget = unpack_budget_.get();
    std::string from_key;
    bool link = false, keep_git_dir = false;
    std::optional<GitSource> git;  // ADD of a git repository
    std::string git_commit;
    // A --from source is fully named by its cache key, so it is only unpacked when the step runs.
    StageState* from_state = nullptr;
    std::vector<std::string> words;
    if (ins.is_exec_form()) {
        for (const auto& w : *ins.json) words.push_back(expand(s, w.text, ins));
    } else {
        for (const auto& w : ins.words) {
            std::vector<std::string> parts;
            expand(s, w.text, ins, true, &parts);
            words.insert(words.end(), parts.begin(), parts.end());
        }
    }
    // Heredoc sources (`<<EOF`) become inline files.
    std::vector<std::string> sources;
    for (size_t i = 0; i + 1 < words.size(); ++i) {
        bool inline_source = false;
        for (const auto& h : ins.heredocs)
            if (words[i].find("<<") == 0 && words[i].find(h.delimiter) != std::string::npos) {
                InlineSource heredoc;
                heredoc.name = h.delimiter;
                heredoc.content = h.expand ? expand(s, h.body, ins) : h.body;
                spec.inline_sources.push_back(heredoc);
                inline_source = true;
            }
        if (!inline_source) sources.push_back(words[i]);
    }
    if (words.size() < 2) fail(ins, "needs at least one source and a destination");
    std::string dest = words.back();
    std::string workdir = s.image["config"].value("WorkingDir", "/");
    if (dest.empty() || dest[0] != '/')
        dest = (fs::path(workdir.empty() ? "/" : workdir) / dest).string();
    if (words.back().ends_with("/") && !dest.ends_with("/")) dest += "/";
    spec.destination = dest;
    spec.mtime = request_.source_date_epoch;
    spec.extract_archives = is_add;
    for (const auto& flag : ins.flags) {
        std::string value = flag.value ? expand(s, *flag.value, ins) : "";
        if (flag.name == "from") {
            if (auto stage = df_.find_stage(value); stage && stages_[*stage]) {
                from_state = &*stages_[*stage];
            } else if (!value.empty() && std::all_of(value.begin(), value.end(), ::isdigit) &&
                       std::stoul(value) < stages_.size() && stages_[std::stoul(value)]) {
                auto& source = *stages_[std::stoul(value)];
                from_state = &source;
            } else {
                if (!images_.count(value)) {
                    images_[value] = from_image(value, ins);
                    images_[value].name = value;
                }
                from_state = &images_[value];
            }
            spec.from_context = false;
            spec.ignore = nullptr;
        } else if (flag.name == "chown") {
            // resolved below, once the root is there
        } else if (flag.name == "chmod") {
            try {
                size_t used = 0;
                unsigned long mode = std::stoul(value, &used, 8);
                if (used != value.size() || mode > 07777) throw std::invalid_argument("mode");
                spec.mode = static_cast<uint32_t>(mode);
            } catch (const std::exception&) {
                fail(ins, "--chmod takes an octal mode like 755, got '" + value + "'");
            }
        } else if (flag.name == "exclude") {
            spec.excludes.push_back(value);
        } else if (flag.name == "parents") {
            spec.parents = !flag.value || value == "true";
        } else if (flag.name == "link") {
            link = !flag.value || value == "true";
        } else if (flag.name == "checksum" && is_add) {
            // checked below, against the URL's content
        } else if (flag.name == "keep-git-dir" && is_add) {
            keep_git_dir = !flag.value || value == "true";
        } else {
            fail(ins, "unknown flag --" + flag.name);
        }
    }
    std::string checksum;
    if (const auto* flag = ins.flag("checksum"))
        checksum = flag->value ? expand(s, *flag->value, ins) : "";
    std::vector<std::string> local_sources;
    const std::vector<std::string> written_sources = sources;  // for the history
    std::string remote_key;
    for (const auto& source : sources) {
        const bool url = source.rfind("http://", 0) == 0 || source.rfind("https://", 0) == 0;
        if (is_git_source(source)) {
            if (!is_add)
                fail(ins, "COPY does not clone git repositories ('" + source + "'); use ADD");
            if (sources.size() != 1)
                fail(ins, "a git repository must be ADD's only source ('" + source + "')");
            std::string problem;
            git = parse_git_source(source, &problem);
            if (!git) fail(ins, problem);
            // Keyed by the commit the ref names now: a new commit on the branch reruns the step.
            try {
                git_commit = resolve_git_commit(*git, request_.cancel.get());
            } catch (const GitError& e) {
                check_cancelled();
                fail(ins, e.what());
            }
            remote_key += " git=" + git->url + "@" + git_commit + ":" + git->subdir +
                          (keep_git_dir ? " keep-git-dir" : "");
            message(BuildEvent::Kind::message,
                    redact_credentials(source) + " is commit " + git_commit);
            continue;
        }
        if (!url && source.find("://") != std::string::npos)
            fail(ins, "unsupported source URL '" + source + "'");
        if (!url) {
            local_sources.push_back(source);
            continue;
        }
        if (!is_add) fail(ins, "COPY does not fetch URLs ('" + source + "'); use ADD");
        remote_key += " " + fetch_url(spec, source, checksum, ins);
    }
    if (!checksum.empty() && remote_key.empty()) fail(ins, "--checksum is only for URL sources");
    if (keep_git_dir && !git) fail(ins, "--keep-git-dir is only for git sources");
    if (git) {
        // The checkout is the copy's source tree: the repository's content (or SUBDIR) lands in
        // the destination, not the repository directory itself; no .dockerignore, no unpacking.
        spec.from_context = false;
        spec.ignore = nullptr;
        spec.extract_archives = false;
        local_sources = {git->subdir.empty() ? "." : git->subdir};
    }
    sources = local_sources;
    spec.sources = sources;
    std::string chown;
    if (const auto* flag = ins.flag("chown"))
        chown = flag->value ? expand(s, *flag->value, ins) : "";
    std::string inputs;
    try {
        if (from_state)
            from_key = from_state->cache_key;
        else if (!git)
            inputs = copy_inputs_digest(spec);
    } catch (const std::exception& e) {
        fail(ins, e.what());
    }
    std::string definition =
        std::string(is_add ? "ADD" : "COPY") + " " + exact_key_text(sources) + " " + dest +
        " inputs=" + inputs + remote_key + " from=" + from_key + " chown=" + chown +
        " chmod=" + (spec.mode ? std::to_string(*spec.mode) : "") +
        " parents=" + std::to_string(spec.parents) + " exclude=" + exact_key_text(spec.excludes);
    std::string created_by = std::string(is_add ? "ADD" : "COPY") + " ";
    for (const auto& flag : ins.flags)
        created_by += "--" + flag.name + (flag.value ? "=" + *flag.value : "") + " ";
    for (const auto& source : written_sources) created_by += redact_credentials(source) + " ";
    created_by += words.back() + " # buildkit";
    // A git source is fetched only when the step runs.
    auto fetch_git = [&] {
        if (!git) return;
        const fs::path checkout = work_ / ("git-" + std::to_string(roots_made_++));
        try {
            checkout_git(*git, git_commit, checkout, keep_git_dir, request_.cancel.get());
        } catch (const GitError& e) {
            check_cancelled();
            fail(ins, e.what());
        }
        spec.source_root = checkout;
    };
    if (link) {
        // Names in --chown are looked up in the stage's /etc/passwd and /etc/group: then the
        // layer depends on the stage after all.
        const bool named_owner =
            !chown.empty() && !std::all_of(chown.begin(), chown.end(), [](char c) {
                return std::isdigit(static_cast<unsigned char>(c)) || c == ':';
            });
        linked_layer_step(s, named_owner ? s.cache_key : "", definition, created_by,
                          [&](const fs::path& dir) {
                              fetch_git();
                              if (from_state) {
                                  materialize(*from_state);
                                  spec.source_root = from_state->root;
                              }
                              if (named_owner) materialize(s);
                              spec.root = dir;
                              try {
                                  if (!chown.empty())
                                      spec.owner = resolve_chown(named_owner ? s.root : dir, chown);
                                  copy_into_root(spec);
                              } catch (const std::exception& e) {
                                  fail(ins, e.what());
                              }
                          });
        return;
    }
    layer_step(s, ins, definition, created_by, [&] {
        fetch_git();
        if (from_state) {
            materialize(*from_state);
            spec.source_root = from_state->root;
        }
        spec.root = s.root;
        try {
            if (!chown.empty()) spec.owner = resolve_chown(s.root, chown);
            copy_into_root(spec);
        } catch (const std::exception& e) {
            fail(ins, e.what());
        }
    });
}

std::string Executor::fetch_url(CopySpec& spec, const std::string& url, const std::string& checksum,
                                const Instruction& ins) {
    std::optional<oci::Digest> expected;
    if (!checksum.empty()) {
        std::string problem;
        expected = oci::parse_digest(checksum, &problem);
        if (!expected) fail(ins, "--checksum=" + checksum + ": " + problem);
    }
    std::string path = url.substr(url.find("://") + 3);
    path = path.substr(0, path.find_first_of("?#"));
    std::string name = path.find('/') == std::string::npos ? "" : path.substr(path.rfind('/') + 1);
    if (name.empty()) name = "index.html";
    static int downloads = 0;
    fs::path file = work_ / ("download-" + std::to_string(downloads++));
    fs::create_directories(work_);
    registry::HttpRequest request;
    request.url = url;
    request.cancel = request_.cancel.get();
    std::ofstream out(file, std::ios::binary);
    oci::Digester digester(expected ? expected->algorithm : "sha256");
    registry::HttpResponse response;
    try {
        response = registry::perform(request, registry::TlsOptions{},
                                     [&](const registry::HttpResponse&, std::string_view chunk) {
                                         out.write(chunk.data(),
                                                   static_cast<std::streamsize>(chunk.size()));
                                         digester.update(chunk);
                                         return static_cast<bool>(out);
                                     });
    } catch (const registry::Cancelled&) {
        throw BuildError("the build was cancelled");
    } catch (const std::exception& e) {
        fail(ins, "cannot fetch " + url + ": " + e.what());
    }
    out.close();
    if (response.status < 200 || response.status >= 300)
        fail(ins, "cannot fetch " + url + ": HTTP " + std::to_string(response.status));
    oci::Digest actual = digester.finish();
    if (expected && actual != *expected)
        fail(ins, url + " does not match --checksum: expected " + expected->str() + ", got " +
                      actual.str());
    InlineSource source;
    source.name = name;
    source.file = file;
    source.mode = 0600;  // as Docker gives downloaded files
    if (std::string modified = response.header("last-modified"); !modified.empty()) {
        struct tm tm {};
        if (strptime(modified.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm))
            source.mtime = timegm(&tm);
    }
    spec.inline_sources.push_back(source);
    message(BuildEvent::Kind::message, "fetched " + url + " (" + actual.str() + ")");
    return url + "@" + actual.str();
}

void Executor::workdir_instruction(StageState& s, const Instruction& ins) {
    std::string dir = expand(s, ins.arguments, ins);
    if (dir.empty()) fail(ins, "needs a directory");
    std::string current = s.image["config"].value("WorkingDir", "");
    std::string path =
        dir[0] == '/' ? dir : (fs::path(current.empty() ? "/" : current) / dir).string();
    path = clean_path(path);
    config_of(s.image)["WorkingDir"] = path;
    std::string user = s.image["config"].value("User", "");
    // The directory is created (owned by USER, as BuildKit does) when the image lacks it.
    layer_step(s, ins, "WORKDIR " + path + " user=" + user, "WORKDIR " + path, [&] {
        fs::path host = resolve_in_root(s.root, path);
        if (fs::is_directory(host)) return;
        std::vector<fs::path> missing;
        for (fs::path p = host; p != s.root && !fs::exists(fs::symlink_status(p));
             p = p.parent_path())
            missing.push_back(p);
        UserIds ids;
        try {
            if (!user.empty()) ids = resolve_user(s.root, user);
        } catch (const std::exception&) {
            // An unknown USER fails at RUN; the directory is then root's.
        }
        for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
            fs::create_directory(*it);
            ::chmod(it->c_str(), 0755);
            ::lchown(it->c_str(), ids.uid, ids.gid);
        }
    });
}

void Executor::apply(StageState& s, const Instruction& ins, bool trigger) {
    json& config = config_of(s.image);
    auto words = [&] {
        std::vector<std::string> out;
        expand(s, ins.arguments, ins, true, &out);
        return out;
    };
    switch (ins.kind) {
        case InstructionKind::Run:
            run_instruction(s, ins);
            return;
        case InstructionKind::Copy:
        case InstructionKind::Add:
            copy_instruction(s, ins);
            return;
        case InstructionKind::Workdir:
            workdir_instruction(s, ins);
            return;
        case InstructionKind::Env: {
            std::string created_by = "ENV";
            for (const auto& kv : ins.pairs) {
                std::string value = expand(s, kv.value.value_or(""), ins);
                set_env(s.image, kv.key, value);
                created_by += " " + kv.key + "=" + value;
            }
            s.cache_key = step_key(s.cache_key, created_by);
            history(s, created_by, true);
            return;
        }
        case InstructionKind::Arg: {
            std::string created_by = "ARG";
            for (const auto& kv : ins.pairs) {
                std::optional<std::string> value;
                if (auto given = request_.build_args.find(kv.key);
                    given != request_.build_args.end())
                    value = given->second;
                else if (kv.value)
                    value = expand(s, *kv.value, ins);
                else if (auto global = globals_.find(kv.key); global != globals_.end())
                    value = global->second;
                else if (is_predefined_platform_arg(kv.key))
                    value = platform_arg_value(kv.key, platform_.str());
                if (value)
                    s.args[kv.key] = *value;
                else
                    s.args.erase(kv.key);
                created_by += " " + kv.key + (value ? "=" + *value : "");
            }
            s.cache_key = step_key(s.cache_key, created_by);
            history(s, created_by, true);
            return;
        }
        case InstructionKind::Label: {
            if (!config.contains("Labels") || !config["Labels"].is_object())
                config["Labels"] = json::object();
            std::string created_by = "LABEL";
            for (const auto& kv : ins.pairs) {
                std::string key = expand(s, kv.key, ins),
                            value = expand(s, kv.value.value_or(""), ins);
                config["Labels"][key] = value;
                created_by += " " + key + "=" + value;
            }
            s.cache_key = step_key(s.cache_key, created_by);
            history(s, created_by, true);
            return;
        }
        case InstructionKind::User: {
            std::string user = expand(s, ins.arguments, ins);
            config["User"] = user;
            s.cache_key = step_key(s.cache_key, "USER " + user);
            history(s, "USER " + user, true);
            return;
        }
        case InstructionKind::Expose: {
            if (!config.contains("ExposedPorts") || !config["ExposedPorts"].is_object())
                config["ExposedPorts"] = json::object();
            std::string created_by = "EXPOSE map[";
            std::vector<std::string> ports;
            for (auto port : words()) {
                if (port.find('/') == std::string::npos) port += "/tcp";
                for (auto& c : port)
                    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                config["ExposedPorts"][port] = json::object();
                ports.push_back(port);
            }
            std::sort(ports.begin(), ports.end());
            for (size_t i = 0; i < ports.size(); ++i)
                created_by += (i ? " " : "") + ports[i] + ":{}";
            created_by += "]";
            s.cache_key = step_key(s.cache_key, created_by);
            history(s, created_by, true);
            return;
        }
        case InstructionKind::Volume: {
            if (!config.contains("Volumes") || !config["Volumes"].is_object())
                config["Volumes"] = json::object();
            std::vector<std::string> volumes;
            if (ins.is_exec_form())
                for (const auto& w : *ins.json) volumes.push_back(expand(s, w.text, ins));
            else
                volumes = words();
            std::string created_by = "VOLUME " + json_text(volumes);
            for (const auto& v : volumes) {
                if (v.empty()) fail(ins, "a volume needs a path");
                config["Volumes"][v] = json::object();
            }
            s.cache_key = step_key(s.cache_key, created_by);
            history(s, created_by, true);
            return;
        }
        case InstructionKind::Cmd:
        case InstructionKind::Entrypoint: {
            std::vector<std::string> argv = command_of(s, ins);
            const bool cmd = ins.kind == InstructionKind::Cmd;
            config[cmd ? "Cmd" : "Entrypoint"] = argv;
            if (cmd)
                s.cmd_set = true;
            else if (!s.cmd_set)
                config["Cmd"] = nullptr;  // an inherited CMD does not survive a new ENTRYPOINT
            std::string created_by = std::string(cmd ? "CMD " : "ENTRYPOINT ") + json_text(argv);
            s.cache_key = step_key(s.cache_key, created_by);
            history(s, created_by, true);
            return;
        }
        case InstructionKind::Shell: {
            if (!ins.is_exec_form())
                fail(ins, "SHELL needs the JSON form, e.g. SHELL [\"/bin/bash\", \"-c\"]");
            std::vector<std::string> shell;
            for (const auto& w : *ins.json) shell.push_back(w.text);
            config["Shell"] = shell;
            std::string created_by = "SHELL " + json_text(shell);
            s.cache_key = step_key(s.cache_key, created_by);
            history(s, created_by, true);
            return;
        }
        case InstructionKind::Stopsignal: {
            std::string signal = expand(s, ins.arguments, ins);
            config["StopSignal"] = signal;
            s.cache_key = step_key(s.cache_key, "STOPSIGNAL " + signal);
            history(s, "STOPSIGNAL " + signal, true);
            return;
        }
        case InstructionKind::Healthcheck: {
            json check = json::object();
            std::vector<std::string> w =
                ins.words.empty() ? std::vector<std::string>{} : std::vector<std::string>{};
            std::string rest = ins.arguments;
            std::string first = ins.words.empty() ? "" : ins.words[0].text;
            for (auto& c : first)
                c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            if (first == "NONE") {
                check["Test"] = {"NONE"};
            } else {
                if (first != "CMD") fail(ins, "HEALTHCHECK takes CMD <command> or NONE");
                size_t after = rest.find_first_of(" \t");
                std::string command = after == std::string::npos ? "" : rest.substr(after + 1);
                while (!command.empty() && (command[0] == ' ' || command[0] == '\t'))
                    command.erase(0, 1);
                if (auto array = dockerfile::parse_json_string_array(command)) {
                    check["Test"] = json::array({"CMD"});
                    for (const auto& a : *array) check["Test"].push_back(a);
                } else {
                    check["Test"] = {"CMD-SHELL", command};
                }
                auto duration = [&](const std::string& name) -> std::optional<int64_t> {
                    const auto* flag = ins.flag(name);
                    if (!flag || !flag->value) return std::nullopt;
                    // Go durations as Docker accepts them: 30s, 1m30s, 500ms, 1h.
                    std::string v = *flag->value;
                    int64_t total = 0;
                    size_t i = 0;
                    while (i < v.size()) {
                        size_t start = i;
                        while (i < v.size() &&
                               (std::isdigit(static_cast<unsigned char>(v[i])) || v[i] == '.'))
                            ++i;
                        if (start == i)
                            fail(ins, "--" + name + " takes a duration like 30s, got '" + v + "'");
                        double amount = std::stod(v.substr(start, i - start));
                        size_t unit_start = i;
                        while (i < v.size() && std::isalpha(static_cast<unsigned char>(v[i]))) ++i;
                        std::string unit = v.substr(unit_start, i - unit_start);
                        double scale = unit == "ns"   ? 1
                                       : unit == "us" ? 1e3
                                       : unit == "ms" ? 1e6
                                       : unit == "s"  ? 1e9
                                       : unit == "m"  ? 60e9
                                       : unit == "h"  ? 3600e9
                                                      : -1;
                        if (scale < 0)
                            fail(ins, "--" + name + " takes a duration like 30s, got '" + v + "'");
                        total += static_cast<int64_t>(amount * scale);
                    }
                    return total;
                };
                if (auto d = duration("interval")) check["Interval"] = *d;
                if (auto d = duration("timeout")) check["Timeout"] = *d;
                if (auto d = duration("start-period")) check["StartPeriod"] = *d;
                if (auto d = duration("start-interval")) check["StartInterval"] = *d;
                if (const auto* retries = ins.flag("retries"); retries && retries->value) {
                    try {
                        check["Retries"] = std::stoi(*retries->value);
                    } catch (const std::exception&) {
                        fail(ins, "--retries takes a number");
                    }
                }
            }
            config["Healthcheck"] = check;
            std::string created_by = "HEALTHCHECK " + json_text(check);
            s.cache_key = step_key(s.cache_key, created_by);
            history(s, created_by, true);
            return;
        }
        case InstructionKind::Maintainer: {
            s.image["author"] = expand(s, ins.arguments, ins);
            s.cache_key = step_key(s.cache_key, "MAINTAINER " + ins.arguments);
            history(s, "MAINTAINER " + ins.arguments, true);
            return;
        }
        case InstructionKind::Onbuild: {
            if (trigger) fail(ins, "ONBUILD cannot trigger another ONBUILD");
            if (!config.contains("OnBuild") || !config["OnBuild"].is_array())
                config["OnBuild"] = json::array();
            config["OnBuild"].push_back(ins.arguments);
            s.cache_key = step_key(s.cache_key, "ONBUILD " + ins.arguments);
            history(s, "ONBUILD " + ins.arguments, true);
            return;
        }
        case InstructionKind::From:
        case InstructionKind::Unknown:
            fail(ins, "unknown instruction '" + ins.keyword + "'");
    }
}

void Executor::run_stage(size_t index) {
    const auto& stage = df_.stages[index];
    const Instruction& from = df_.instructions[stage.from_index];
    ++step_;
    auto started = std::chrono::steady_clock::now();
    BuildEvent start;
    start.kind = BuildEvent::Kind::step_started;
    start.step = step_;
    start.steps = steps_;
    start.instruction = display_text(from);
    start.range = from.range;
    emit(start);

    // FROM's image may use global ARGs (and the platform ones).
    StageState globals_scope;
    globals_scope.args = globals_;
    std::string base = expand(globals_scope, stage.base, from);
    std::optional<oci::Platform> stage_platform;
    if (const auto* platform_flag = from.flag("platform"); platform_flag && platform_flag->value) {
        // FROM --platform=$BUILDPLATFORM (cross-compiling stages) or any other platform: the
        // image for it is pulled, and its RUN steps run natively or under an emulator.
        std::string wanted = expand(globals_scope, *platform_flag->value, from);
        std::string problem;
        auto parsed = oci::parse_platform(wanted, &problem);
        if (!parsed) fail(from, problem);
        stage_platform = *parsed;
    }
    StageState s;
    std::optional<size_t> parent;
    if (auto found = df_.find_stage(base); found && *found < index) parent = found;
    if (replaced_stage_ && *replaced_stage_ == index) {
        base_replaced_ = "line " + std::to_string(from.range.start.line + 1) + ": FROM " + base +
                         " replaced by " + *request_.base_image;
        message(BuildEvent::Kind::message, "--base-image: " + base_replaced_);
        base = *request_.base_image;
        parent.reset();
    }
    if (parent) {
        if (!stages_[*parent]) fail(from, "stage '" + base + "' was not built");
        s = *stages_[*parent];
        s.root.clear();  // the parent keeps its own filesystem; this stage materializes its own
        s.mount.reset();
        s.root_ready = false;
        s.applied = 0;
        s.snapshot.reset();
        s.args.clear();
    } else {
        s = from_image(base, from, stage_platform);
    }
    s.name = stage.name ? stage.name->text : std::to_string(index);
    s.cmd_set = false;
    // Predefined proxy args need no ARG.
    for (const auto& [name, value] : request_.build_args)
        if (kProxyArgs.count(name)) s.args[name] = value;
    BuildEvent finished;
    finished.kind = BuildEvent::Kind::step_finished;
    finished.step = step_;
    finished.steps = steps_;
    finished.instruction = start.instruction;
    finished.range = from.range;
    finished.duration = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    emit(finished);

    // ONBUILD triggers of the base image run first, and are not inherited further.
    if (!parent && s.image.contains("config") && s.image["config"].contains("OnBuild") &&
        s.image["config"]["OnBuild"].is_array()) {
        std::vector<std::string> triggers;
        for (const auto& t : s.image["config"]["OnBuild"])
            if (t.is_string()) triggers.push_back(t);
        s.image["config"]["OnBuild"] = nullptr;
        for (const auto& text : triggers) {
            auto parsed = dockerfile::parse(text + "\n");
            for (const auto& trigger : parsed.instructions) {
                check_cancelled();
                try {
                    apply(s, trigger, true);
                } catch (const BuildError& e) {
                    throw BuildError(std::string(e.what()) + " (ONBUILD trigger of " + base + ")",
                                     from.range, e.exit_code);
                }
            }
        }
    }

    for (size_t i : stage.instructions) {
        check_cancelled();
        const Instruction& ins = df_.instructions[i];
        ++step_;
        auto step_started = std::chrono::steady_clock::now();
        BuildEvent e;
        e.kind = BuildEvent::Kind::step_started;
        e.step = step_;
        e.steps = steps_;
        e.instruction = display_text(ins);
        e.range = ins.range;
        emit(e);
        step_cached_ = false;
        apply(s, ins, false);
        e.kind = BuildEvent::Kind::step_finished;
        e.cached = step_cached_;
        e.duration = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - step_started);
        emit(e);
    }
    stages_[index] = std::move(s);
}

BuiltImage Executor::assemble(StageState& s) {
    s.image["created"] = rfc3339(created_);
    // Labels, environment and history may hold any bytes; JSON gets U+FFFD for invalid ones.
    std::string config = json_text(s.image);
    oci::Digest config_digest = store_.put_bytes(config);
    BuiltImage built;
    built.config = {oci::kMediaTypeImageConfig, config_digest, config.size(), {}, std::nullopt};
    built.layers = s.layers;
    json layers = json::array();
    for (const auto& l : s.layers) layers.push_back(oci::to_json(l));
    built.manifest = json_text(json{{"schemaVersion", 2},
                                    {"mediaType", oci::kMediaTypeImageManifest},
                                    {"config", oci::to_json(built.config)},
                                    {"layers", layers}});
    built.manifest_descriptor = {oci::kMediaTypeImageManifest,
                                 store_.put_bytes(built.manifest),
                                 built.manifest.size(),
                                 {},
                                 std::nullopt};
    built.base_replaced = base_replaced_;
    return built;
}

BuiltImage Executor::run() {
    std::ifstream in(request_.dockerfile, std::ios::binary);
    if (!in) throw BuildError("cannot read the Dockerfile " + request_.dockerfile.string());
    std::string text((std::istreambuf_iterator<char>(in)), {});
    file_label_ = request_.dockerfile.filename().string();
    df_ = dockerfile::parse(text);
    for (const auto& d : df_.diagnostics)
        if (d.severity == Severity::Error)
            throw BuildError(file_label_ + ":" + std::to_string(d.range.start.line + 1) + ":" +
                                 std::to_string(d.range.start.character + 1) + ": " + d.message,
                             d.range);
    for (const auto& ins : df_.instructions)
        if (ins.kind == InstructionKind::Unknown)
            throw BuildError(file_label_ + ":" + std::to_string(ins.range.start.line + 1) +
                                 ": unknown instruction '" + ins.keyword + "'",
                             ins.range);
    if (!fs::is_directory(request_.context))
        throw BuildError("the build context " + request_.context.string() + " is not a directory");
    ignore_ = DockerIgnore::load(request_.context, request_.dockerfile);

    // Global ARGs: a --build-arg wins over the default.
    StageState scope;
    for (const char* name : {"BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT",
                             "TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT"})
        scope.args[name] = platform_arg_value(name, platform_.str());
    for (size_t i : df_.global_instructions) {
        const Instruction& ins = df_.instructions[i];
        if (ins.kind != InstructionKind::Arg) continue;
        for (const auto& kv : ins.pairs) {
            if (auto given = request_.build_args.find(kv.key); given != request_.build_args.end())
                scope.args[kv.key] = given->second;
            else if (kv.value)
                scope.args[kv.key] = expand(scope, *kv.value, ins);
        }
    }
    globals_ = scope.args;

    size_t target = target_stage();
    std::set<size_t> needed = needed_stages(target);
    if (request_.base_image) {
        StageModel model(df_);
        replaced_stage_ = model.root(target);
    }
    stages_.assign(df_.stages.size(), std::nullopt);
    for (size_t s : needed) steps_ += 1 + df_.stages[s].instructions.size();
    // An unconfined RUN without the entitlement fails before any step runs.
    if (!request_.allow_security_insecure)
        for (size_t s : needed)
            for (size_t i : df_.stages[s].instructions) {
                const Instruction& ins = df_.instructions[i];
                const auto* flag =
                    ins.kind == InstructionKind::Run ? ins.flag("security") : nullptr;
                if (flag && flag->value.value_or("") == "insecure")
                    fail(ins,
                         "RUN --security=insecure needs the security.insecure entitlement: "
                         "allow it with --allow security.insecure");
            }
    choose_snapshotter();
    for (size_t s : needed) run_stage(s);
    return assemble(*stages_[target]);
}

}  // namespace

BuiltImage build_image(const BuildRequest& request) {
    Executor executor(request);
    return executor.run();
}

void write_oci_layout(const BuiltImage& image, const oci::BlobStore& store, const fs::path& dir,
                      const std::string& tag) {
    auto layout = oci::ImageLayout::create(dir);
    for (const auto& l : image.layers) layout.blobs().import_from(store, l.digest);
    layout.blobs().import_from(store, image.config.digest);
    layout.blobs().import_from(store, image.manifest_descriptor.digest);
    oci::Descriptor d = image.manifest_descriptor;
    d.annotations[oci::kAnnotationRefName] = tag;
    layout.add_manifest(d);
}

oci::Digest push_image(const BuiltImage& image, const oci::BlobStore& store,
                       registry::RegistryClient& client, const oci::Reference& ref) {
    std::vector<oci::Descriptor> blobs = image.layers;
    blobs.push_back(image.config);
    client.push_blobs(ref, blobs, store);
    return client.push_manifest(ref, ref.digest.empty() ? ref.tag : ref.digest, image.manifest,
                                oci::kMediaTypeImageManifest);
}

}  // namespace envbuilder::build
