#pragma once
// A StageContext for the instruction tests: expansion and failures as the executor does them,
// no registry, no sandbox. A test that needs a stage's filesystem gives s.root itself.
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "executor/image_config.h"
#include "executor/stage_variables.h"
#include "executor/step.h"
#include "syntax/dockerfile_parser.h"
#include "syntax/expansion.h"

namespace envbuilder::executor::testing {

class FakeStageContext : public StageContext {
  public:
    BuildRequest build_request;
    std::map<std::string, std::string> globals;
    mutable std::vector<std::string> messages;
    std::map<std::string, StageState> stages;  // by name, for --from
    bool trigger = false;
    std::filesystem::path work = std::filesystem::temp_directory_path();

    const BuildRequest& request() const override { return build_request; }
    std::string expand(const StageState& s, const std::string& text,
                       const dockerfile::Instruction& ins) const override {
        auto result = dockerfile::expand(text, stage_variables(s), '\\');
        if (result.error) fail(ins, result.error->message);
        return result.value;
    }
    std::vector<std::string> expand_words(const StageState& s, const std::string& text,
                                          const dockerfile::Instruction& ins) const override {
        auto result = dockerfile::expand(text, stage_variables(s), '\\');
        if (result.error) fail(ins, result.error->message);
        return result.words;
    }
    [[noreturn]] void fail(const dockerfile::Instruction& ins,
                           const std::string& what) const override {
        throw BuildError(location(ins) + ": " + ins.keyword + ": " + what, ins.range);
    }
    std::string location(const dockerfile::Instruction& ins) const override {
        return "Dockerfile:" + std::to_string(ins.range.start.line + 1);
    }
    void message(BuildEvent::Kind, const std::string& text) const override {
        messages.push_back(text);
    }
    void output(const dockerfile::Instruction&, std::string_view) const override {}
    void check_cancelled() const override {}
    void materialize(StageState&) override {}
    StageState& source_stage(const std::string& name, const dockerfile::Instruction& ins) override {
        auto it = stages.find(name);
        if (it == stages.end()) fail(ins, "no stage " + name + " in this test");
        return it->second;
    }
    std::filesystem::path scratch_path(const std::string& prefix) override {
        return work / (prefix + std::to_string(scratch_++));
    }
    const std::filesystem::path& work_dir() const override { return work; }
    const DockerIgnore* ignore() const override { return nullptr; }
    layers::UnpackBudget* unpack_budget() const override { return nullptr; }
    const std::map<std::string, std::string>& global_args() const override { return globals; }
    const oci::Platform& build_platform() const override { return platform_; }
    void check_runnable(const StageState&, const dockerfile::Instruction&) override {}
    bool running_trigger() const override { return trigger; }

  private:
    size_t scratch_ = 0;
    oci::Platform platform_ = *oci::parse_platform("linux/amd64");
};

// The first instruction of `text` (a Dockerfile line or more), kept alive with its parse.
struct ParsedInstruction {
    dockerfile::Dockerfile df;
    const dockerfile::Instruction& ins() const { return df.instructions.at(0); }
};

inline ParsedInstruction parse_instruction(const std::string& text) {
    return ParsedInstruction{dockerfile::parse(text + "\n")};
}

// A stage with an empty config and the default PATH, like FROM scratch.
inline StageState empty_stage() {
    StageState s;
    s.image.config.make();
    s.image.rootfs.make().type = std::string("layers");
    s.image.rootfs->diff_ids.make();
    s.image.history.make();
    set_env(s.image, "PATH", kDefaultPath);
    return s;
}

// The stage's execution parameters, for the assertions (empty_stage() makes them).
inline oci::ContainerConfig& config(StageState& s) {
    return *s.image.config;
}

// Carries out a config-only instruction on `s` and returns its step.
inline Step apply(FakeStageContext& ctx, StageState& s, const std::string& line) {
    auto parsed = parse_instruction(line);
    InstructionHandler handler = handler_for(parsed.ins().kind);
    if (!handler) throw std::runtime_error("no handler for " + line);
    return handler(ctx, s, parsed.ins());
}

}  // namespace envbuilder::executor::testing
