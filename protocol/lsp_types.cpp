#include "protocol/lsp_types.h"

namespace envbuilder::protocol {

Json to_json(const LspPosition& p) { return {{"line", p.line}, {"character", p.character}}; }
Json to_json(const LspRange& r) { return {{"start", to_json(r.start)}, {"end", to_json(r.end)}}; }
Json to_json(const Location& l) { return {{"uri", l.uri}, {"range", to_json(l.range)}}; }
Json to_json(const LspTextEdit& e) { return {{"range", to_json(e.range)}, {"newText", e.new_text}}; }

Json to_json(const HoverResult& h) {
    Json j = {{"contents", {{"kind", h.contents.kind}, {"value", h.contents.value}}}};
    if (h.range) j["range"] = to_json(*h.range);
    return j;
}

Json to_json(const CompletionItem& c) {
    Json j = {{"label", c.label},
              {"kind", static_cast<int>(c.kind)},
              {"insertTextFormat", c.snippet ? 2 : 1},
              {"textEdit", to_json(c.text_edit)}};
    if (!c.detail.empty()) j["detail"] = c.detail;
    if (c.documentation) j["documentation"] = {{"kind", c.documentation->kind}, {"value", c.documentation->value}};
    if (!c.sort_text.empty()) j["sortText"] = c.sort_text;
    return j;
}

Json to_json(const DocumentSymbol& s) {
    Json j = {{"name", s.name.empty() ? std::string("?") : s.name},
              {"kind", static_cast<int>(s.kind)},
              {"range", to_json(s.range)},
              {"selectionRange", to_json(s.selection_range)}};
    if (!s.detail.empty()) j["detail"] = s.detail;
    if (!s.children.empty()) j["children"] = to_json_array(s.children);
    return j;
}

Json to_json(const PublishedDiagnostic& d) {
    Json j = {{"range", to_json(d.range)}, {"severity", d.severity}, {"code", d.code},
              {"source", d.source}, {"message", d.message}};
    if (!d.code_description.empty()) j["codeDescription"] = {{"href", d.code_description}};
    return j;
}

namespace {
void flatten(const std::vector<DocumentSymbol>& symbols, const std::string& uri, const std::string& container, Json& out) {
    for (const auto& s : symbols) {
        Json j = {{"name", s.name.empty() ? std::string("?") : s.name},
                  {"kind", static_cast<int>(s.kind)},
                  {"location", to_json(Location{uri, s.range})}};
        if (!container.empty()) j["containerName"] = container;
        out.push_back(std::move(j));
        flatten(s.children, uri, s.name, out);
    }
}
}  // namespace

Json to_flat_symbols(const std::vector<DocumentSymbol>& symbols, const std::string& uri) {
    Json out = Json::array();
    flatten(symbols, uri, "", out);
    return out;
}

LspPosition position_from_json(const Json& j) {
    return {j.at("line").get<uint32_t>(), j.at("character").get<uint32_t>()};
}

LspRange range_from_json(const Json& j) { return {position_from_json(j.at("start")), position_from_json(j.at("end"))}; }

}  // namespace envbuilder::protocol
