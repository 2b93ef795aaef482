// The stage loop: resolves stages and ARGs, builds each stage the target needs step by step the
// way Docker's builder (BuildKit) does, and writes the image config and manifest.
#include "executor/executor.h"
#include "executor/feature_step.h"
#include "features/metadata_label.h"

#include <chrono>
#include <fstream>

#include "analysis/stage_model.h"
#include "executor/emulation.h"
#include "executor/image_config.h"
#include "executor/instructions/instructions.h"
#include "executor/instructions/read_command.h"
#include "executor/stage_variables.h"
#include "layers/apply.h"
#include "syntax/dockerfile_parser.h"
#include "syntax/expansion.h"
#include "syntax/json_text.h"
#include "syntax/stage_index.h"

namespace envbuilder::executor {

namespace fs = std::filesystem;
using dockerfile::Instruction;
using dockerfile::InstructionKind;
using nlohmann::json;

namespace {

const std::set<std::string> kProxyArgs = {"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy",
                                          "FTP_PROXY",  "ftp_proxy",  "NO_PROXY",    "no_proxy",
                                          "ALL_PROXY",  "all_proxy"};

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

// Whether a devcontainer build has entries of its own for the metadata label (without any, the
// base image's label stays as it is).
bool writes_label(const DevcontainerBuild& dc) {
    if (dc.config_file.empty()) return false;
    for (const auto& entry : dc.metadata_entries)
        if (!(entry.is_object() && entry.empty())) return true;
    return false;
}

// The cache directory, made private (0700) before anything is stored in it.
const fs::path& secured(const fs::path& cache_dir) {
    secure_cache_dir(cache_dir);
    return cache_dir;
}

}  // namespace

Executor::Executor(const BuildRequest& request)
    : request_(request),
      store_(secured(request.cache_dir)),
      cache_(request.cache_dir / "steps", store_),
      unpack_budget_(std::make_unique<layers::UnpackBudget>(request.unpack_limits)) {
    registry::RegistryOptions options = request.registry;
    options.on_transfer = [this](const registry::TransferEvent& e) {
        BuildEvent transfer = event(BuildEvent::Kind::transfer, nullptr);
        transfer.transfer = e;
        emit(transfer);
    };
    if (!options.cancel) options.cancel = request.cancel;
    client_ = std::make_unique<registry::RegistryClient>(options);
    work_dir_ = std::make_unique<WorkDir>(request.cache_dir);
    work_ = work_dir_->path();
    platform_ = request.platform ? *request.platform : oci::host_platform();
    created_ = request.source_date_epoch ? *request.source_date_epoch : now_seconds();
}

Executor::~Executor() {
    // Unmount before removing: removing through a mount would reach the unpacked layers.
    stages_.clear();
    images_.clear();
    std::error_code ec;
    fs::remove_all(work_, ec);
}

BuildEvent Executor::event(BuildEvent::Kind kind, const Instruction* ins) const {
    BuildEvent e;
    e.kind = kind;
    e.step = step_;
    e.steps = steps_;
    if (ins) {
        e.instruction = display_text(*ins);
        e.range = ins->range;
        auto file = stand_in_files_.find(ins);
        if (file != stand_in_files_.end()) e.file = file->second.path;
    }
    return e;
}

std::string Executor::expand(const StageState& s, const std::string& text,
                             const Instruction& ins) const {
    auto result = dockerfile::expand(text, stage_variables(s), df_.escape);
    if (result.error) fail(ins, result.error->message);
    return result.value;
}

std::vector<std::string> Executor::expand_words(const StageState& s, const std::string& text,
                                                const Instruction& ins) const {
    auto result = dockerfile::expand(text, stage_variables(s), df_.escape);
    if (result.error) fail(ins, result.error->message);
    return result.words;
}

std::string Executor::location(const Instruction& ins) const {
    auto file = stand_in_files_.find(&ins);
    return (file == stand_in_files_.end() ? file_label_ : file->second.label) + ":" +
           std::to_string(ins.range.start.line + 1);
}

void Executor::fail(const Instruction& ins, const std::string& what) const {
    auto file = stand_in_files_.find(&ins);
    throw BuildError(location(ins) + ": " + ins.keyword + ": " + what, ins.range, 0,
                     file == stand_in_files_.end() ? fs::path() : file->second.path);
}

void Executor::message(BuildEvent::Kind kind, const std::string& text) const {
    BuildEvent e = event(kind, nullptr);
    e.text = text;
    emit(e);
}

void Executor::output(const Instruction& ins, std::string_view line) const {
    BuildEvent e = event(BuildEvent::Kind::output, nullptr);
    e.instruction = ins.keyword;
    e.range = ins.range;
    e.text = std::string(line);
    emit(e);
}

void Executor::check_cancelled() const {
    if (request_.cancel && request_.cancel->load()) throw BuildError("the build was cancelled");
}

fs::path Executor::scratch_path(const std::string& prefix) {
    return work_ / (prefix + std::to_string(roots_made_++));
}

StageState& Executor::source_stage(const std::string& name, const Instruction& ins) {
    if (auto stage = df_.find_stage(name); stage && stages_[*stage]) return *stages_[*stage];
    if (auto index = dockerfile::stage_index(name);
        index && *index < stages_.size() && stages_[*index])
        return *stages_[*index];
    if (!images_.count(name)) {
        images_[name] = from_image(name, ins);
        images_[name].name = name;
    }
    return images_[name];
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

bool Executor::carry_out(StageState& s, const Instruction& ins) {
    InstructionHandler handler = handler_for(ins.kind);
    if (!handler) fail(ins, "unknown instruction '" + ins.keyword + "'");
    return record(s, ins, handler(*this, s, ins));
}

// The stage's starting point: a parent stage's state, or the FROM image (maybe replaced by
// --base-image). `base` gets the expanded name.
StageState Executor::stage_base(size_t index, const Instruction& from, std::string& base,
                                bool& from_parent) {
    const auto& stage = df_.stages[index];
    // FROM's image may use global ARGs (and the platform ones).
    StageState globals_scope;
    globals_scope.args = globals_;
    instructions::FromInstruction named =
        instructions::from(*this, globals_scope, from, stage.base);
    base = named.base;
    const std::optional<oci::Platform> stage_platform = named.platform;
    std::optional<size_t> parent;
    if (auto found = df_.find_stage(base); found && *found < index) parent = found;
    if (replaced_stage_ && *replaced_stage_ == index) {
        base_replaced_ = "line " + std::to_string(from.range.start.line + 1) + ": FROM " + base +
                         " replaced by " + *request_.base_image;
        message(BuildEvent::Kind::message, "--base-image: " + base_replaced_);
        base = *request_.base_image;
        parent.reset();
    }
    from_parent = parent.has_value();
    if (!parent) return from_image(base, from, stage_platform);
    if (!stages_[*parent]) fail(from, "stage '" + base + "' was not built");
    StageState s = *stages_[*parent];
    s.root.clear();  // the parent keeps its own filesystem; this stage materializes its own
    s.mount.reset();
    s.root_ready = false;
    s.applied = 0;
    s.snapshot.reset();
    s.args.clear();
    return s;
}

// ONBUILD triggers of the base image run first, and are not inherited further.
void Executor::run_triggers(StageState& s, const Instruction& from, const std::string& base) {
    oci::ContainerConfig* config = s.image.config.get();
    if (!config || !config->on_build) return;
    std::vector<std::string> triggers = *config->on_build;
    config->on_build.set_null();
    running_trigger_ = true;
    for (const auto& text : triggers) {
        auto parsed = dockerfile::parse(text + "\n");
        for (const auto& trigger : parsed.instructions) {
            check_cancelled();
            try {
                carry_out(s, trigger);
            } catch (const BuildError& e) {
                running_trigger_ = false;
                throw BuildError(std::string(e.what()) + " (ONBUILD trigger of " + base + ")",
                                 from.range, e.exit_code);
            }
        }
    }
    running_trigger_ = false;
}

void Executor::run_stage(size_t index) {
    const auto& stage = df_.stages[index];
    const Instruction& from = df_.instructions[stage.from_index];
    ++step_;
    current_ = &from;
    const auto started = std::chrono::steady_clock::now();
    emit(event(BuildEvent::Kind::step_started, &from));
    std::string base;
    bool from_parent = false;
    StageState s = stage_base(index, from, base, from_parent);
    s.name = stage.name ? stage.name->text : std::to_string(index);
    s.cmd_set = false;
    // Predefined proxy args need no ARG.
    for (const auto& [name, value] : request_.build_args)
        if (kProxyArgs.count(name)) s.args[name] = value;
    BuildEvent finished = event(BuildEvent::Kind::step_finished, &from);
    finished.duration = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    emit(finished);
    if (!from_parent) run_triggers(s, from, base);

    for (size_t i : stage.instructions) {
        check_cancelled();
        const Instruction& ins = df_.instructions[i];
        ++step_;
        current_ = &ins;
        const auto step_started = std::chrono::steady_clock::now();
        emit(event(BuildEvent::Kind::step_started, &ins));
        BuildEvent done = event(BuildEvent::Kind::step_finished, &ins);
        done.cached = carry_out(s, ins);
        done.duration = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - step_started);
        emit(done);
    }
    stages_[index] = std::move(s);
}

Instruction& Executor::stand_in(const std::string& keyword, const std::string& arguments,
                                const Range& range) {
    Instruction& ins = stand_ins_.emplace_back();
    ins.keyword = keyword;
    ins.arguments = arguments;
    ins.range = range;
    stand_in_files_[&ins] = {request_.devcontainer.config_file,
                             request_.devcontainer.config_file.filename().string()};
    return ins;
}

void Executor::reported_step(StageState& s, const Instruction& ins, const Step& step) {
    check_cancelled();
    ++step_;
    current_ = &ins;
    const auto started = std::chrono::steady_clock::now();
    emit(event(BuildEvent::Kind::step_started, &ins));
    BuildEvent done = event(BuildEvent::Kind::step_finished, &ins);
    done.cached = record(s, ins, step);
    done.duration = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    emit(done);
}

void Executor::install_features(StageState& s) {
    if (request_.devcontainer.features.empty()) return;
    // Features build on the stage's result, not inside it: its ARGs are out of scope, as in the
    // stage the devcontainers CLI adds for them.
    s.args.clear();
    const auto& features = request_.devcontainer.features;
    for (size_t i = 0; i < features.size(); ++i) {
        const FeatureInstall& feature = features[i];
        Instruction& ins = stand_in(
            "FEATURE",
            feature.id + (feature.options_text.empty() ? "" : " (" + feature.options_text + ")"),
            feature.range);
        reported_step(s, ins, feature_step(*this, s, feature, i, ins));
    }
}

void Executor::write_devcontainer_metadata(StageState& s) {
    const DevcontainerBuild& dc = request_.devcontainer;
    if (!writes_label(dc)) return;
    // The base's entries first (what the image was built from keeps its say), then ours.
    std::map<std::string, std::string>& labels = config_of(s.image).labels.make();
    std::vector<nlohmann::ordered_json> entries;
    if (auto found = labels.find(features::kMetadataLabel); found != labels.end()) {
        auto base = features::parse_metadata_label(found->second);
        if (!base.problem.empty())
            message(BuildEvent::Kind::warning,
                    std::string("the base image's ") + features::kMetadataLabel +
                        " label is left out of the new one: " + base.problem);
        entries = std::move(base.entries);
    }
    entries.insert(entries.end(), dc.metadata_entries.begin(), dc.metadata_entries.end());
    const std::string value = features::metadata_label_value(entries);
    if (writes_label(dc)) {
        labels[features::kMetadataLabel] = value;
        const std::string created_by =
            std::string("LABEL ") + features::kMetadataLabel + "=" + value;
        reported_step(s, stand_in("LABEL", std::string(features::kMetadataLabel) + "=…", {}),
                      Step::config(created_by));
    }
    // containerEnv is also baked into the image, literally (no $ expansion), as the CLI does.
    if (!dc.container_env.empty()) {
        std::string created_by = "ENV";
        for (const auto& [name, value] : dc.container_env) {
            set_env(s.image, name, value);
            created_by += " " + name + "=" + value;
        }
        reported_step(s, stand_in("ENV", created_by.substr(4), dc.container_env_range),
                      Step::config(created_by));
    }
}

BuiltImage Executor::assemble(StageState& s) {
    s.image.created = rfc3339(created_);
    if (!request_.labels.empty()) {
        auto& labels = config_of(s.image).labels.make();
        for (const auto& [key, value] : request_.labels) labels[key] = value;
    }
    // Labels, environment and history may hold any bytes; JSON gets U+FFFD for invalid ones.
    std::string config = json_text(oci::to_json(s.image));
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

void Executor::read_dockerfile() {
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
            throw BuildError(location(ins) + ": unknown instruction '" + ins.keyword + "'",
                             ins.range);
}

// Global ARGs: a --build-arg wins over the default.
void Executor::resolve_global_args() {
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
}

BuiltImage Executor::run() {
    read_dockerfile();
    if (!fs::is_directory(request_.context))
        throw BuildError("the build context " + request_.context.string() + " is not a directory");
    ignore_ = DockerIgnore::load(request_.context, request_.dockerfile);
    resolve_global_args();
    size_t target = target_stage();
    std::set<size_t> needed = needed_stages(target);
    if (request_.base_image) replaced_stage_ = StageModel(df_).root(target);
    stages_.assign(df_.stages.size(), std::nullopt);
    for (size_t s : needed) steps_ += 1 + df_.stages[s].instructions.size();
    // An unconfined RUN without the entitlement fails before any step runs.
    if (!request_.allow_security_insecure)
        for (size_t s : needed)
            for (size_t i : df_.stages[s].instructions) {
                const Instruction& ins = df_.instructions[i];
                if (ins.kind != InstructionKind::Run) continue;
                const auto run = dockerfile::parse_run_command(ins);
                if (auto problem = instructions::missing_entitlement(run.value, request_))
                    fail(ins, *problem);
            }
    const DevcontainerBuild& dc = request_.devcontainer;
    steps_ += dc.features.size() + (writes_label(dc) ? 1 : 0) + (dc.container_env.empty() ? 0 : 1);
    choose_snapshotter();
    for (size_t s : needed) run_stage(s);
    install_features(*stages_[target]);
    write_devcontainer_metadata(*stages_[target]);
    return assemble(*stages_[target]);
}

BuiltImage build_image(const BuildRequest& request) {
    Executor executor(request);
    return executor.run();
}

}  // namespace envbuilder::executor
