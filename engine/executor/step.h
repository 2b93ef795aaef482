#pragma once
// The step interface. Each instruction (engine/executor/instructions/<name>.cpp) is a function
// that reads its instruction, changes the stage's config, and returns a Step saying what the
// stage loop must record: the cache key's text, the history entry and, for a step that makes a
// layer, the change to the filesystem. The loop alone looks up and stores the cache, writes
// history and layers, and reports progress, so every step (a Dev Container Feature too) is
// cached, recorded and reported the same way.
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "executor/build.h"
#include "executor/stage_state.h"
#include "syntax/dockerfile_ast.h"

namespace envbuilder {
class DockerIgnore;
}
namespace envbuilder::layers {
class UnpackBudget;
}

namespace envbuilder::executor {

struct Step {
    // What the step's cache key hangs on besides the stage's key so far: every input, expanded.
    std::string definition;
    std::string created_by;  // the history entry
    // Steps that make a layer: changes the stage's materialized root (`StageState::root`); the
    // diff becomes the layer.
    std::function<void()> change_root;
    // COPY/ADD --link: fills an empty directory, which becomes the layer as it is. Its key hangs
    // on `link_parent_key` only ("" for nothing of the stage), so the layer is reused whatever
    // lies below it.
    std::function<void(const std::filesystem::path&)> fill_layer;
    std::string link_parent_key;

    // A step that changes only the config: its history entry is also its cache key's text.
    static Step config(std::string created_by) {
        Step step;
        step.definition = created_by;
        step.created_by = std::move(created_by);
        return step;
    }
};

// What an instruction may ask of the build it is part of.
class StageContext {
  public:
    virtual ~StageContext() = default;
    virtual const BuildRequest& request() const = 0;
    // Variables of the stage (ENV over ARG) expanded in `text`; fails the instruction on a
    // syntax error. The words form splits the result as the shell would.
    virtual std::string expand(const StageState& s, const std::string& text,
                               const dockerfile::Instruction& ins) const = 0;
    virtual std::vector<std::string> expand_words(const StageState& s, const std::string& text,
                                                  const dockerfile::Instruction& ins) const = 0;
    [[noreturn]] virtual void fail(const dockerfile::Instruction& ins,
                                   const std::string& what) const = 0;
    // "Dockerfile:12", for messages about the instruction.
    virtual std::string location(const dockerfile::Instruction& ins) const = 0;
    virtual void message(BuildEvent::Kind kind, const std::string& text) const = 0;
    // A line the step printed.
    virtual void output(const dockerfile::Instruction& ins, std::string_view line) const = 0;
    virtual void check_cancelled() const = 0;
    // Unpacks (or mounts) the stage's layers at s.root.
    virtual void materialize(StageState& s) = 0;
    // The stage or image named by --from / from= (pulled on first use).
    virtual StageState& source_stage(const std::string& name,
                                     const dockerfile::Instruction& ins) = 0;
    // A new path inside the build's private work directory (not created).
    virtual std::filesystem::path scratch_path(const std::string& prefix) = 0;
    virtual const std::filesystem::path& work_dir() const = 0;
    virtual const DockerIgnore* ignore() const = 0;
    virtual layers::UnpackBudget* unpack_budget() const = 0;
    virtual const std::map<std::string, std::string>& global_args() const = 0;
    virtual const oci::Platform& build_platform() const = 0;
    // Fails a RUN when the stage's binaries cannot run here; says once which emulator runs them.
    virtual void check_runnable(const StageState& s, const dockerfile::Instruction& ins) = 0;
    // Whether the instruction being carried out is a base image's ONBUILD trigger.
    virtual bool running_trigger() const = 0;
};

using InstructionHandler = Step (*)(StageContext& ctx, StageState& s,
                                    const dockerfile::Instruction& ins);

// The handler of each instruction kind; nullptr for FROM (the stage loop's) and Unknown.
InstructionHandler handler_for(dockerfile::InstructionKind kind);

}  // namespace envbuilder::executor
