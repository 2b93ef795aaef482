#pragma once
// Typed LSP structures and their JSON shapes, in one place. Positions here are already in the
// negotiated encoding; nothing in this file knows about Docker.
#include <optional>
#include <string>
#include <vector>

#include "protocol/jsonrpc.h"

namespace envbuilder::protocol {

struct LspPosition {
    uint32_t line = 0;
    uint32_t character = 0;
};
struct LspRange {
    LspPosition start, end;
};
struct Location {
    std::string uri;
    LspRange range;
};
struct LspTextEdit {
    LspRange range;
    std::string new_text;
};
struct MarkupContent {
    std::string kind = "markdown";
    std::string value;
};
struct HoverResult {
    MarkupContent contents;
    std::optional<LspRange> range;
};

// CompletionItemKind and SymbolKind values from the specification.
enum class CompletionItemKind { Text = 1, Function = 3, Field = 5, Variable = 6, Class = 7, Module = 9,
                                Property = 10, Value = 12, Enum = 13, Keyword = 14, Snippet = 15,
                                Reference = 18, EnumMember = 20, Constant = 21 };
enum class SymbolKind { File = 1, Module = 2, Namespace = 3, Class = 5, Method = 6, Property = 7,
                        Field = 8, Function = 12, Variable = 13, Constant = 14, String = 15,
                        Object = 19, Key = 20, Event = 24 };

struct CompletionItem {
    std::string label;
    CompletionItemKind kind = CompletionItemKind::Text;
    std::string detail;
    std::optional<MarkupContent> documentation;
    bool snippet = false;  // insertTextFormat 2
    LspTextEdit text_edit;
    std::string sort_text;
};

struct DocumentSymbol {
    std::string name;
    std::string detail;
    SymbolKind kind = SymbolKind::Object;
    LspRange range, selection_range;
    std::vector<DocumentSymbol> children;
};

struct PublishedDiagnostic {
    LspRange range;
    int severity = 1;
    std::string code;
    std::string source;
    std::string message;
    std::string code_description;  // href; empty when none
};

Json to_json(const LspPosition& p);
Json to_json(const LspRange& r);
Json to_json(const Location& l);
Json to_json(const LspTextEdit& e);
Json to_json(const HoverResult& h);
Json to_json(const CompletionItem& c);
Json to_json(const DocumentSymbol& s);
Json to_json(const PublishedDiagnostic& d);

// SymbolInformation[] for clients without hierarchical symbol support.
Json to_flat_symbols(const std::vector<DocumentSymbol>& symbols, const std::string& uri);

LspPosition position_from_json(const Json& j);  // throws nlohmann exceptions on bad shapes
LspRange range_from_json(const Json& j);

template <typename T>
Json to_json_array(const std::vector<T>& items) {
    Json out = Json::array();
    for (const auto& item : items) out.push_back(to_json(item));
    return out;
}

}  // namespace envbuilder::protocol
