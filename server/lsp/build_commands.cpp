// The editor's Build, Build & Push and Cancel Build: workspace/executeCommand starts
// `envbuilder build --progress json` for a workspace folder and answers when it ends; its events
// become $/progress, window/logMessage and envbuilder/buildLog; a failed step becomes a diagnostic
// on its Dockerfile line and a window/showMessage.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "devcontainer/devcontainer.h"
#include "devcontainer/find_configs.h"

#include "lsp/server.h"
#include "lsp/uri.h"

namespace envbuilder::lsp {

namespace fs = std::filesystem;
using protocol::ErrorCode;
using protocol::Json;

namespace {

constexpr const char* kBuild = "envbuilder.build";
constexpr const char* kBuildAndPush = "envbuilder.buildAndPush";
constexpr const char* kCancelBuild = "envbuilder.cancelBuild";

// The workspace folder a target names, and the options that pick what to build in it.
struct Target {
    fs::path workspace;
    std::vector<std::string> args;  // --workspace/--devcontainer/--dockerfile ...
};

Target target_of(const fs::path& path) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) return {path, {"--workspace", path.string()}};
    const std::string name = path.filename().string();
    if (name == "devcontainer.json" || name == ".devcontainer.json") {
        // A config elsewhere (opened by hand) builds with its own folder as the workspace.
        fs::path dir = devcontainer::workspace_of_config(path);
        return {dir, {"--workspace", dir.string(), "--devcontainer", path.string()}};
    }
    // A Dockerfile that a devcontainer config beside it (or in .devcontainer above it) builds is
    // built the way that config says: its context, args and target.
    for (fs::path dir = path.parent_path(); !dir.empty() && dir != dir.root_path();
         dir = dir.parent_path()) {
        // The workspace's configs, or (in .devcontainer/ or a folder under it) the config there.
        std::vector<fs::path> configs = devcontainer::find_configs(dir);
        if (devcontainer::is_config_location(dir / "devcontainer.json") &&
            fs::is_regular_file(dir / "devcontainer.json", ec))
            configs.push_back(dir / "devcontainer.json");
        for (const fs::path& config : configs) {
            std::ifstream in(config);
            std::string text((std::istreambuf_iterator<char>(in)), {});
            auto analysis = devcontainer::analyze_devcontainer(SourceText(text), config);
            auto paths = devcontainer::resolve_build_paths(analysis.config, config);
            if (paths &&
                fs::weakly_canonical(paths->dockerfile, ec) == fs::weakly_canonical(path, ec))
                return target_of(config);
        }
        if (dir.filename() != ".devcontainer" && dir.parent_path().filename() != ".devcontainer")
            break;
    }
    return {path.parent_path(), {"--dockerfile", path.string()}};
}

std::vector<std::string> strings_of(const Json& value) {
    std::vector<std::string> out;
    if (value.is_string()) out.push_back(value.get<std::string>());
    if (value.is_array())
        for (const auto& v : value)
            if (v.is_string()) out.push_back(v.get<std::string>());
    return out;
}

// An override from the command's arguments, else the setting of the same name.
Json option(const Json& overrides, const Json& settings, const char* name) {
    if (overrides.is_object() && overrides.contains(name) && !overrides[name].is_null())
        return overrides[name];
    if (settings.is_object() && settings.contains(name)) return settings[name];
    return nullptr;
}

std::string self_executable() {
    std::error_code ec;
    fs::path self = fs::read_symlink("/proc/self/exe", ec);
    return ec ? "envbuilder" : self.string();
}

}  // namespace

void LanguageServer::execute_command(const protocol::RequestId& id, const Json& params) {
    const std::string command = params.at("command").get<std::string>();
    const Json arguments = params.value("arguments", Json::array());
    if (command == kCancelBuild) {
        std::optional<fs::path> only;
        if (arguments.is_array() && !arguments.empty() && arguments[0].is_string())
            if (auto path = uri_to_path(arguments[0].get<std::string>()))
                only = target_of(*path).workspace;
        size_t n = cancel_builds(
            [&](const RunningBuild& b) { return !only || b.workspace == only->string(); });
        respond(id, {{"cancelled", n}});
        return;
    }
    if (command != kBuild && command != kBuildAndPush)
        throw RpcError{ErrorCode::InvalidParams, "unknown command '" + command + "'"};

    std::optional<fs::path> path;
    if (arguments.is_array() && !arguments.empty() && arguments[0].is_string()) {
        path = uri_to_path(arguments[0].get<std::string>());
        if (!path) throw RpcError{ErrorCode::InvalidParams, "the build target must be a file: URI"};
    } else if (workspace_root_) {
        path = *workspace_root_;
    } else {
        throw RpcError{ErrorCode::InvalidParams,
                       "no build target: pass a folder, devcontainer.json or Dockerfile URI"};
    }
    Target target = target_of(fs::absolute(*path).lexically_normal());
    if (auto running = builds_.find(target.workspace.string()); running != builds_.end())
        throw RpcError{ErrorCode::RequestFailed, "a build of " + target.workspace.string() +
                                                     " is already running (" +
                                                     running->second->command + ", step " +
                                                     std::to_string(running->second->step) + "/" +
                                                     std::to_string(running->second->steps) + ")"};

    const Json overrides =
        arguments.is_array() && arguments.size() > 1 ? arguments[1] : Json::object();
    std::vector<std::string> args{"build", "--progress", "json"};
    args.insert(args.end(), target.args.begin(), target.args.end());
    std::vector<std::string> images = strings_of(option(overrides, build_settings_, "image"));
    if (command == kBuildAndPush) {
        if (images.empty())
            throw RpcError{
                ErrorCode::InvalidParams,
                "Build & Push needs an image: set envbuilder.image or pass {\"image\": ...}"};
        for (const auto& image : images) args.insert(args.end(), {"--image", image});
    } else {
        args.push_back("--no-push");
    }
    if (auto base = option(overrides, build_settings_, "baseImage");
        base.is_string() && !base.get<std::string>().empty())
        args.insert(args.end(), {"--base-image", base.get<std::string>()});
    for (const auto& mirror : strings_of(option(overrides, build_settings_, "registryMirrors")))
        args.insert(args.end(), {"--registry-mirror", mirror});
    for (const auto& host : strings_of(option(overrides, build_settings_, "insecureRegistries")))
        args.insert(args.end(), {"--insecure-registry", host});
    if (auto build_args = option(overrides, build_settings_, "buildArgs"); build_args.is_object())
        for (const auto& [name, value] : build_args.items())
            if (value.is_string())
                args.insert(args.end(), {"--build-arg", name + "=" + value.get<std::string>()});
    if (auto platform = option(overrides, build_settings_, "platform"); platform.is_string())
        args.insert(args.end(), {"--platform", platform.get<std::string>()});
    if (auto cache = option(overrides, build_settings_, "cacheDir"); cache.is_string())
        args.insert(args.end(), {"--cache-dir", cache.get<std::string>()});
    if (auto no_cache = option(overrides, build_settings_, "noCache");
        no_cache.is_boolean() && no_cache.get<bool>())
        args.push_back("--no-cache");

    auto build = std::make_unique<RunningBuild>();
    build->request = id;
    build->workspace = target.workspace.string();
    build->command = command == kBuild ? "Build" : "Build & Push";
    RunningBuild& b = *build;
    builds_[b.workspace] = std::move(build);
    // The previous build's diagnostics go when the next build starts.
    for (auto it = build_diagnostics_.begin(); it != build_diagnostics_.end();) {
        const std::string uri = it->first;
        it = build_diagnostics_.erase(it);
        if (const Document* doc = documents_.find(uri))
            mark_dirty(doc->uri);
        else
            notify("textDocument/publishDiagnostics",
                   {{"uri", uri}, {"diagnostics", Json::array()}});
    }

    if (params.contains("workDoneToken") && !params["workDoneToken"].is_null()) {
        b.token = params["workDoneToken"];
        start_build(b, std::move(args));
    } else if (client_capabilities_.value("window", Json::object())
                   .value("workDoneProgress", false)) {
        Json token = "envbuilder-build-" + std::to_string(next_progress_++);
        const std::string workspace = b.workspace;
        request("window/workDoneProgress/create", {{"token", token}},
                [this, workspace, token,
                 args = std::move(args)](const protocol::Response& response) mutable {
                    auto it = builds_.find(workspace);
                    if (it == builds_.end() || it->second->process) return;
                    if (!response.error) it->second->token = token;
                    start_build(*it->second, std::move(args));
                });
    } else {
        start_build(b, std::move(args));
    }
}

void LanguageServer::start_build(RunningBuild& build, std::vector<std::string> args) {
    if (build.cancelled) {
        on_build_exit(build.workspace, 130);
        return;
    }
    progress(build, {{"kind", "begin"},
                     {"title", "Envbuilder: " + build.command},
                     {"cancellable", true},
                     {"message", "starting " + build.workspace},
                     {"percentage", 0}});
    log(
        3, "envbuilder " + [&] {
            std::string line;
            for (const auto& a : args) line += (line.empty() ? "" : " ") + a;
            return line;
        }());
    const std::string workspace = build.workspace;
    BuildProcess::Callbacks callbacks;
    callbacks.on_event = [this, workspace](const Json& event) {
        if (auto it = builds_.find(workspace); it != builds_.end())
            on_build_event(*it->second, event);
    };
    callbacks.on_stderr = [this, workspace](const std::string& line) {
        if (auto it = builds_.find(workspace); it != builds_.end()) {
            it->second->last_stderr = line;
            notify("window/logMessage", {{"type", 4}, {"message", line}});
        }
    };
    callbacks.on_exit = [this, workspace](int status) { on_build_exit(workspace, status); };
    try {
        build.process =
            std::make_unique<BuildProcess>(io_, self_executable(), args, std::move(callbacks));
    } catch (const std::exception& e) {
        build.error = Json{{"type", "error"}, {"message", e.what()}};
        on_build_exit(workspace, 1);
    }
}

void LanguageServer::progress(const RunningBuild& build, Json value) {
    if (build.token.is_null()) return;
    notify("$/progress", {{"token", build.token}, {"value", std::move(value)}});
}

void LanguageServer::on_build_event(RunningBuild& build, const Json& event) {
    const std::string type = event.value("type", "");
    if (type == "result") {
        build.result = event;
        return;
    }
    if (type == "error") {
        build.error = event;
        return;
    }
    build.step = event.value("step", build.step);
    build.steps = event.value("steps", build.steps);
    auto percentage = [&] {
        return build.steps ? static_cast<int>(100 * (build.step - 1) / build.steps) : 0;
    };
    if (type == "step_started") {
        std::string message = "step " + std::to_string(build.step) + "/" +
                              std::to_string(build.steps) + ": " + event.value("instruction", "");
        progress(build, {{"kind", "report"}, {"message", message}, {"percentage", percentage()}});
        notify("window/logMessage", {{"type", 4}, {"message", message}});
    } else if (type == "output" || type == "message" || type == "warning") {
        std::string text = event.value("text", "");
        notify("window/logMessage", {{"type", type == "warning" ? 2 : 4}, {"message", text}});
        notify("envbuilder/buildLog",
               {{"workspace", path_to_uri(build.workspace)}, {"step", build.step}, {"text", text}});
    } else if (type == "transfer" && event.contains("transfer")) {
        const Json& t = event["transfer"];
        if (t.value("kind", "") == "finished") return;
        std::string message =
            std::string(t.value("direction", "") == "push" ? "pushing " : "pulling ") +
            t.value("digest", "").substr(0, 19) + ": " +
            std::to_string(t.value("bytes", uint64_t{0}) >> 20) + "/" +
            std::to_string(t.value("size", uint64_t{0}) >> 20) + " MiB";
        progress(build, {{"kind", "report"}, {"message", message}, {"percentage", percentage()}});
    }
}

void LanguageServer::on_build_exit(const std::string& workspace, int status) {
    auto it = builds_.find(workspace);
    if (it == builds_.end()) return;
    std::unique_ptr<RunningBuild> build = std::move(it->second);
    builds_.erase(it);
    if (build->cancelled) {
        progress(*build, {{"kind", "end"}, {"message", "cancelled"}});
        notify("window/showMessage",
               {{"type", 3}, {"message", "Envbuilder: build of " + workspace + " cancelled"}});
        respond_error(build->request, ErrorCode::RequestCancelled,
                      "the build of " + workspace + " was cancelled");
    } else if (build->result && status == 0) {
        const Json& r = *build->result;
        std::string digest = r.value("digest", "");
        std::vector<std::string> pushed = strings_of(r.value("pushed", Json::array()));
        std::string summary = pushed.empty() ? "built " + digest : "pushed " + pushed.front();
        progress(*build, {{"kind", "end"}, {"message", summary}});
        notify("window/showMessage", {{"type", 3}, {"message", "Envbuilder: " + summary}});
        respond(build->request, {{"digest", digest}, {"pushed", pushed}});
    } else {
        std::string message = build->error ? build->error->value("message", "") : "";
        if (message.empty())
            message = "the build ended with status " + std::to_string(status) +
                      (build->last_stderr.empty() ? "" : ": " + build->last_stderr);
        if (build->error && build->error->contains("range") && build->error->contains("file")) {
            // The failing instruction, marked where the user can see and fix it.
            const Json& r = (*build->error)["range"];
            Diagnostic d;
            d.code = "BuildFailed";
            d.severity = Severity::Error;
            d.message = message;
            d.range = {{r["start"].value("line", 0u), r["start"].value("character", 0u)},
                       {r["end"].value("line", 0u), r["end"].value("character", 0u)}};
            const std::string uri = path_to_uri((*build->error)["file"].get<std::string>());
            build_diagnostics_[uri].push_back(d);
            if (const Document* doc = documents_.find(uri)) {
                publish(*doc, analyze(*doc));
            } else {
                Json range = {
                    {"start",
                     {{"line", d.range.start.line}, {"character", d.range.start.character}}},
                    {"end", {{"line", d.range.end.line}, {"character", d.range.end.character}}}};
                notify("textDocument/publishDiagnostics",
                       {{"uri", uri},
                        {"diagnostics", Json::array({{{"range", range},
                                                      {"severity", 1},
                                                      {"code", d.code},
                                                      {"source", "envbuilder"},
                                                      {"message", message}}})}});
            }
        }
        progress(*build, {{"kind", "end"}, {"message", "failed: " + message}});
        notify("window/showMessage", {{"type", 1}, {"message", "Envbuilder: " + message}});
        respond_error(build->request, ErrorCode::RequestFailed, message);
    }
}

size_t LanguageServer::cancel_builds(const std::function<bool(const RunningBuild&)>& which) {
    size_t n = 0;
    for (auto& [workspace, build] : builds_) {
        if (build->cancelled || !which(*build)) continue;
        build->cancelled = true;
        if (build->process) build->process->cancel();
        ++n;
    }
    return n;
}

void LanguageServer::clear_build_diagnostics(const std::string& uri, const Json& content_changes) {
    auto it = build_diagnostics_.find(uri);
    if (it == build_diagnostics_.end() || !content_changes.is_array()) return;
    for (const auto& change : content_changes) {
        if (!change.contains("range")) {
            build_diagnostics_.erase(it);  // the whole text was replaced
            return;
        }
        uint32_t first = change["range"]["start"].value("line", 0u),
                 last = change["range"]["end"].value("line", 0u);
        std::erase_if(it->second, [&](const Diagnostic& d) {
            return first <= d.range.end.line && last >= d.range.start.line;
        });
    }
    if (it->second.empty()) build_diagnostics_.erase(it);
}

}  // namespace envbuilder::lsp
