#include "cli/lsp_command.h"

#include <ostream>

#include "cli/option_table.h"
#include "lsp/server.h"
#include "version.h"

namespace envbuilder::cli {

namespace {

// An option that changes nothing; `--stdio` is accepted because editors pass it.
Option no_op(const std::string& name, const std::string& help) {
    return {name, "", help, false, [](const std::string&) { return std::optional<std::string>(); }};
}

// Parses arguments that must be options only; the exit code when the command should not go on.
std::optional<int> parse_only_options(const CommandTable& table,
                                      const std::vector<std::string>& args, std::ostream& out,
                                      std::ostream& err) {
    ParseOutcome outcome = parse_options(table, args);
    if (outcome.problem.empty() && !outcome.help && !outcome.positionals.empty())
        outcome.problem = "unexpected argument '" + outcome.positionals.front() + "'";
    return finish_parsing(table, outcome, out, err);
}

}  // namespace

int run_lsp(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    CommandTable table{"lsp",
                       "[--stdio]",
                       {no_op("--stdio", "talk LSP on stdin/stdout (the only transport)")},
                       "Runs the language server for Dockerfiles and devcontainer.json files.\n"};
    if (auto code = parse_only_options(table, args, out, err)) return *code;
    return lsp::run_language_server();
}

int run_version(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    CommandTable table{"version", "", {}, "Prints the version of envbuilder.\n"};
    if (auto code = parse_only_options(table, args, out, err)) return *code;
    out << "envbuilder " << ENVBUILDER_VERSION << '\n';
    return 0;
}

}  // namespace envbuilder::cli
