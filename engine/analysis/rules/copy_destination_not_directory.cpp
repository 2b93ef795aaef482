// CopyDestinationNotDirectory: COPY/ADD of several sources into a destination that does not end
// with '/' (the classic builder refuses it: "When using COPY with more than one source file, the
// destination must be a directory and end with a /"; BuildKit's result depends on the files).
// Several explicit sources are an error. A single wildcard source is only a problem when it
// matches more than one file, which cannot be known here, so it is reported as a warning.
#include "analysis/rules/instruction_checks.h"

#include <vector>

#include "syntax/dockerfile_parser.h"

namespace envbuilder::rules {

using dockerfile::Instruction;
using dockerfile::InstructionKind;
using namespace instruction_checks;

namespace {

const RuleInfo kWildcardInfo = {"CopyDestinationNotDirectory",
                                "Several sources copied to a destination that is not a directory",
                                "", Severity::Warning};

bool has_wildcard(std::string_view s) {
    return s.find_first_of("*?[") != std::string_view::npos;
}

// `/dst/${DIR}` or `$DEST`: the value, and whether it ends with '/', is only known at build time.
bool ends_with_variable(std::string_view raw) {
    if (raw.ends_with('}') && raw.find("${") != std::string_view::npos) return true;
    size_t i = raw.size();
    while (i > 0 && (std::isalnum(static_cast<unsigned char>(raw[i - 1])) || raw[i - 1] == '_'))
        --i;
    return i < raw.size() && i > 0 && raw[i - 1] == '$';
}

bool is_directory(std::string_view dest, char escape) {
    if (dest.empty()) return true;  // BuildKit treats "" like "."
    if (dest.ends_with('/')) return true;
    if (escape == '`' && dest.ends_with('\\')) return true;  // Windows-style paths
    return dest == "." || dest == ".." || dest.ends_with("/.") || dest.ends_with("/..");
}

void check_instruction(LintContext& ctx, const Instruction& ins) {
    if (ins.kind != InstructionKind::Copy && ins.kind != InstructionKind::Add) return;
    if (!ins.heredocs.empty()) return;
    // Most COPYs have one plain source: leave before building anything.
    const size_t count = ins.json ? ins.json->size() : ins.words.size();
    if (count < 2) return;
    if (count == 2 && !has_wildcard(ins.json ? ins.json->front().text : ins.words.front().text))
        return;
    std::vector<std::string> texts;  // sources then destination, unquoted
    const dockerfile::Word* dest_word = nullptr;
    if (ins.json) {
        for (const auto& e : *ins.json) texts.push_back(e.text);
        if (!ins.json->empty()) dest_word = &ins.json->back();
    } else {
        for (const auto& w : ins.words) texts.push_back(dockerfile::unquote(w.text, ctx.df.escape));
        if (!ins.words.empty()) dest_word = &ins.words.back();
    }
    if (texts.size() < 3 && !(texts.size() == 2 && has_wildcard(texts[0]))) return;
    const std::string& dest = texts.back();
    // The raw destination (quotes and variables as written) for the variable test and the fix.
    auto raw = single_line_text(ctx.df.source, dest_word->range);
    std::string_view raw_dest = raw ? *raw : std::string_view(dest_word->text);
    if (is_directory(dest, ctx.df.escape) || ends_with_variable(dest) ||
        ends_with_variable(raw_dest))
        return;

    // The fix appends '/', inside the closing quote when there is one.
    std::optional<Fix> fix;
    if (raw) {
        bool quoted = raw->size() >= 2 && (raw->back() == '"' || raw->back() == '\'');
        size_t at = quoted ? raw->size() - 1 : raw->size();
        Range r = sub_range(ctx.df.source, dest_word->range, *raw, at, at);
        fix = Fix{"Add a trailing '/' to " + dest, {TextEdit{r, "/"}}};
    }
    const std::string name = keyword_name(ins.kind);
    const size_t sources = texts.size() - 1;
    if (sources > 1) {
        ctx.report(dest_word->range,
                   name + " copies " + std::to_string(sources) + " sources, so the destination '" +
                       dest + "' must be a directory ending in '/'",
                   std::move(fix));
    } else {
        ctx.report_as(kWildcardInfo, dest_word->range,
                      "'" + texts[0] + "' may match several files; the destination '" + dest +
                          "' should then be a directory ending in '/'",
                      std::move(fix));
    }
}

void check(LintContext& ctx) {
    ctx.each_instruction([&](const Instruction& ins, size_t) { check_instruction(ctx, ins); },
                         /*with_triggers=*/true);
}

}  // namespace

const Rule copy_destination_not_directory_rule = {
    {"CopyDestinationNotDirectory",
     "Several sources copied to a destination that is not a directory", "", Severity::Error},
    check};

}  // namespace envbuilder::rules
