// The editor features of the language server: each request turns into one engine call on the
// document's cached parse, and the engine's plain structs into LSP's.
#include "language/devcontainer/features.h"
#include "language/dockerfile_features.h"
#include "lsp/server.h"
#include "protocol/lsp_types.h"

namespace envbuilder::lsp {

using protocol::Json;

namespace {

// Snippet syntax (`${1:name}`, `$1`, `$0`) flattened to plain text for clients without snippets.
std::string strip_snippet(const std::string& s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 1 < s.size()) {
            out.push_back(s[++i]);
        } else if (s[i] == '$' && i + 1 < s.size() &&
                   std::isdigit(static_cast<unsigned char>(s[i + 1]))) {
            while (i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1]))) ++i;
        } else if (s[i] == '$' && i + 1 < s.size() && s[i + 1] == '{') {
            size_t colon = s.find(':', i);
            size_t close = s.find('}', i);
            if (close == std::string::npos) {
                out.push_back(s[i]);
                continue;
            }
            if (colon != std::string::npos && colon < close)
                out.append(s, colon + 1, close - colon - 1);
            i = close;
        } else {
            out.push_back(s[i]);
        }
    }
    return out;
}

protocol::CompletionItemKind completion_kind(language::CompletionKind k) {
    switch (k) {
        case language::CompletionKind::Keyword:
            return protocol::CompletionItemKind::Keyword;
        case language::CompletionKind::Property:
            return protocol::CompletionItemKind::Property;
        case language::CompletionKind::Variable:
            return protocol::CompletionItemKind::Variable;
        case language::CompletionKind::Value:
            return protocol::CompletionItemKind::Value;
        case language::CompletionKind::Reference:
            return protocol::CompletionItemKind::Reference;
        case language::CompletionKind::Snippet:
            return protocol::CompletionItemKind::Snippet;
    }
    return protocol::CompletionItemKind::Text;
}

protocol::SymbolKind symbol_kind(language::SymbolKind k) {
    switch (k) {
        case language::SymbolKind::Stage:
            return protocol::SymbolKind::Class;
        case language::SymbolKind::Instruction:
            return protocol::SymbolKind::Function;
        case language::SymbolKind::Variable:
            return protocol::SymbolKind::Variable;
        case language::SymbolKind::Directive:
            return protocol::SymbolKind::Property;
    }
    return protocol::SymbolKind::Object;
}

}  // namespace

// The widest indentation a formatting request may ask for.
constexpr int64_t kMaxTabSize = 64;

protocol::LspRange LanguageServer::lsp_range(const Document& doc, Range range) const {
    Range r = doc.text.encode(range, encoding_);
    return {{r.start.line, r.start.character}, {r.end.line, r.end.character}};
}

const Document& LanguageServer::document_for(const Json& params) {
    const std::string uri = params.at("textDocument").at("uri").get<std::string>();
    const Document* doc = documents_.find(uri);
    if (!doc) throw RpcError{protocol::ErrorCode::InvalidParams, "document is not open: " + uri};
    return *doc;
}

Position LanguageServer::position_in(const Document& doc, const Json& params) const {
    if (!params.is_object() || !params.contains("position"))
        throw RpcError{protocol::ErrorCode::InvalidParams, "position is missing"};
    return doc.text.decode(read_position(params["position"], "position"), encoding_);
}

Json LanguageServer::hover(const Json& params) {
    const Document& doc = document_for(params);
    if (doc.kind == DocumentKind::Devcontainer)
        return devcontainer_hover(doc, position_in(doc, params));
    if (doc.kind != DocumentKind::Dockerfile) return nullptr;
    auto h = language::hover(doc.dockerfile(), position_in(doc, params));
    if (!h) return nullptr;
    return protocol::to_json(
        protocol::HoverResult{{"markdown", h->markdown}, lsp_range(doc, h->range)});
}

Json LanguageServer::completion(const Json& params) {
    const Document& doc = document_for(params);
    std::vector<language::CompletionItem> items =
        doc.kind == DocumentKind::Dockerfile
            ? language::complete(doc.dockerfile(), position_in(doc, params))
        : doc.kind == DocumentKind::Devcontainer
            ? devcontainer_completion(doc, position_in(doc, params))
            : std::vector<language::CompletionItem>{};
    const bool snippets = client_capabilities_.value(
        "/textDocument/completion/completionItem/snippetSupport"_json_pointer, false);
    Json out = Json::array();
    for (size_t i = 0; i < items.size(); ++i) {
        const auto& item = items[i];
        protocol::CompletionItem c;
        c.label = item.label;
        c.kind = completion_kind(item.kind);
        c.detail = item.detail;
        if (!item.documentation.empty())
            c.documentation = protocol::MarkupContent{"markdown", item.documentation};
        c.snippet = item.is_snippet && snippets;
        std::string text = item.insert_text.empty() ? item.label : item.insert_text;
        if (item.is_snippet && !snippets) text = strip_snippet(text);
        c.text_edit = {lsp_range(doc, item.range), text};
        std::string order = std::to_string(i);  // keep the engine's ranking
        c.sort_text = std::string(order.size() < 6 ? 6 - order.size() : 0, '0') + order;
        out.push_back(protocol::to_json(c));
    }
    return {{"isIncomplete", false}, {"items", out}};
}

Json LanguageServer::document_symbols(const Json& params) {
    const Document& doc = document_for(params);
    std::vector<language::DocumentSymbol> symbols =
        doc.kind == DocumentKind::Dockerfile     ? language::document_symbols(doc.dockerfile())
        : doc.kind == DocumentKind::Devcontainer ? devcontainer_symbols(doc)
                                                 : std::vector<language::DocumentSymbol>{};
    std::function<protocol::DocumentSymbol(const language::DocumentSymbol&)> convert =
        [&](const language::DocumentSymbol& s) {
            protocol::DocumentSymbol out{s.name,
                                         s.detail,
                                         symbol_kind(s.kind),
                                         lsp_range(doc, s.range),
                                         lsp_range(doc, s.selection_range),
                                         {}};
            for (const auto& child : s.children) out.children.push_back(convert(child));
            return out;
        };
    std::vector<protocol::DocumentSymbol> converted;
    for (const auto& s : symbols) converted.push_back(convert(s));
    const bool hierarchical = client_capabilities_.value(
        "/textDocument/documentSymbol/hierarchicalDocumentSymbolSupport"_json_pointer, false);
    return hierarchical ? protocol::to_json_array(converted)
                        : protocol::to_flat_symbols(converted, doc.uri);
}

Json LanguageServer::definition(const Json& params) {
    const Document& doc = document_for(params);
    if (doc.kind != DocumentKind::Dockerfile) return nullptr;
    auto target = language::definition(doc.dockerfile(), position_in(doc, params));
    if (!target) return nullptr;
    return protocol::to_json(protocol::Location{doc.uri, lsp_range(doc, *target)});
}

Json LanguageServer::references(const Json& params) {
    const Document& doc = document_for(params);
    if (doc.kind != DocumentKind::Dockerfile) return Json::array();
    bool include_declaration = params.value("/context/includeDeclaration"_json_pointer, true);
    Json out = Json::array();
    for (const Range& r :
         language::references(doc.dockerfile(), position_in(doc, params), include_declaration))
        out.push_back(protocol::to_json(protocol::Location{doc.uri, lsp_range(doc, r)}));
    return out;
}

Json LanguageServer::formatting(const Json& params) {
    const Document& doc = document_for(params);
    if (doc.kind != DocumentKind::Dockerfile) return Json::array();
    language::FormattingOptions options;
    // FormattingOptions: tabSize and insertSpaces are required by LSP but tolerated missing; the
    // indentation unit is tabSize spaces, so it is kept to what an editor can mean.
    const Json options_json = params.value("options", Json::object());
    options.tab_size = static_cast<uint32_t>(
        read_integer_or(options_json, "tabSize", "options.tabSize", 1, kMaxTabSize, 4));
    options.insert_spaces =
        read_bool_or(options_json, "insertSpaces", "options.insertSpaces", true);
    Json out = Json::array();
    for (const auto& e : language::format(doc.dockerfile(), options))
        out.push_back(
            protocol::to_json(protocol::LspTextEdit{lsp_range(doc, e.range), e.new_text}));
    return out;
}

Json LanguageServer::devcontainer_hover(const Document& doc, Position pos) {
    auto h = language::devcontainer_hover(doc.text, pos);
    if (!h) return nullptr;
    return protocol::to_json(
        protocol::HoverResult{{"markdown", h->markdown}, lsp_range(doc, h->range)});
}

std::vector<language::CompletionItem> LanguageServer::devcontainer_completion(const Document& doc,
                                                                              Position pos) {
    return language::devcontainer_complete(doc.text, pos);
}

std::vector<language::DocumentSymbol> LanguageServer::devcontainer_symbols(const Document& doc) {
    return language::devcontainer_symbols(doc.text);
}

}  // namespace envbuilder::lsp
