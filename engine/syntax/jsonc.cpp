#include "syntax/jsonc.h"

#include <tree_sitter/api.h>

#include <cmath>
#include <limits>
#include <memory>

#include "syntax/jsonc_fast_reader.h"
#include "syntax/jsonc_tree.h"

extern "C" const TSLanguage* tree_sitter_json();

namespace envbuilder::jsonc {

const char* kind_name(Kind kind) {
    switch (kind) {
        case Kind::Null:
            return "null";
        case Kind::Boolean:
            return "boolean";
        case Kind::Number:
            return "number";
        case Kind::String:
            return "string";
        case Kind::Array:
            return "array";
        case Kind::Object:
            return "object";
        case Kind::Invalid:
            return "invalid";
    }
    return "invalid";
}

bool Value::is_integer() const {
    return kind == Kind::Number && std::isfinite(number) && std::floor(number) == number;
}

const Member* Value::find_member(std::string_view key) const {
    for (auto it = members.rbegin(); it != members.rend(); ++it) {
        if (it->key == key) return &*it;
    }
    return nullptr;
}

const Value* Value::find(std::string_view key) const {
    const Member* m = find_member(key);
    return m ? &m->value : nullptr;
}

namespace {

struct ParserDeleter {
    void operator()(TSParser* p) const { ts_parser_delete(p); }
};
struct TreeDeleter {
    void operator()(TSTree* t) const { ts_tree_delete(t); }
};

// One parser per thread, reused: creating one costs more than parsing a typical config.
TSParser* thread_parser() {
    thread_local std::unique_ptr<TSParser, ParserDeleter> parser = [] {
        std::unique_ptr<TSParser, ParserDeleter> p(ts_parser_new());
        ts_parser_set_language(p.get(), tree_sitter_json());
        return p;
    }();
    return parser.get();
}

// tree-sitter 0.20 corrupts its heap on absurd nesting (around 10^5 unclosed brackets), so such
// input never reaches it. Strings are skipped so that brackets inside them do not count.
size_t max_bracket_depth(std::string_view s) {
    size_t depth = 0, deepest = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '"') {
            for (++i; i < s.size() && s[i] != '"' && s[i] != '\n'; ++i) {
                if (s[i] == '\\') ++i;
            }
        } else if (c == '[' || c == '{') {
            deepest = std::max(deepest, ++depth);
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return deepest;
}

constexpr size_t kMaxBracketDepth = 10000;

}  // namespace

Document parse(const SourceText& text) {
    Document doc;
    if (auto root = detail::read_flawless(text, doc.diagnostics)) {
        doc.root = std::move(root);
        return doc;
    }
    return parse_with_tree_sitter(text);
}

Document parse_with_tree_sitter(const SourceText& text) {
    Document doc;
    const std::string& src = text.text();
    if (src.size() > std::numeric_limits<uint32_t>::max()) {
        doc.diagnostics.push_back(
            {kJsonSyntax, Severity::Error, {}, "The document is too large to parse", "", {}});
        return doc;
    }
    if (max_bracket_depth(src) > kMaxBracketDepth) {
        doc.diagnostics.push_back({kJsonSyntax,
                                   Severity::Error,
                                   {},
                                   "The document nests brackets more than " +
                                       std::to_string(kMaxBracketDepth) +
                                       " levels deep and is not parsed",
                                   "",
                                   {}});
        return doc;
    }
    TSParser* parser = thread_parser();
    std::unique_ptr<TSTree, TreeDeleter> tree(
        ts_parser_parse_string(parser, nullptr, src.data(), static_cast<uint32_t>(src.size())));
    if (!tree) {
        ts_parser_reset(parser);
        doc.diagnostics.push_back(
            {kJsonSyntax, Severity::Error, {}, "The document could not be parsed", "", {}});
        return doc;
    }
    TSNode root = ts_tree_root_node(tree.get());
    if (ts_node_has_error(root))
        doc.root = detail::read_with_recovery(text, doc.diagnostics, root);
    else
        doc.root = detail::TreeReader(text, doc.diagnostics).read_flawless_tree(root);
    return doc;
}

}  // namespace envbuilder::jsonc