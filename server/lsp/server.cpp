#include "lsp/server.h"

#include <unistd.h>

#include <iostream>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>

#include "analysis/dockerfile_lint.h"
#include "devcontainer/devcontainer.h"
#include "features/local_check.h"
#include "lsp/uri.h"
#include "syntax/dockerfile_parser.h"
#include "syntax/json_text.h"
#include "version.h"

namespace envbuilder::lsp {

using protocol::ErrorCode;
using protocol::Json;

namespace {

std::string id_key(const protocol::RequestId& id) {
    return json_text(id);
}

std::optional<Severity> parse_severity(const std::string& s) {
    if (s == "error") return Severity::Error;
    if (s == "warning") return Severity::Warning;
    if (s == "information" || s == "info") return Severity::Information;
    if (s == "hint") return Severity::Hint;
    return std::nullopt;
}

}  // namespace

LanguageServer::LanguageServer(boost::asio::io_context& io, StdioTransport& transport)
    : io_(io), transport_(transport) {
    register_handlers();
}

void LanguageServer::send(const Json& message) {
    if (!transport_.send(message)) {
        // The client is gone: nothing left to serve.
        finished_ = true;
        io_.stop();
    }
}

void LanguageServer::respond(const protocol::RequestId& id, Json result) {
    send(protocol::to_json(protocol::success(id, std::move(result))));
}

void LanguageServer::respond_error(const protocol::RequestId& id, ErrorCode code,
                                   const std::string& message) {
    send(protocol::to_json(protocol::failure(id, code, message)));
}

void LanguageServer::notify(const std::string& method, Json params) {
    send(protocol::to_json(protocol::Notification{method, std::move(params)}));
}

void LanguageServer::request(const std::string& method, Json params,
                             std::function<void(const protocol::Response&)> on_response) {
    Json id = "envbuilder-" + std::to_string(next_id_++);
    pending_[id_key(id)] = std::move(on_response);
    send(protocol::to_json(protocol::Request{id, method, std::move(params)}));
}

void LanguageServer::log(int type, const std::string& message) {
    std::cerr << "envbuilder: " << message << '\n';
    if (state_ != State::Starting)
        notify("window/logMessage", {{"type", type}, {"message", message}});
}

void LanguageServer::on_framing_error(const std::string& problem) {
    std::cerr << "envbuilder: unreadable message skipped: " << problem << '\n';
    // Nothing can be answered without an id; JSON-RPC says to reply with a null id.
    send(protocol::to_json(
        protocol::failure(nullptr, ErrorCode::ParseError, "unreadable message: " + problem)));
}

void LanguageServer::on_end(bool mid_message) {
    if (mid_message) std::cerr << "envbuilder: input ended in the middle of a message\n";
    // The client went away; that is an orderly end only if it had asked us to shut down.
    exit_code_ = state_ == State::ShuttingDown ? 0 : 1;
    finished_ = true;
    io_.stop();
}

void LanguageServer::on_bodies(std::vector<std::string> bodies) {
    std::vector<std::variant<protocol::Message, protocol::MessageError>> batch;
    batch.reserve(bodies.size());
    for (const auto& body : bodies) {
        // LSP bodies are UTF-8, but a client that sends a Latin-1 file as it is must not lose the
        // whole message (nlohmann refuses ill-formed UTF-8): its stray bytes become U+FFFD.
        if (is_valid_utf8(body))
            batch.push_back(protocol::parse_message(body));
        else
            batch.push_back(protocol::parse_message(replace_invalid_utf8(body)));
    }
    // Requests are answered in order, so only a request waiting in this same batch can still be
    // cancelled; cancellations of requests already answered are ignored.
    std::set<std::string> waiting;
    for (const auto& item : batch) {
        const auto* message = std::get_if<protocol::Message>(&item);
        if (!message) continue;
        if (const auto* r = std::get_if<protocol::Request>(message)) waiting.insert(id_key(r->id));
        const auto* n = std::get_if<protocol::Notification>(message);
        if (n && n->method == "$/cancelRequest" && n->params.is_object() &&
            n->params.contains("id") && waiting.count(id_key(n->params["id"])))
            cancelled_.insert(id_key(n->params["id"]));
    }
    for (auto& item : batch) {
        if (finished_) return;  // `exit` came earlier in this batch
        if (auto* error = std::get_if<protocol::MessageError>(&item)) {
            send(protocol::to_json(protocol::failure(error->id, error->code, error->message)));
            continue;
        }
        auto& message = std::get<protocol::Message>(item);
        if (auto* r = std::get_if<protocol::Request>(&message))
            handle_request(*r);
        else if (auto* n = std::get_if<protocol::Notification>(&message))
            handle_notification(*n);
        else
            handle_response(std::get<protocol::Response>(message));
    }
}

void LanguageServer::handle_response(const protocol::Response& response) {
    auto it = pending_.find(id_key(response.id));
    if (it == pending_.end()) return;
    auto callback = std::move(it->second);
    pending_.erase(it);
    callback(response);
}

void LanguageServer::handle_request(const protocol::Request& request) {
    if (cancelled_.erase(id_key(request.id))) {
        send(protocol::to_json(
            protocol::failure(request.id, ErrorCode::RequestCancelled, "request cancelled")));
        return;
    }
    if (state_ == State::Starting && request.method != "initialize") {
        send(protocol::to_json(protocol::failure(request.id, ErrorCode::ServerNotInitialized,
                                                 "the server has not been initialized")));
        return;
    }
    if (state_ == State::ShuttingDown) {
        send(protocol::to_json(protocol::failure(request.id, ErrorCode::InvalidRequest,
                                                 "the server is shutting down")));
        return;
    }
    if (auto deferred = deferred_requests_.find(request.method);
        deferred != deferred_requests_.end()) {
        try {
            deferred->second(request.id, request.params);
        } catch (const RpcError& e) {
            respond_error(request.id, e.code, e.message);
        } catch (const std::exception& e) {
            respond_error(request.id, ErrorCode::InvalidParams,
                          "invalid params for " + request.method + ": " + e.what());
        }
        return;
    }
    auto handler = requests_.find(request.method);
    if (handler == requests_.end()) {
        send(protocol::to_json(protocol::failure(request.id, ErrorCode::MethodNotFound,
                                                 "unknown method '" + request.method + "'")));
        return;
    }
    try {
        send(protocol::to_json(protocol::success(request.id, handler->second(request.params))));
    } catch (const RpcError& e) {
        send(protocol::to_json(protocol::failure(request.id, e.code, e.message)));
    } catch (const Json::exception& e) {
        send(protocol::to_json(
            protocol::failure(request.id, ErrorCode::InvalidParams,
                              "invalid params for " + request.method + ": " + e.what())));
    } catch (const std::exception& e) {
        send(protocol::to_json(protocol::failure(request.id, ErrorCode::InternalError, e.what())));
    }
}

void LanguageServer::handle_notification(const protocol::Notification& n) {
    if (n.method == "exit") {
        exit_code_ = state_ == State::ShuttingDown ? 0 : 1;
        finished_ = true;
        io_.stop();
        return;
    }
    if (n.method == "$/cancelRequest") {
        // Requests still waiting were cancelled when their batch arrived; a running build is
        // cancelled here.
        if (n.params.is_object() && n.params.contains("id")) {
            const std::string id = id_key(n.params["id"]);
            cancel_builds([&](const RunningBuild& b) { return id_key(b.request) == id; });
        }
        return;
    }
    if (state_ == State::Starting) return;  // notifications before initialize are dropped
    auto handler = notifications_.find(n.method);
    if (handler == notifications_.end()) return;  // unknown notifications are ignored, as LSP asks
    try {
        handler->second(n.params);
    } catch (const std::exception& e) {
        log(1, "could not handle " + n.method + ": " + e.what());
    }
}

void LanguageServer::register_handlers() {
    requests_["initialize"] = [this](const Json& params) { return initialize(params); };
    requests_["shutdown"] = [this](const Json&) {
        state_ = State::ShuttingDown;
        return Json();
    };
    requests_["textDocument/codeAction"] = [this](const Json& params) {
        return code_actions(params);
    };
    requests_["textDocument/hover"] = [this](const Json& params) { return hover(params); };
    requests_["textDocument/completion"] = [this](const Json& params) {
        return completion(params);
    };
    requests_["textDocument/documentSymbol"] = [this](const Json& params) {
        return document_symbols(params);
    };
    requests_["textDocument/definition"] = [this](const Json& params) {
        return definition(params);
    };
    requests_["textDocument/references"] = [this](const Json& params) {
        return references(params);
    };
    requests_["textDocument/formatting"] = [this](const Json& params) {
        return formatting(params);
    };
    deferred_requests_["workspace/executeCommand"] =
        [this](const protocol::RequestId& id, const Json& params) { execute_command(id, params); };
    notifications_["window/workDoneProgress/cancel"] = [this](const Json& params) {
        const Json token = params.at("token");
        cancel_builds([&](const RunningBuild& b) { return b.token == token; });
    };

    notifications_["initialized"] = [this](const Json&) { initialized(); };
    notifications_["textDocument/didOpen"] = [this](const Json& params) {
        const Json& td = params.at("textDocument");
        auto& doc =
            documents_.open(td.at("uri").get<std::string>(), td.value("languageId", std::string()),
                            td.value("version", 0), td.at("text").get<std::string>());
        mark_dirty(doc.uri);
    };
    notifications_["textDocument/didChange"] = [this](const Json& params) {
        const Json& td = params.at("textDocument");
        clear_build_diagnostics(td.at("uri").get<std::string>(), params.at("contentChanges"));
        auto& doc = documents_.change(td.at("uri").get<std::string>(), td.value("version", 0),
                                      params.at("contentChanges"), encoding_);
        mark_dirty(doc.uri);
    };
    notifications_["textDocument/didSave"] = [this](const Json& params) {
        const std::string uri = params.at("textDocument").at("uri").get<std::string>();
        if (auto* doc = documents_.find(uri)) {
            if (params.contains("text") && params["text"].is_string())
                documents_.open(uri, doc->language_id, doc->version,
                                params["text"].get<std::string>());
            mark_dirty(uri);
        }
    };
    notifications_["textDocument/didClose"] = [this](const Json& params) {
        const std::string uri = params.at("textDocument").at("uri").get<std::string>();
        documents_.close(uri);
        dirty_.erase(uri);
        published_.erase(uri);
        notify("textDocument/publishDiagnostics", {{"uri", uri}, {"diagnostics", Json::array()}});
    };
    notifications_["workspace/didChangeConfiguration"] = [this](const Json& params) {
        if (params.contains("settings") && params["settings"].is_object() &&
            params["settings"].contains("envbuilder"))
            apply_settings(params["settings"]["envbuilder"]);
        else
            pull_configuration();
    };
    notifications_["workspace/didChangeWatchedFiles"] = [this](const Json&) {
        // A Dockerfile appearing or disappearing changes what devcontainer configs report.
        for (const auto& [uri, doc] : documents_.all())
            if (doc.kind == DocumentKind::Devcontainer) mark_dirty(uri);
    };
}

Json LanguageServer::initialize(const Json& params) {
    if (state_ != State::Starting)
        throw RpcError{ErrorCode::InvalidRequest, "initialize may only be sent once"};
    client_capabilities_ = params.value("capabilities", Json::object());
    if (params.contains("workspaceFolders") && params["workspaceFolders"].is_array() &&
        !params["workspaceFolders"].empty() && params["workspaceFolders"][0].contains("uri"))
        workspace_root_ = uri_to_path(params["workspaceFolders"][0]["uri"].get<std::string>());
    else if (params.contains("rootUri") && params["rootUri"].is_string())
        workspace_root_ = uri_to_path(params["rootUri"].get<std::string>());
    const Json general = client_capabilities_.value("general", Json::object());
    if (general.contains("positionEncodings") && general["positionEncodings"].is_array()) {
        for (const auto& e : general["positionEncodings"])
            if (e == "utf-8") encoding_ = PositionEncoding::Utf8;
    }
    if (params.contains("initializationOptions") && params["initializationOptions"].is_object())
        apply_settings(params["initializationOptions"]);
    state_ = State::Running;
    return {{"capabilities",
             {{"positionEncoding", encoding_ == PositionEncoding::Utf8 ? "utf-8" : "utf-16"},
              {"textDocumentSync",
               {{"openClose", true}, {"change", 2}, {"save", {{"includeText", false}}}}},
              {"codeActionProvider", {{"codeActionKinds", Json::array({"quickfix"})}}},
              {"hoverProvider", true},
              {"completionProvider",
               {{"triggerCharacters", Json::array({"-", "=", "$", "{", "\"", ":", ","})},
                {"resolveProvider", false}}},
              {"documentSymbolProvider", true},
              {"definitionProvider", true},
              {"referencesProvider", true},
              {"documentFormattingProvider", true},
              {"executeCommandProvider",
               {{"commands", Json::array({"envbuilder.build", "envbuilder.buildAndPush",
                                          "envbuilder.cancelBuild"})}}}}},
            {"serverInfo", {{"name", "envbuilder"}, {"version", ENVBUILDER_VERSION}}}};
}

void LanguageServer::initialized() {
    const Json workspace = client_capabilities_.value("workspace", Json::object());
    if (workspace.value("configuration", false)) pull_configuration();
    const Json watched = workspace.value("didChangeWatchedFiles", Json::object());
    if (watched.value("dynamicRegistration", false)) {
        Json watchers = Json::array();
        for (const char* glob :
             {"**/Dockerfile", "**/Dockerfile.*", "**/*.Dockerfile", "**/Containerfile",
              "**/.devcontainer/**", "**/.devcontainer.json"})
            watchers.push_back({{"globPattern", glob}, {"kind", 7}});
        request("client/registerCapability",
                {{"registrations", Json::array({{{"id", "envbuilder-watch"},
                                                 {"method", "workspace/didChangeWatchedFiles"},
                                                 {"registerOptions", {{"watchers", watchers}}}}})}},
                [](const protocol::Response&) {});
    }
}

void LanguageServer::pull_configuration() {
    const Json workspace = client_capabilities_.value("workspace", Json::object());
    if (!workspace.value("configuration", false)) return;
    request("workspace/configuration", {{"items", Json::array({{{"section", "envbuilder"}}})}},
            [this](const protocol::Response& response) {
                if (response.result && response.result->is_array() && !response.result->empty())
                    apply_settings((*response.result)[0]);
            });
}

// Settings, section "envbuilder": { "lint": { "disabledRules": [...], "severity": {"Code": "hint"}
// } }
void LanguageServer::apply_settings(const Json& section) {
    Settings settings;
    if (section.is_object()) build_settings_ = section;
    if (section.is_object() && section.contains("lint") && section["lint"].is_object()) {
        const Json& lint = section["lint"];
        if (lint.contains("disabledRules") && lint["disabledRules"].is_array())
            for (const auto& r : lint["disabledRules"])
                if (r.is_string()) settings.disabled_rules.insert(r.get<std::string>());
        if (lint.contains("severity") && lint["severity"].is_object())
            for (const auto& [code, value] : lint["severity"].items())
                if (value.is_string())
                    if (auto s = parse_severity(value.get<std::string>()))
                        settings.severity_overrides[code] = *s;
    }
    settings_ = std::move(settings);
    for (const auto& [uri, doc] : documents_.all()) mark_dirty(uri);
}

void LanguageServer::mark_dirty(const std::string& uri) {
    dirty_.insert(uri);
    if (analysis_scheduled_) return;
    analysis_scheduled_ = true;
    // Analysis runs once everything already received has been applied: edits that arrive faster
    // than analysis are coalesced, and only the newest text is analysed and published.
    boost::asio::post(io_, [this] { analyze_dirty(); });
}

void LanguageServer::analyze_dirty() {
    analysis_scheduled_ = false;
    auto dirty = std::move(dirty_);
    dirty_.clear();
    for (const std::string& uri : dirty) {
        const Document* doc = documents_.find(uri);
        if (!doc) continue;
        publish(*doc, analyze(*doc));
    }
}

std::vector<Diagnostic> LanguageServer::analyze(const Document& doc) {
    std::vector<Diagnostic> result;
    if (doc.kind == DocumentKind::Dockerfile) {
        const auto& df = doc.dockerfile();
        LintOptions options;
        options.disabled_rules = settings_.disabled_rules;
        options.severity_overrides = settings_.severity_overrides;
        if (doc.path) {
            options.dockerfile_path = *doc.path;
            options.context_dir = doc.path->parent_path();
        }
        result = lint_dockerfile(df, options);
    } else if (doc.kind == DocumentKind::Devcontainer) {
        auto analysis = devcontainer::analyze_devcontainer(
            doc.text, doc.path ? *doc.path : std::filesystem::path("/devcontainer.json"));
        // Local features are read from disk (small files, no network) and their options checked.
        if (doc.path)
            for (auto& d : features::check_local_features(analysis.config, *doc.path))
                analysis.diagnostics.push_back(std::move(d));
        for (auto& d : analysis.diagnostics) {
            if (settings_.disabled_rules.count(d.code)) continue;
            if (auto it = settings_.severity_overrides.find(d.code);
                it != settings_.severity_overrides.end())
                d.severity = it->second;
            result.push_back(std::move(d));
        }
    }
    return result;
}

Json LanguageServer::to_lsp(const Document& doc, Range range) const {
    Range r = doc.text.encode(range, encoding_);
    return {{"start", {{"line", r.start.line}, {"character", r.start.character}}},
            {"end", {{"line", r.end.line}, {"character", r.end.character}}}};
}

Range LanguageServer::from_lsp(const Document& doc, const Json& range) const {
    if (!range.is_object())
        throw RpcError{ErrorCode::InvalidParams, "range must be an object {start, end}"};
    return doc.text.decode(Range{read_position(range.value("start", Json()), "range.start"),
                                 read_position(range.value("end", Json()), "range.end")},
                           encoding_);
}

void LanguageServer::publish(const Document& doc, const std::vector<Diagnostic>& diagnostics) {
    Json items = Json::array();
    for (const auto& d : diagnostics) {
        Json item = {{"range", to_lsp(doc, d.range)},
                     {"severity", static_cast<int>(d.severity)},
                     {"code", d.code},
                     {"source", "envbuilder"},
                     {"message", d.message}};
        if (!d.url.empty()) item["codeDescription"] = {{"href", d.url}};
        items.push_back(std::move(item));
    }
    // A failed build's diagnostic stays beside the analysis until the next build or an edit of its
    // line.
    if (auto build = build_diagnostics_.find(doc.uri); build != build_diagnostics_.end())
        for (const auto& d : build->second) {
            Json item = {{"range", to_lsp(doc, d.range)},
                         {"severity", static_cast<int>(d.severity)},
                         {"code", d.code},
                         {"source", "envbuilder"},
                         {"message", d.message}};
            items.push_back(std::move(item));
        }
    published_[doc.uri] = diagnostics;
    notify("textDocument/publishDiagnostics",
           {{"uri", doc.uri}, {"version", doc.version}, {"diagnostics", items}});
}

Json LanguageServer::code_actions(const Json& params) {
    const std::string uri = params.at("textDocument").at("uri").get<std::string>();
    const Document* doc = documents_.find(uri);
    Json actions = Json::array();
    if (!doc) return actions;
    Range wanted = from_lsp(*doc, params.at("range"));
    // Answer from the current text: a change still waiting for analysis is analysed now.
    if (dirty_.erase(uri)) publish(*doc, analyze(*doc));
    auto it = published_.find(uri);
    if (it == published_.end()) return actions;
    for (const auto& d : it->second) {
        if (!d.fix) continue;
        // A fix applies when its diagnostic touches the requested range.
        if (d.range.end < wanted.start || wanted.end < d.range.start) continue;
        Json edits = Json::array();
        for (const auto& e : d.fix->edits)
            edits.push_back({{"range", to_lsp(*doc, e.range)}, {"newText", e.new_text}});
        actions.push_back({{"title", d.fix->title},
                           {"kind", "quickfix"},
                           {"isPreferred", true},
                           {"diagnostics", Json::array({{{"range", to_lsp(*doc, d.range)},
                                                         {"severity", static_cast<int>(d.severity)},
                                                         {"code", d.code},
                                                         {"source", "envbuilder"},
                                                         {"message", d.message}}})},
                           {"edit", {{"changes", {{uri, edits}}}}}});
    }
    return actions;
}

int run_language_server() {
    boost::asio::io_context io;
    StdioTransport transport(io, STDIN_FILENO, STDOUT_FILENO);
    LanguageServer server(io, transport);
    transport.start([&](std::vector<std::string> bodies) { server.on_bodies(std::move(bodies)); },
                    [&](bool mid_message) { server.on_end(mid_message); },
                    [&](std::string problem) { server.on_framing_error(problem); });
    auto work = boost::asio::make_work_guard(io);
    io.run();
    std::cout.flush();
    return server.exit_code();
}

}  // namespace envbuilder::lsp
