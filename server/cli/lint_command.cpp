#include "cli/lint_command.h"

#include <ostream>

#include "cli/lint_output.h"
#include "cli/lint_targets.h"
#include "cli/option_table.h"

namespace envbuilder::cli {

int run_lint(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    std::string format = "text";
    CommandTable table{
        "lint",
        "[--format text|json|sarif] PATH...",
        {{"--format", "text|json|sarif", "how the diagnostics are written (default text)", false,
          [&format](const std::string& v) -> std::optional<std::string> {
              if (v != "text" && v != "json" && v != "sarif")
                  return "unknown format '" + v + "' (expected text, json or sarif)";
              format = v;
              return std::nullopt;
          },
          "-f"}},
        "PATH: a Dockerfile, a devcontainer.json, or a directory (its devcontainer config and the\n"
        "      Dockerfile that config names, or else its Dockerfile)\n"};
    ParseOutcome outcome = parse_options(table, args);
    if (outcome.problem.empty() && !outcome.help && outcome.positionals.empty())
        outcome.problem = "no file or directory given";
    if (auto code = finish_parsing(table, outcome, out, err)) return *code;
    const std::vector<std::string>& targets = outcome.positionals;

    std::vector<std::string> errors;
    auto files = lint_targets(targets, errors);
    if (format == "json")
        write_json(files, out);
    else if (format == "sarif")
        write_sarif(files, out);
    else
        write_text(files, out);
    for (const auto& e : errors) err << "envbuilder lint: " << e << '\n';
    if (!errors.empty()) return 2;
    for (const auto& f : files)
        for (const auto& d : f.diagnostics)
            if (d.severity == Severity::Error) return 1;
    return 0;
}

}  // namespace envbuilder::cli
