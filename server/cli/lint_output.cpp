#include "cli/lint_output.h"

#include <map>
#include <ostream>

#include <nlohmann/json.hpp>

#include "analysis/code_catalog.h"
#include "analysis/rules/rule.h"
#include "syntax/json_text.h"
#include "version.h"

namespace envbuilder::cli {

using nlohmann::json;

namespace {

std::string display_path(const std::filesystem::path& p) {
    return p.generic_string();
}

json position(Position p) {
    return {{"line", p.line}, {"character", p.character}};
}

// SARIF wants a relative URI for files inside the repository (GitHub resolves it against the
// checkout); absolute paths become file:// URIs.
std::string sarif_uri(const std::filesystem::path& p) {
    std::string s = p.lexically_normal().generic_string();
    if (p.is_absolute()) return "file://" + s;
    if (s.rfind("./", 0) == 0) s.erase(0, 2);
    std::string out;
    for (char c : s) {
        if (c == ' ')
            out += "%20";
        else if (c == '%')
            out += "%25";
        else
            out.push_back(c);
    }
    return out;
}

const char* sarif_level(Severity s) {
    switch (s) {
        case Severity::Error:
            return "error";
        case Severity::Warning:
            return "warning";
        default:
            return "note";
    }
}

}  // namespace

void write_text(const std::vector<LintedFile>& files, std::ostream& out) {
    for (const auto& file : files) {
        for (const auto& d : file.diagnostics) {
            out << display_path(file.path) << ':' << d.range.start.line + 1 << ':'
                << d.range.start.character + 1 << ": " << severity_name(d.severity) << ": "
                << d.message << " [" << d.code << "]\n";
        }
    }
}

void write_json(const std::vector<LintedFile>& files, std::ostream& out) {
    json all = json::array();
    for (const auto& file : files) {
        for (const auto& d : file.diagnostics) {
            json item = {
                {"file", display_path(file.path)},
                {"range", {{"start", position(d.range.start)}, {"end", position(d.range.end)}}},
                {"severity", severity_name(d.severity)},
                {"code", d.code},
                {"message", d.message}};
            if (!d.url.empty()) item["url"] = d.url;
            if (d.fix) {
                json edits = json::array();
                for (const auto& e : d.fix->edits)
                    edits.push_back(
                        {{"range",
                          {{"start", position(e.range.start)}, {"end", position(e.range.end)}}},
                         {"newText", e.new_text}});
                item["fix"] = {{"title", d.fix->title}, {"edits", edits}};
            }
            all.push_back(std::move(item));
        }
    }
    out << json_text(all, 2) << '\n';
}

void write_sarif(const std::vector<LintedFile>& files, std::ostream& out) {
    json rules = json::array();
    std::map<std::string, size_t> rule_index;
    json results = json::array();
    for (const auto& file : files) {
        for (const auto& d : file.diagnostics) {
            auto [it, added] = rule_index.emplace(d.code, rules.size());
            if (added) {
                // GitHub code scanning wants a full description and help for every rule.
                CodeInfo info = describe_code(d.code);
                json rule = {
                    {"id", d.code},
                    {"shortDescription", {{"text", info.description}}},
                    {"fullDescription", {{"text", info.description + "."}}},
                    {"help",
                     {{"text", info.description + (info.url.empty() ? "" : ". See " + info.url)},
                      {"markdown",
                       info.description +
                           (info.url.empty() ? "" : ". [Documentation](" + info.url + ")")}}}};
                if (const auto* known = rules::find_rule(d.code))
                    rule["defaultConfiguration"] = {{"level", sarif_level(known->info.severity)}};
                if (!info.url.empty()) rule["helpUri"] = info.url;
                rules.push_back(std::move(rule));
            }
            // SARIF regions are 1-based; columns count UTF-16 code units by default, like LSP.
            json region = {{"startLine", d.range.start.line + 1},
                           {"startColumn", d.range.start.character + 1},
                           {"endLine", d.range.end.line + 1},
                           {"endColumn", d.range.end.character + 1}};
            results.push_back(
                {{"ruleId", d.code},
                 {"ruleIndex", it->second},
                 {"level", sarif_level(d.severity)},
                 {"message", {{"text", d.message}}},
                 {"locations",
                  json::array({{{"physicalLocation",
                                 {{"artifactLocation", {{"uri", sarif_uri(file.path)}}},
                                  {"region", region}}}}})}});
        }
    }
    json sarif = {
        {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
        {"version", "2.1.0"},
        {"runs", json::array({{{"tool",
                                {{"driver",
                                  {{"name", "envbuilder"},
                                   {"semanticVersion", ENVBUILDER_VERSION},
                                   {"informationUri", "https://github.com/envbuilder/envbuilder"},
                                   {"rules", rules}}}}},
                               {"columnKind", "utf16CodeUnits"},
                               {"results", results}}})}};
    out << json_text(sarif, 2) << '\n';
}

}  // namespace envbuilder::cli
