#include "cli/lint_command.h"

#include <ostream>

#include "cli/lint_output.h"
#include "cli/lint_targets.h"

namespace envbuilder::cli {

namespace {
constexpr const char* kUsage =
    "usage: envbuilder lint [--format text|json|sarif] PATH...\n"
    "  PATH: a Dockerfile, a devcontainer.json, or a directory (its devcontainer config and the\n"
    "        Dockerfile that config names, or else its Dockerfile)\n";
}

int run_lint(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    std::string format = "text";
    std::vector<std::string> targets;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "-h" || a == "--help") {
            out << kUsage;
            return 0;
        }
        if (a == "--format" || a == "-f") {
            if (i + 1 >= args.size()) {
                err << "envbuilder lint: --format needs a value (text, json or sarif)\n" << kUsage;
                return 2;
            }
            format = args[++i];
        } else if (a.rfind("--format=", 0) == 0) {
            format = a.substr(9);
        } else if (a == "--") {
            targets.insert(targets.end(), args.begin() + static_cast<long>(i) + 1, args.end());
            break;
        } else if (a.size() > 1 && a[0] == '-') {
            err << "envbuilder lint: unknown option '" << a << "'\n" << kUsage;
            return 2;
        } else {
            targets.push_back(a);
        }
    }
    if (format != "text" && format != "json" && format != "sarif") {
        err << "envbuilder lint: unknown format '" << format
            << "' (expected text, json or sarif)\n";
        return 2;
    }
    if (targets.empty()) {
        err << "envbuilder lint: no file or directory given\n" << kUsage;
        return 2;
    }

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
