// DirectiveCasing: parser directives are conventionally written in lowercase (`# escape=`), and
// tools that match them case-sensitively miss `# ESCAPE=`.
#include <cctype>

#include "analysis/rules/instruction_checks.h"

namespace envbuilder::rules {
namespace {
void check(LintContext& ctx) {
    const SourceText& src = ctx.df.source;
    for (const auto& d : ctx.df.directives) {
        std::string_view line = src.line(d.range.start.line);
        size_t i = src.byte_column(d.range.start.line, d.range.start.character) + 1;  // after '#'
        while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
        size_t end = i;
        while (end < line.size() && std::isalnum(static_cast<unsigned char>(line[end]))) ++end;
        std::string_view written = line.substr(i, end - i);
        if (is_lower(written)) continue;
        Range r{src.from_bytes(d.range.start.line, i), src.from_bytes(d.range.start.line, end)};
        ctx.report(r, "Parser directive '" + std::string(written) + "' should be written in lowercase",
                   replace_fix("Write '" + lower(written) + "'", r, lower(written)));
    }
}
}  // namespace
extern const Rule directive_casing_rule{
    {"DirectiveCasing", "Parser directives should be written in lowercase", "", Severity::Warning}, check};
}  // namespace envbuilder::rules
