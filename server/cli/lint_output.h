#pragma once
// The three shapes of `lint` output: for people (text), for scripts (json, LSP positions) and for
// code scanning (SARIF 2.1.0).
#include <iosfwd>
#include <vector>

#include "cli/lint_targets.h"

namespace envbuilder::cli {

void write_text(const std::vector<LintedFile>& files, std::ostream& out);
void write_json(const std::vector<LintedFile>& files, std::ostream& out);
void write_sarif(const std::vector<LintedFile>& files, std::ostream& out);

}  // namespace envbuilder::cli
