#include "executor/feature_step.h"

#include "executor/copy_files.h"
#include "executor/image_config.h"
#include "executor/root_paths.h"
#include "executor/sandbox.h"
#include "layers/confined_root.h"
#include "syntax/json_text.h"

namespace envbuilder::executor {

namespace fs = std::filesystem;

namespace {

// What install.sh is started by: the spec's env files sourced with `set -a`, as the
// devcontainers CLI's wrapper does, then the script itself.
constexpr const char* kInstallScript =
    "set -e\n"
    "set -a\n"
    ". ../devcontainer-features.builtin.env\n"
    ". ./devcontainer-features.env\n"
    "set +a\n"
    "chmod +x ./install.sh\n"
    "./install.sh\n";

std::string env_line(const std::string& name, const std::string& value) {
    std::string line = name + "=\"";
    for (char c : value) {
        if (c == '"' || c == '\\' || c == '$' || c == '`') line += '\\';
        line += c;
    }
    return line + "\"\n";
}

// _CONTAINER_USER and _REMOTE_USER with their homes, as the image is when the feature runs.
std::string builtin_env(const fs::path& root, const std::string& container_user,
                        const std::string& remote_user) {
    return env_line("_CONTAINER_USER", container_user) + env_line("_REMOTE_USER", remote_user) +
           env_line("_CONTAINER_USER_HOME", home_of(root, container_user)) +
           env_line("_REMOTE_USER_HOME", home_of(root, remote_user));
}

void remove_features_folder(const fs::path& root) {
    layers::ConfinedRoot confined(root);
    std::string problem;
    auto parts = layers::split_entry_name(std::string(kFeaturesFolder).substr(1), &problem);
    if (auto parent = confined.find_parent_in_root(*parts))
        layers::remove_tree_at(parent->parent.get(), parent->leaf);
}

}  // namespace

Step feature_step(StageContext& ctx, StageState& s, const FeatureInstall& feature, size_t index,
                  const dockerfile::Instruction& stand_in) {
    // containerEnv goes in first, so install.sh and every later feature see it.
    for (const auto& [name, value] : feature.container_env)
        set_env(s.image, name, ctx.expand(s, value, stand_in));
    const std::string image_user = user_of(s.image);
    const std::string container_user = !ctx.request().devcontainer.container_user.empty()
                                           ? ctx.request().devcontainer.container_user
                                       : image_user.empty() ? "root"
                                                            : image_user;
    const std::string remote_user = !ctx.request().devcontainer.remote_user.empty()
                                        ? ctx.request().devcontainer.remote_user
                                        : container_user;
    const std::string folder = std::string(kFeaturesFolder) + "/" + std::to_string(index);

    CopySpec files;
    files.source_root = feature.folder;
    files.sources = {"."};
    files.destination = folder + "/";
    files.mode = dockerfile::FileMode::parse("0755");  // as the CLI's chmod -R 0755
    const std::string files_digest = copy_inputs_digest(files);

    SandboxSpec spec;
    spec.argv = {"/bin/sh", "-c", kInstallScript};
    spec.env = env_of(s.image);
    spec.workdir = folder;
    spec.scratch_dir = ctx.work_dir();
    spec.cancel = ctx.request().cancel.get();

    Step step;
    step.definition = "FEATURE " + feature.id + " files=" + files_digest +
                      " options=" + exact_key_text(feature.env_file) +
                      " env=" + exact_key_text(spec.env) + " users=" + container_user + "," +
                      remote_user;
    step.created_by = "FEATURE " + feature.id +
                      (feature.options_text.empty() ? "" : " (" + feature.options_text + ")") +
                      " # devcontainer feature";
    step.change_root = [&ctx, &s, &feature, &stand_in, files, spec, container_user,
                        remote_user]() mutable {
        ctx.check_runnable(s, stand_in);
        files.root = s.root;
        CopySpec settings;
        settings.root = s.root;
        settings.destination = files.destination;
        settings.inline_sources = {
            {"devcontainer-features.env", feature.env_file, std::nullopt, std::nullopt, 0644}};
        CopySpec builtin = settings;
        builtin.destination = std::string(kFeaturesFolder) + "/";
        builtin.inline_sources = {{"devcontainer-features.builtin.env",
                                   builtin_env(s.root, container_user, remote_user), std::nullopt,
                                   std::nullopt, 0644}};
        try {
            copy_into_root(files);
            copy_into_root(settings);
            copy_into_root(builtin);
        } catch (const std::exception& e) {
            ctx.fail(stand_in, std::string("copying the feature's files: ") + e.what());
        }
        spec.root = s.root;
        spec.on_output = [&ctx, &stand_in](std::string_view line) { ctx.output(stand_in, line); };
        SandboxResult result;
        try {
            result = run_in_sandbox(spec);
        } catch (const SandboxError& e) {
            ctx.fail(stand_in, e.what());
        }
        try {
            remove_features_folder(s.root);
        } catch (const std::exception& e) {
            ctx.fail(stand_in, std::string("removing the feature's files: ") + e.what());
        }
        if (result.cancelled) throw BuildError("the build was cancelled");
        if (result.exit_code != 0) {
            std::string tail;
            for (const auto& line : result.last_lines) tail += "\n  " + line;
            throw BuildError(ctx.location(stand_in) + ": feature " + feature.id +
                                 ": install.sh failed with exit code " +
                                 std::to_string(result.exit_code) +
                                 (tail.empty() ? "" : ":" + tail),
                             stand_in.range, result.exit_code, feature.config_file);
        }
    };
    return step;
}

}  // namespace envbuilder::executor
