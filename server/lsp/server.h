#pragma once
// The language server session: LSP lifecycle, message dispatch, documents and their diagnostics.
// It speaks LSP and turns requests into engine calls; the engine knows nothing of LSP.
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>

#include <boost/asio/io_context.hpp>

#include "syntax/diagnostic.h"
#include "language/dockerfile_features.h"
#include "lsp/build_process.h"
#include "lsp/documents.h"
#include "lsp/params.h"
#include "lsp/transport.h"
#include "protocol/jsonrpc.h"
#include "protocol/lsp_types.h"

namespace envbuilder::lsp {

struct Settings {
    std::set<std::string> disabled_rules;
    std::map<std::string, Severity> severity_overrides;
};

class LanguageServer {
  public:
    LanguageServer(boost::asio::io_context& io, StdioTransport& transport);

    // Handles the messages of one read in order; a $/cancelRequest among them cancels a request
    // that precedes it in the same read.
    void on_bodies(std::vector<std::string> bodies);
    void on_end(bool mid_message);
    void on_framing_error(const std::string& problem);
    // 0 after shutdown + exit, 1 otherwise (as LSP asks).
    int exit_code() const { return exit_code_; }

  private:
    using Json = protocol::Json;
    using RequestHandler = std::function<Json(const Json& params)>;
    // A request answered later (with respond/respond_error), e.g. a build that runs for minutes.
    using DeferredHandler = std::function<void(const protocol::RequestId& id, const Json& params)>;
    using NotificationHandler = std::function<void(const Json& params)>;

    enum class State { Starting, Running, ShuttingDown };

    boost::asio::io_context& io_;
    StdioTransport& transport_;
    State state_ = State::Starting;
    int exit_code_ = 1;
    bool finished_ = false;  // exit received, input ended or the client is gone
    PositionEncoding encoding_ = PositionEncoding::Utf16;
    Json client_capabilities_;
    std::optional<std::filesystem::path> workspace_root_;  // the first workspace folder, if any
    Settings settings_;
    DocumentStore documents_;
    std::map<std::string, RequestHandler> requests_;
    std::map<std::string, DeferredHandler> deferred_requests_;
    std::map<std::string, NotificationHandler> notifications_;
    std::set<std::string> cancelled_;  // ids (dumped) of requests cancelled before they ran
    std::map<std::string, std::function<void(const protocol::Response&)>> pending_;  // our requests
    int next_id_ = 1;
    std::set<std::string> dirty_;  // documents whose diagnostics are out of date
    bool analysis_scheduled_ = false;
    std::map<std::string, std::vector<Diagnostic>> published_;  // last diagnostics per document

    // Builds (build_commands.cpp): one per workspace folder, each a child process.
    struct RunningBuild {
        protocol::RequestId request;
        std::string workspace;  // the folder, as a path
        std::string command;
        Json token;  // the work-done progress token, or null
        size_t step = 0, steps = 0;
        bool cancelled = false;
        std::optional<Json> result, error;
        std::string last_stderr;
        std::unique_ptr<BuildProcess> process;
    };
    std::map<std::string, std::unique_ptr<RunningBuild>> builds_;       // by workspace folder
    std::map<std::string, std::vector<Diagnostic>> build_diagnostics_;  // by document URI
    Json build_settings_ = Json::object();  // the "envbuilder" settings section, for builds
    int next_progress_ = 1;

    void register_handlers();
    void handle_request(const protocol::Request& request);
    void handle_notification(const protocol::Notification& notification);
    void handle_response(const protocol::Response& response);
    void send(const Json& message);
    void respond(const protocol::RequestId& id, Json result);
    void respond_error(const protocol::RequestId& id, protocol::ErrorCode code,
                       const std::string& message);
    void notify(const std::string& method, Json params);
    void request(const std::string& method, Json params,
                 std::function<void(const protocol::Response&)> on_response);
    void log(int type, const std::string& message);

    Json initialize(const Json& params);
    void initialized();
    void pull_configuration();
    void apply_settings(const Json& section);

    void mark_dirty(const std::string& uri);
    void analyze_dirty();
    std::vector<Diagnostic> analyze(const Document& doc);
    void publish(const Document& doc, const std::vector<Diagnostic>& diagnostics);
    Json code_actions(const Json& params);

    // Build commands (build_commands.cpp).
    void execute_command(const protocol::RequestId& id, const Json& params);
    void start_build(RunningBuild& build, std::vector<std::string> args);
    void on_build_event(RunningBuild& build, const Json& event);
    void on_build_exit(const std::string& workspace, int status);
    size_t cancel_builds(const std::function<bool(const RunningBuild&)>& which);
    void progress(const RunningBuild& build, Json value);
    // Drops build diagnostics of `uri` on lines that an edit touched.
    void clear_build_diagnostics(const std::string& uri, const Json& content_changes);

    // Editor features (editor_features.cpp).
    Json hover(const Json& params);
    Json completion(const Json& params);
    Json document_symbols(const Json& params);
    Json definition(const Json& params);
    Json references(const Json& params);
    Json formatting(const Json& params);
    Json devcontainer_hover(const Document& doc, Position pos);
    std::vector<language::CompletionItem> devcontainer_completion(const Document& doc,
                                                                  Position pos);
    std::vector<language::DocumentSymbol> devcontainer_symbols(const Document& doc);
    const Document& document_for(const Json& params);
    Position position_in(const Document& doc, const Json& params) const;
    protocol::LspRange lsp_range(const Document& doc, Range range) const;

    Json to_lsp(const Document& doc, Range range) const;
    Range from_lsp(const Document& doc, const Json& range) const;
};

// Runs the server on stdin/stdout until `exit` or end of input; returns the process exit code.
int run_language_server();

}  // namespace envbuilder::lsp
