#include <cctype>

#include "analysis/rules/rule.h"

namespace envbuilder::rules {

void LintContext::report(Range range, std::string message, std::optional<Fix> fix) {
    report_as(*current, range, std::move(message), std::move(fix));
}

void LintContext::report_as(const RuleInfo& rule, Range range, std::string message,
                            std::optional<Fix> fix) {
    Diagnostic d;
    d.code = rule.name;
    d.severity = rule.severity;
    d.range = range;
    d.message = std::move(message);
    d.url = rule.url;
    d.fix = std::move(fix);
    out_.push_back(std::move(d));
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

bool is_lower(std::string_view s) {
    for (char c : s)
        if (std::isupper(static_cast<unsigned char>(c))) return false;
    return true;
}
bool is_upper(std::string_view s) {
    for (char c : s)
        if (std::islower(static_cast<unsigned char>(c))) return false;
    return true;
}

Fix replace_fix(std::string title, Range range, std::string text) {
    return Fix{std::move(title), {TextEdit{range, std::move(text)}}};
}

}  // namespace envbuilder::rules
