#include "cli/option_table.h"

#include <algorithm>
#include <map>
#include <sstream>

#include "syntax/suggestions.h"

namespace envbuilder::cli {

namespace {

constexpr size_t kHelpColumn = 30;  // where every option's help starts
constexpr size_t kHelpWidth = 70;   // the longest help line kept on the option's own line

const Option* find_option(const CommandTable& table, const std::string& name) {
    for (const auto& option : table.options)
        if (option.name == name || (!option.short_name.empty() && option.short_name == name))
            return &option;
    return nullptr;
}

std::string unknown_option(const CommandTable& table, const std::string& name) {
    std::vector<std::string> known{"--help"};
    for (const auto& option : table.options) known.push_back(option.name);
    std::string problem = "unknown option '" + name + "'";
    if (auto nearest = closest_match(name, known)) problem += " (did you mean " + *nearest + "?)";
    return problem;
}

}  // namespace

ParseOutcome parse_options(const CommandTable& table, const std::vector<std::string>& args) {
    ParseOutcome outcome;
    std::map<std::string, int> seen;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--") {
            outcome.positionals.insert(outcome.positionals.end(),
                                       args.begin() + static_cast<long>(i) + 1, args.end());
            break;
        }
        if (arg.size() < 2 || arg[0] != '-') {
            outcome.positionals.push_back(arg);
            continue;
        }
        if (arg == "-h" || arg == "--help") {
            outcome.help = true;
            continue;
        }
        size_t eq = arg.find('=');
        std::string name = arg.substr(0, eq);
        std::optional<std::string> inline_value;
        if (eq != std::string::npos && arg.rfind("--", 0) == 0)
            inline_value = arg.substr(eq + 1);
        else
            name = arg;
        const Option* option = find_option(table, name);
        if (!option) {
            outcome.problem = unknown_option(table, name);
            return outcome;
        }
        if (++seen[option->name] > 1 && !option->repeatable) {
            outcome.problem = option->name + " is given twice (it takes one value)";
            return outcome;
        }
        std::string value;
        if (option->value.empty()) {
            if (inline_value) {
                outcome.problem = option->name + " takes no value, got '" + *inline_value + "'";
                return outcome;
            }
        } else if (inline_value) {
            value = *inline_value;
        } else if (i + 1 < args.size()) {
            value = args[++i];
        } else {
            outcome.problem =
                option->name + " needs a value (" + option->name + " " + option->value + ")";
            return outcome;
        }
        if (auto problem = option->take(value)) {
            outcome.problem = *problem;
            return outcome;
        }
    }
    return outcome;
}

std::string usage(const CommandTable& table) {
    std::ostringstream text;
    text << "usage: envbuilder " << table.command;
    if (!table.synopsis.empty()) text << ' ' << table.synopsis;
    text << "\n\noptions:\n";
    std::vector<std::pair<std::string, std::string>> rows{{"-h, --help", "show this help"}};
    for (const auto& option : table.options) {
        std::string left =
            option.short_name.empty() ? option.name : option.short_name + ", " + option.name;
        if (!option.value.empty()) left += ' ' + option.value;
        std::string help = option.help;
        // "(repeatable)" ends the last line, or takes its own when that line is long already.
        if (option.repeatable) {
            size_t last_line = help.rfind('\n') == std::string::npos
                                   ? help.size()
                                   : help.size() - help.rfind('\n') - 1;
            help += last_line + 13 > kHelpWidth ? "\n(repeatable)" : " (repeatable)";
        }
        rows.emplace_back(left, help);
    }
    // One column for the help; a name too wide for it puts its help on the next line.
    const std::string indent(kHelpColumn, ' ');
    for (const auto& [left, help] : rows) {
        std::string line = "  " + left;
        bool first = true;
        std::istringstream lines(help);
        for (std::string part; std::getline(lines, part);) {
            if (first && line.size() + 1 <= kHelpColumn) {
                text << line << std::string(kHelpColumn - line.size(), ' ') << part << '\n';
            } else {
                if (first) text << line << '\n';
                text << indent << part << '\n';
            }
            first = false;
        }
    }
    if (!table.notes.empty()) text << '\n' << table.notes;
    return text.str();
}

std::optional<int> finish_parsing(const CommandTable& table, const ParseOutcome& outcome,
                                  std::ostream& out, std::ostream& err) {
    if (!outcome.problem.empty()) {
        err << "envbuilder " << table.command << ": " << outcome.problem << "\n"
            << "(envbuilder " << table.command << " --help lists the options)\n";
        return 2;
    }
    if (outcome.help) {
        out << usage(table);
        return 0;
    }
    return std::nullopt;
}

}  // namespace envbuilder::cli
