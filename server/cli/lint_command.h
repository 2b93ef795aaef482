#pragma once
// `envbuilder lint [--format text|json|sarif] PATH...`
#include <iosfwd>
#include <string>
#include <vector>

namespace envbuilder::cli {

// Returns the process exit code: 0 nothing at error level, 1 errors found, 2 usage or I/O error.
int run_lint(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace envbuilder::cli
