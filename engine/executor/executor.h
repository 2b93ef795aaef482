#pragma once
// The stage loop (executor.cpp): resolves stages and ARGs, builds each needed stage step by
// step (instructions/), and assembles the target's image. Its parts: base_image.cpp (FROM),
// stage_root.cpp (materializing a stage's filesystem), record_step.cpp (cache, layer, history).
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "context/dockerignore.h"
#include "executor/build.h"
#include "executor/stage_state.h"
#include "executor/step.h"
#include "executor/step_cache.h"
#include "executor/work_dir.h"
#include "layers/unpack_limits.h"
#include "layers/unpacked_store.h"
#include "oci/blob_store.h"
#include "registry/client.h"
#include "syntax/dockerfile_ast.h"

namespace envbuilder::executor {

class Executor final : public StageContext {
  public:
    explicit Executor(const BuildRequest& request);
    ~Executor() override;
    BuiltImage run();

    // StageContext
    const BuildRequest& request() const override { return request_; }
    std::string expand(const StageState& s, const std::string& text,
                       const dockerfile::Instruction& ins) const override;
    std::vector<std::string> expand_words(const StageState& s, const std::string& text,
                                          const dockerfile::Instruction& ins) const override;
    [[noreturn]] void fail(const dockerfile::Instruction& ins,
                           const std::string& what) const override;
    std::string location(const dockerfile::Instruction& ins) const override;
    void message(BuildEvent::Kind kind, const std::string& text) const override;
    void output(const dockerfile::Instruction& ins, std::string_view line) const override;
    void check_cancelled() const override;
    void materialize(StageState& s) override;
    StageState& source_stage(const std::string& name, const dockerfile::Instruction& ins) override;
    std::filesystem::path scratch_path(const std::string& prefix) override;
    const std::filesystem::path& work_dir() const override { return work_; }
    const DockerIgnore* ignore() const override { return ignore_ ? &*ignore_ : nullptr; }
    layers::UnpackBudget* unpack_budget() const override { return unpack_budget_.get(); }
    const std::map<std::string, std::string>& global_args() const override { return globals_; }
    const oci::Platform& build_platform() const override { return platform_; }
    void check_runnable(const StageState& s, const dockerfile::Instruction& ins) override;
    bool running_trigger() const override { return running_trigger_; }

  private:
    const BuildRequest& request_;
    oci::BlobStore store_;
    StepCache cache_;
    std::unique_ptr<registry::RegistryClient> client_;
    std::unique_ptr<WorkDir> work_dir_;  // locked while the build runs; swept when abandoned
    std::filesystem::path work_;
    oci::Platform platform_;
    int64_t created_;
    dockerfile::Dockerfile df_;
    std::optional<DockerIgnore> ignore_;
    std::map<std::string, std::string> globals_;  // global ARGs with values
    std::vector<std::optional<StageState>> stages_;
    std::map<std::string, StageState> images_;  // COPY --from=<image>, RUN --mount from=<image>
    size_t step_ = 0, steps_ = 0;
    std::string base_replaced_;
    std::optional<size_t> replaced_stage_;  // the stage whose FROM --base-image replaces
    std::string file_label_;
    // Steps that come from devcontainer.json (a FEATURE, its metadata LABEL and containerEnv) are
    // reported as steps of that file: these stand-in instructions carry their range there.
    struct ConfigFile {
        std::filesystem::path path;
        std::string label;  // "devcontainer.json", for messages
    };
    std::deque<dockerfile::Instruction> stand_ins_;
    std::map<const dockerfile::Instruction*, ConfigFile> stand_in_files_;
    dockerfile::Instruction& stand_in(const std::string& keyword, const std::string& arguments,
                                      const Range& range);
    bool running_trigger_ = false;
    const dockerfile::Instruction* current_ = nullptr;  // being carried out (ONBUILD: the FROM)
    std::unique_ptr<layers::UnpackedLayers> unpacked_;  // set when stage roots are overlayfs
    layers::OverlayAttributes overlay_attributes_ = layers::OverlayAttributes::trusted;
    size_t roots_made_ = 0;
    std::set<std::string> emulation_reported_;
    // Everything this build unpacks counts against request_.unpack_limits.
    std::unique_ptr<layers::UnpackBudget> unpack_budget_;

    void emit(const BuildEvent& e) const {
        if (request_.on_event) request_.on_event(e);
    }
    BuildEvent event(BuildEvent::Kind kind, const dockerfile::Instruction* ins) const;

    // executor.cpp: the stages and their steps.
    void read_dockerfile();
    void resolve_global_args();
    size_t target_stage() const;
    std::set<size_t> needed_stages(size_t target) const;
    void run_stage(size_t index);
    StageState stage_base(size_t index, const dockerfile::Instruction& from, std::string& base,
                          bool& from_parent);
    void run_triggers(StageState& s, const dockerfile::Instruction& from, const std::string& base);
    // One instruction as a reported step; returns whether it came from the cache.
    bool carry_out(StageState& s, const dockerfile::Instruction& ins);
    BuiltImage assemble(StageState& s);
    // The configuration's features, each a step on top of the target stage.
    void install_features(StageState& s);
    // The devcontainer.metadata label and the configuration's containerEnv, after the features.
    void write_devcontainer_metadata(StageState& s);
    // Runs `step` as a reported step of `ins`.
    void reported_step(StageState& s, const dockerfile::Instruction& ins, const Step& step);

    // base_image.cpp: `platform` is the stage's (FROM --platform), else the build's.
    StageState from_image(const std::string& reference, const dockerfile::Instruction& ins,
                          const std::optional<oci::Platform>& platform = std::nullopt);

    // stage_root.cpp
    void choose_snapshotter();
    // overlayfs mode: mounts the stage's layers (unpacked once) with a fresh upper directory;
    // false when overlayfs refuses them (the stage then scans, which is reported).
    bool mount_root(StageState& s);
    // What unpacking the stage's layer `index` must prove: its diff_id, within the limits.
    layers::ApplyOptions layer_checks(const StageState& s, size_t index) const;

    // record_step.cpp: a step's cache key, layer and history, recorded once for every kind of
    // step; returns whether the cache had it.
    bool record(StageState& s, const dockerfile::Instruction& ins, const Step& step);
    bool layer_step(StageState& s, const dockerfile::Instruction& ins, const Step& step);
    bool linked_layer_step(StageState& s, const Step& step);
    void history(StageState& s, const std::string& created_by, bool empty_layer);
};

}  // namespace envbuilder::executor
