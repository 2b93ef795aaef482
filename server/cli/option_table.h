#pragma once
// Every command's options from one table: name, value, help and whether it may repeat. The same
// table parses the arguments (`--flag value` and `--flag=value`), writes `--help`, and names the
// nearest known option when one is mistyped. Parsing only fills the command's settings: whatever
// has effects outside them (reading secrets, writing files) happens after parsing succeeded.
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace envbuilder::cli {

struct Option {
    std::string name;   // "--image"
    std::string value;  // what the value is, as shown in the help ("REF"); empty: a flag
    std::string help;   // may run over several lines ('\n')
    bool repeatable = false;
    // Takes the value ("" for a flag): nullopt when it was taken, else what is wrong with it.
    std::function<std::optional<std::string>(const std::string& value)> take;
    std::string short_name = {};  // "-f", or empty
};

struct CommandTable {
    std::string command;   // "build"
    std::string synopsis;  // what follows "usage: envbuilder build "
    std::vector<Option> options;
    std::string notes;  // text after the options (the positional arguments, say)
};

struct ParseOutcome {
    bool help = false;                     // -h or --help: print usage(table) to stdout, exit 0
    std::vector<std::string> positionals;  // arguments that are not options (all after "--")
    std::string problem;                   // empty when the arguments were understood
};

// Runs each option's `take` in order; stops at the first problem. An unknown option's problem
// names it and the nearest known option; a missing value says which option needs one.
ParseOutcome parse_options(const CommandTable& table, const std::vector<std::string>& args);

// The command's --help text: its synopsis, every option, and its notes.
std::string usage(const CommandTable& table);

// The common end of a command's parsing: --help printed (returns 0), a problem reported
// (returns 2), or nullopt to go on.
std::optional<int> finish_parsing(const CommandTable& table, const ParseOutcome& outcome,
                                  std::ostream& out, std::ostream& err);

}  // namespace envbuilder::cli
