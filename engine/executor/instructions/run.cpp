// RUN: a command in the sandbox over the stage's root (exec form, shell form through SHELL, or
// a here-document script), with its --mount, --network and --security flags.
#include <set>

#include "executor/image_config.h"
#include "executor/instructions/instructions.h"
#include "executor/instructions/read_command.h"
#include "executor/instructions/run_mounts.h"
#include "executor/root_paths.h"
#include "syntax/json_text.h"

namespace envbuilder::executor::instructions {

namespace {

std::vector<std::string> command_line(StageContext& ctx, const StageState& s,
                                      const Instruction& ins, const dockerfile::RunCommand& run) {
    if (run.heredocs.empty() || run.exec_form) return command_of(s.image, ins);
    // `RUN <<EOF ... EOF`: the body is the script; `RUN cmd <<EOF`: the shell gets the whole
    // text with the here-document, which POSIX shells understand themselves.
    auto body_of = [&](const dockerfile::Heredoc& h) {
        return h.expand ? ctx.expand(s, h.body, ins) : h.body;
    };
    std::vector<std::string> argv = shell_of(s.image);
    if (run.heredoc_script) {
        argv.push_back(body_of(run.heredocs[0]));
        return argv;
    }
    std::string script = run.shell;
    for (const auto& h : run.heredocs) script += "\n" + body_of(h) + h.delimiter;
    argv.push_back(script);
    return argv;
}

// The image's environment, then the ARGs in scope (an ENV of the same name wins); ARGs are in
// RUN's environment but never in the image.
std::vector<std::string> run_environment(const StageState& s) {
    std::vector<std::string> env = env_of(s.image);
    std::set<std::string> names;
    for (const auto& e : env) names.insert(e.substr(0, e.find('=')));
    for (const auto& [name, value] : s.args)
        if (!names.count(name)) env.push_back(name + "=" + value);
    return env;
}

std::string history_text(const std::vector<std::string>& argv, bool exec_form) {
    if (exec_form) return "RUN " + json_text(argv) + " # buildkit";
    std::string text = "RUN";
    for (const auto& a : argv) text += " " + a;
    return text + " # buildkit";
}

}  // namespace

std::optional<std::string> missing_entitlement(const dockerfile::RunCommand& run,
                                               const BuildRequest& request) {
    if (run.security != dockerfile::RunSecurity::insecure || request.allow_security_insecure)
        return std::nullopt;
    return "RUN --security=insecure needs the security.insecure entitlement: it runs the step "
           "with every capability, no seccomp filter and a writable /proc/sys and /sys, so it "
           "must be allowed on the command line with --allow security.insecure";
}

Step run(StageContext& ctx, StageState& s, const Instruction& ins) {
    const dockerfile::RunCommand run = checked(ctx, ins, dockerfile::parse_run_command(ins));
    if (auto problem = missing_entitlement(run, ctx.request())) ctx.fail(ins, *problem);
    SandboxSpec spec;
    spec.argv = command_line(ctx, s, ins, run);
    RunMounts mounts = run_mounts(ctx, s, ins, run.mounts);
    spec.security = run.security == dockerfile::RunSecurity::insecure ? SecurityMode::insecure
                                                                      : SecurityMode::sandbox;
    // A RUN without --network takes the build's (build.options --network none).
    spec.isolate_network = run.network == dockerfile::RunNetwork::none ||
                           (!ins.flag("network") && ctx.request().network == "none");
    const std::string user = user_of(s.image);
    const std::string workdir = working_dir_of(s.image);
    spec.env = run_environment(s);
    Step step;
    step.definition =
        "RUN " + exact_key_text(spec.argv) + " env=" + exact_key_text(spec.env) + " user=" + user +
        " workdir=" + workdir + (spec.isolate_network ? " network=none" : "") +
        (spec.security == SecurityMode::insecure ? " security=insecure" : "") + mounts.definition;
    step.created_by = history_text(spec.argv, run.exec_form);
    spec.env.insert(spec.env.end(), mounts.secret_env.begin(), mounts.secret_env.end());
    spec.workdir = workdir.empty() ? "/" : workdir;
    spec.scratch_dir = ctx.work_dir();
    spec.cancel = ctx.request().cancel.get();
    step.change_root = [&ctx, &s, &ins, spec, mounts, user]() mutable {
        ctx.check_runnable(s, ins);
        for (size_t i = 0; i < mounts.mounts.size(); ++i)
            if (mounts.prepare[i]) mounts.prepare[i](mounts.mounts[i]);
        spec.root = s.root;
        spec.mounts = mounts.mounts;
        try {
            if (!user.empty()) {
                UserIds ids = resolve_user(s.root, user);
                spec.uid = ids.uid;
                spec.gid = ids.gid;
                spec.supplementary_groups = ids.groups;
            }
        } catch (const std::exception& e) {
            ctx.fail(ins, e.what());
        }
        spec.on_output = [&ctx, &ins](std::string_view line) { ctx.output(ins, line); };
        SandboxResult result;
        try {
            result = run_in_sandbox(spec);
        } catch (const SandboxError& e) {
            ctx.fail(ins, e.what());
        }
        if (result.cancelled) throw BuildError("the build was cancelled");
        if (result.exit_code != 0) {
            std::string tail;
            for (const auto& line : result.last_lines) tail += "\n  " + line;
            throw BuildError(ctx.location(ins) + ": RUN failed with exit code " +
                                 std::to_string(result.exit_code) +
                                 (tail.empty() ? "" : ":" + tail),
                             ins.range, result.exit_code);
        }
    };
    return step;
}

}  // namespace envbuilder::executor::instructions
