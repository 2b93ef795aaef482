#pragma once
// `envbuilder lsp [--stdio]` and `envbuilder version`: the commands without settings of their own,
// parsed from a table like every other so that --help and a mistyped option behave the same.
#include <iosfwd>
#include <string>
#include <vector>

namespace envbuilder::cli {

// Runs the language server on stdin/stdout; 2 for a bad option.
int run_lsp(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
// Prints the version.
int run_version(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace envbuilder::cli
