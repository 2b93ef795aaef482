#include "analysis/rules/rule.h"

namespace envbuilder::rules {
namespace {
// `ENV key value` → `ENV key=value`. The legacy value is the rest of the line, so it is quoted
// when it holds whitespace and is not already one quoted word.
std::optional<std::string> modern_form(const dockerfile::KeyValue& kv) {
    if (!kv.value) return std::nullopt;
    const std::string& v = *kv.value;
    if (v.find('\n') != std::string::npos) return std::nullopt;
    bool has_space = v.find_first_of(" \t") != std::string::npos;
    bool one_quoted = v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front() &&
                      v.find(v.front(), 1) == v.size() - 1;
    if (!has_space || one_quoted) return kv.key + "=" + v;
    if (v.find_first_of("\"'\\") != std::string::npos) return std::nullopt;
    return kv.key + "=\"" + v + "\"";
}

void check(LintContext& ctx) {
    ctx.each_instruction([&](const dockerfile::Instruction& ins, size_t) {
        if (!ins.legacy_key_value || ins.pairs.empty()) return;
        const auto& kv = ins.pairs.front();
        if (!kv.value) return;  // no value at all is an argument error, not a style issue
        std::optional<Fix> fix;
        if (auto modern = modern_form(kv)) fix = replace_fix("Use " + ins.keyword + " key=value", kv.range, *modern);
        ctx.report(ins.range.start.line == ins.range.end.line ? ins.range : ins.keyword_range,
                   "\"" + ins.keyword + " key=value\" should be used instead of legacy \"" + ins.keyword +
                       " key value\" format",
                   fix);
    }, true);
}
}  // namespace
extern const Rule legacy_key_value_format{
    {"LegacyKeyValueFormat", "Write ENV and LABEL as key=value; the whitespace form is legacy",
     ENVBUILDER_BUILD_CHECK_URL("legacy-key-value-format"), Severity::Warning, true},
    check};
}  // namespace envbuilder::rules
