// SingleQuotedJson: `CMD ['npm', 'start']` is not JSON, so Docker silently runs it in shell form
// (`/bin/sh -c "['npm', 'start']"`), which is never what was meant. A warning, with a fix that
// rewrites it as a JSON array when the elements are plain single-quoted strings.
#include "analysis/rules/instruction_checks.h"

#include <vector>

#include "syntax/json_array.h"

namespace envbuilder::rules {

using dockerfile::Instruction;
using dockerfile::InstructionKind;
using namespace instruction_checks;

namespace {

bool applies(InstructionKind k) {
    switch (k) {
        case InstructionKind::Run:
        case InstructionKind::Cmd:
        case InstructionKind::Entrypoint:
        case InstructionKind::Shell:
        case InstructionKind::Volume:
        case InstructionKind::Copy:
        case InstructionKind::Add:
            return true;
        default:
            return false;
    }
}

bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// `[ 'a', 'b' ]` -> {"a", "b"}. nullopt when the text is not exactly that shape, or when an
// element holds a backslash (whether it was meant as an escape cannot be told).
std::optional<std::vector<std::string>> single_quoted_elements(std::string_view s) {
    std::vector<std::string> out;
    size_t i = 1;  // after '['
    auto skip = [&] {
        while (i < s.size() && is_blank(s[i])) ++i;
    };
    skip();
    if (i < s.size() && s[i] == ']') return std::nullopt;  // "[]" is valid JSON anyway
    while (true) {
        skip();
        if (i >= s.size() || s[i] != '\'') return std::nullopt;
        size_t close = s.find('\'', i + 1);
        if (close == std::string_view::npos) return std::nullopt;
        std::string_view element = s.substr(i + 1, close - i - 1);
        if (element.find('\\') != std::string_view::npos) return std::nullopt;
        out.emplace_back(element);
        i = close + 1;
        skip();
        if (i < s.size() && s[i] == ',') {
            ++i;
            continue;
        }
        if (i + 1 == s.size() && s[i] == ']') return out;
        return std::nullopt;
    }
}

void check(LintContext& ctx) {
    ctx.each_instruction(
        [&](const Instruction& ins, size_t) {
            if (!applies(ins.kind) || ins.json || !ins.heredocs.empty()) return;
            std::string_view a = ins.arguments;
            if (a.size() < 2 || a.front() != '[' || a.back() != ']') return;
            size_t first = 1;
            while (first < a.size() && is_blank(a[first])) ++first;
            if (first >= a.size() || a[first] != '\'') return;  // not single-quoted JSON-like
            const std::string name = keyword_name(ins.kind);
            std::string message = name +
                                  " arguments look like a JSON array but use single quotes, "
                                  "which JSON does not allow, so they will run as a shell "
                                  "command line; use double quotes";
            std::optional<Fix> fix;
            if (auto elements = single_quoted_elements(a)) {
                std::string array = "[";
                for (size_t k = 0; k < elements->size(); ++k) {
                    if (k) array += ", ";
                    array += dockerfile::json_quote((*elements)[k]);
                }
                array += "]";
                fix = replace_fix("Convert to " + array, ins.arguments_range, array);
            }
            ctx.report(ins.arguments_range, std::move(message), std::move(fix));
        },
        /*with_triggers=*/true);
}

}  // namespace

const Rule single_quoted_json_rule = {
    {"SingleQuotedJson", "A JSON-array-looking argument written with single quotes", "",
     Severity::Warning},
    check};

}  // namespace envbuilder::rules
