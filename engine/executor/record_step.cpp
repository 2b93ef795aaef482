// Recording a step, the same for every kind: the cache key (the stage's key so far and the
// step's definition), the cache lookup, the layer when the step makes one, and the history entry.
#include "executor/executor.h"
#include "executor/image_config.h"
#include "executor/sandbox.h"
#include "layers/layer_writer.h"
#include "layers/overlay.h"
#include "layers/snapshot.h"

namespace envbuilder::executor {

namespace fs = std::filesystem;
using dockerfile::Instruction;

namespace {

constexpr const char* kHistoryComment = "buildkit.dockerfile.v0";

// A layer the step made (or the cache had) on top of the stage.
void add_layer(StageState& s, const layers::LayerBlob& layer) {
    s.layers.push_back({layer.media_type, layer.digest, layer.size, {}, std::nullopt});
    s.image.rootfs.make().diff_ids.make().push_back(layer.diff_id.str());
}

}  // namespace

bool Executor::record(StageState& s, const Instruction& ins, const Step& step) {
    if (step.fill_layer) return linked_layer_step(s, step);
    if (step.change_root) return layer_step(s, ins, step);
    s.cache_key = step_key(s.cache_key, step.definition);
    history(s, step.created_by, true);
    return false;
}

void Executor::history(StageState& s, const std::string& created_by, bool empty_layer) {
    oci::HistoryEntry h;
    h.created = rfc3339(created_);
    h.created_by = created_by;
    h.comment = std::string(kHistoryComment);
    if (empty_layer) h.empty_layer = true;
    s.image.history.make().push_back(std::move(h));
}

bool Executor::layer_step(StageState& s, const Instruction& ins, const Step& step) {
    const std::string key = step_key(s.cache_key, step.definition);
    std::optional<CachedStep> hit = request_.no_cache ? std::nullopt : cache_.find(key);
    const bool cached = hit.has_value();
    if (!cached) {
        materialize(s);
        std::vector<layers::Change> changes;
        if (s.mount) {
            step.change_root();
            check_cancelled();
            try {
                // What was there before: the lowers alone, as the kernel merges them.
                layers::OverlayMount before(s.mount->lowers, {}, {}, scratch_path("before-"),
                                            overlay_attributes_);
                changes = layers::upper_changes(s.mount->upper, before.target(),
                                                sandbox_mount_points(), overlay_attributes_);
            } catch (const std::system_error& e) {
                fail(ins, std::string("reading the step's changes: ") + e.what());
            }
        } else {
            if (!s.snapshot) s.snapshot = layers::Snapshot::scan(s.root, sandbox_mount_points());
            step.change_root();
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
        add_layer(s, *hit->layer);
        // A cached layer is not in the materialized root yet; the next materialize applies it.
        if (!cached) s.applied = s.layers.size();
    }
    history(s, step.created_by, !hit->layer);
    return cached;
}

bool Executor::linked_layer_step(StageState& s, const Step& step) {
    const std::string key = step_key(step.link_parent_key, "link " + step.definition);
    std::optional<CachedStep> hit = request_.no_cache ? std::nullopt : cache_.find(key);
    const bool cached = hit.has_value();
    if (!hit) {
        const fs::path dir = scratch_path("link-");
        fs::create_directories(dir);
        step.fill_layer(dir);
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
    add_layer(s, *hit->layer);
    history(s, step.created_by, false);
    return cached;
}

}  // namespace envbuilder::executor
