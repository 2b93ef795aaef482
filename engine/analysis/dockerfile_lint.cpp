#include "analysis/dockerfile_lint.h"

#include <algorithm>

#include "analysis/rules/rule.h"

namespace envbuilder {

namespace {

// The `# check=skip=A,B;error=true;experimental=C` directive.
struct CheckDirective {
    std::set<std::string> skip;
    bool skip_all = false;
    bool error = false;
    std::set<std::string> experimental;
    bool experimental_all = false;
};

std::vector<std::string> split(std::string_view s, char sep) {
    std::vector<std::string> parts;
    size_t start = 0;
    while (start <= s.size()) {
        size_t end = s.find(sep, start);
        if (end == std::string_view::npos) end = s.size();
        std::string part(s.substr(start, end - start));
        part.erase(0, part.find_first_not_of(" \t"));
        part.erase(part.find_last_not_of(" \t") + 1);
        if (!part.empty()) parts.push_back(part);
        start = end + 1;
    }
    return parts;
}

CheckDirective read_check_directive(const dockerfile::Dockerfile& df, std::vector<Diagnostic>& out) {
    CheckDirective check;
    const dockerfile::Directive* d = df.directive("check");
    if (!d) return check;
    for (const std::string& item : split(d->value, ';')) {
        size_t eq = item.find('=');
        std::string key = rules::lower(item.substr(0, eq));
        std::string value = eq == std::string::npos ? "" : item.substr(eq + 1);
        if (key == "skip") {
            for (auto& name : split(value, ',')) {
                if (rules::lower(name) == "all") check.skip_all = true;
                else check.skip.insert(name);
            }
        } else if (key == "error") {
            check.error = rules::lower(value) == "true";
            if (rules::lower(value) != "true" && rules::lower(value) != "false") {
                out.push_back({"InvalidCheckDirective", Severity::Warning, d->value_range,
                               "check directive: error takes true or false, not '" + value + "'",
                               "", std::nullopt});
            }
        } else if (key == "experimental") {
            for (auto& name : split(value, ',')) {
                if (rules::lower(name) == "all") check.experimental_all = true;
                else check.experimental.insert(name);
            }
        } else {
            out.push_back({"InvalidCheckDirective", Severity::Warning, d->value_range,
                           "check directive: unknown option '" + key +
                               "' (expected skip, error or experimental)",
                           "", std::nullopt});
        }
    }
    return check;
}

}  // namespace

std::vector<Diagnostic> lint_dockerfile(const dockerfile::Dockerfile& df, const LintOptions& options) {
    std::vector<Diagnostic> out = df.diagnostics;
    CheckDirective check = read_check_directive(df, out);

    std::vector<Diagnostic> found;
    rules::LintContext ctx(df, options, found);
    for (const rules::Rule& rule : rules::dockerfile_rules()) {
        const std::string name = rule.info.name;
        if (options.disabled_rules.count(name)) continue;
        if (rule.info.experimental && !check.experimental_all && !check.experimental.count(name))
            continue;
        ctx.current = &rule.info;
        rule.check(ctx);
    }
    for (Diagnostic& d : found) {
        const rules::Rule* rule = rules::find_rule(d.code);
        // skip= never silences experimental checks: they were asked for explicitly.
        if (rule && rule->info.build_check && !rule->info.experimental) {
            if (check.skip_all || check.skip.count(d.code)) continue;
        }
        if (rule && rule->info.build_check) {
            if (check.error) d.severity = Severity::Error;
        }
        out.push_back(std::move(d));
    }
    std::vector<Diagnostic> result;
    for (Diagnostic& d : out) {
        if (options.disabled_rules.count(d.code)) continue;
        auto it = options.severity_overrides.find(d.code);
        if (it != options.severity_overrides.end()) d.severity = it->second;
        result.push_back(std::move(d));
    }
    std::stable_sort(result.begin(), result.end(), [](const Diagnostic& a, const Diagnostic& b) {
        return a.range.start < b.range.start;
    });
    return result;
}

}  // namespace envbuilder
