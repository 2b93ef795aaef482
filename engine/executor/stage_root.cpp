// A stage's root filesystem: its layers unpacked into a directory (scanned for changes), or
// with overlayfs, unpacked once into the shared store and mounted with a fresh upper directory
// per step (whose contents are the step's diff).
#include <algorithm>
#include <chrono>

#include "executor/executor.h"
#include "layers/apply.h"
#include "layers/overlay.h"

namespace envbuilder::executor {

namespace fs = std::filesystem;

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
    const std::vector<std::string>* diff_ids =
        s.image.rootfs ? s.image.rootfs->diff_ids.get() : nullptr;
    if (!diff_ids || index >= diff_ids->size())
        throw BuildError("layer " + checks.label + " has no diff_id in the image config");
    std::string problem;
    checks.expected_diff_id = oci::parse_digest((*diff_ids)[index], &problem);
    if (!checks.expected_diff_id)
        throw BuildError("layer " + checks.label +
                         ": its diff_id in the image config is invalid: " + problem);
    checks.budget = unpack_budget_.get();
    return checks;
}

}  // namespace envbuilder::executor
