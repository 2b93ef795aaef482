#pragma once
// jsonc through tree-sitter-json: the value tree of an error-free syntax tree, and the pieces the
// recovery parser (jsonc_recovery.cpp) reuses for documents with errors. Internal to
// syntax/jsonc*.cpp.
#include <tree_sitter/api.h>

#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "syntax/jsonc_reporter.h"

extern "C" const TSLanguage* tree_sitter_json();

namespace envbuilder::jsonc::detail {

struct Symbols {
    TSSymbol object, pair, array, string, number, true_, false_, null, comment, string_content,
        escape_sequence, lbrace, rbrace, lbracket, rbracket, comma, colon, quote;

    static const Symbols& get() {
        static const Symbols symbols = [] {
            const TSLanguage* lang = tree_sitter_json();
            auto named = [lang](const char* name) {
                return ts_language_symbol_for_name(lang, name, static_cast<uint32_t>(strlen(name)),
                                                   true);
            };
            auto token = [lang](const char* name) {
                return ts_language_symbol_for_name(lang, name, static_cast<uint32_t>(strlen(name)),
                                                   false);
            };
            Symbols s{};
            s.object = named("object");
            s.pair = named("pair");
            s.array = named("array");
            s.string = named("string");
            s.number = named("number");
            s.true_ = named("true");
            s.false_ = named("false");
            s.null = named("null");
            s.comment = named("comment");
            s.string_content = named("string_content");
            s.escape_sequence = named("escape_sequence");
            s.lbrace = token("{");
            s.rbrace = token("}");
            s.lbracket = token("[");
            s.rbracket = token("]");
            s.comma = token(",");
            s.colon = token(":");
            s.quote = token("\"");
            return s;
        }();
        return symbols;
    }

    bool is_value(TSSymbol sym) const {
        return sym == object || sym == array || sym == string || sym == number || sym == true_ ||
               sym == false_ || sym == null;
    }
};

class TreeReader : public Reporter {
  public:
    TreeReader(const SourceText& text, std::vector<Diagnostic>& diagnostics)
        : Reporter(text, diagnostics), sym_(Symbols::get()) {}
    ~TreeReader();

    // The value tree of a syntax tree without errors (ts_node_has_error(root) is false).
    std::optional<Value> read_flawless_tree(TSNode document);

  protected:
    void start_cursor(TSNode node);
    Range range_of(TSNode node) const;
    void fill_span(Value& v, TSNode node) const;
    Value convert_string(TSNode node);
    Value convert_number(TSNode node);
    // Converts the node under the cursor and leaves the cursor where it found it.
    Value convert_at_cursor(int depth);
    Member convert_pair_at_cursor(int depth);
    std::string describe_value_node(TSNode node) const;

    const Symbols& sym_;
    TSTreeCursor cursor_{};
    bool cursor_ready_ = false;
    bool suppress_unclosed_ = false;  // an unclosed string or comment was reported
};

// The value tree of a syntax tree with errors: every error reported, the sound parts kept.
std::optional<Value> read_with_recovery(const SourceText& text,
                                        std::vector<Diagnostic>& diagnostics, TSNode root);

}  // namespace envbuilder::jsonc::detail
