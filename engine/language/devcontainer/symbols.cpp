// devcontainer.json document symbols: the outline, one symbol per property.
#include <algorithm>
#include <optional>

#include "language/devcontainer/context.h"
#include "language/devcontainer/features.h"

namespace envbuilder::language::devcontainer_editor {

namespace {

// Builds the outline from tokens in one pass, with the same recovery as completion: the outline
// stays useful (and cheap) while the file is half-typed.
class SymbolBuilder {
  public:
    explicit SymbolBuilder(const SourceText& text) : text_(text), src_(text.text()) {}

    std::vector<DocumentSymbol> run() {
        json::Tokenizer tokens(src_);
        json::Token t;
        while (tokens.next(t)) {
            if (t.type == json::TokenType::Comment) continue;
            if (!apply(t)) break;
            last_end_ = t.end;
        }
        while (stack_.size() > 1) close(last_end_);
        if (stack_.empty()) return {};
        finish_member(stack_[0]);
        return std::move(stack_[0].symbols);
    }

  private:
    struct Container {
        bool object = true;
        bool outlined = false;  // its members become symbols (the root and objects under them)
        State state = State::Key;
        std::vector<DocumentSymbol> symbols;
        std::optional<DocumentSymbol> member;  // the member being read
        size_t items = 0;                      // an array's element count
    };

    // Returns false at the end of the root value: anything after it is not part of the outline.
    bool apply(const json::Token& t) {
        if (stack_.empty()) {
            // Only an object at the root has properties to outline.
            if (t.type != json::TokenType::LBrace || done_) return false;
            stack_.push_back(container(true, true));
            return true;
        }
        Container& top = stack_.back();
        switch (t.type) {
            case json::TokenType::LBrace:
            case json::TokenType::LBracket: {
                value_starts(top);
                bool object = t.type == json::TokenType::LBrace;
                bool outlined =
                    object && top.object && top.outlined && top.member && stack_.size() < 64;
                stack_.push_back(container(object, outlined));
                return true;
            }
            case json::TokenType::RBrace:
            case json::TokenType::RBracket: {
                std::optional<size_t> keep = open_after_closer(stack_, t.type);
                if (!keep) return true;
                while (stack_.size() > *keep + 1 && stack_.size() > 1) close(t.end);
                if (*keep == 0) {
                    done_ = true;
                    return false;
                }
                close(t.end);
                return true;
            }
            case json::TokenType::Colon:
                if (top.object) top.state = State::Value;
                return true;
            case json::TokenType::Comma:
                if (top.object) {
                    finish_member(top);
                    top.state = State::Key;
                }
                return true;
            case json::TokenType::String:
            case json::TokenType::Literal:
                if (top.object && top.state != State::Value) {
                    finish_member(top);
                    top.state = State::AfterKey;
                    if (!top.outlined) return true;
                    DocumentSymbol s;
                    s.name =
                        t.type == json::TokenType::String ? key_text(src_, t) : std::string(raw(t));
                    s.kind =
                        SymbolKind::Directive;  // the server reports Directive as an LSP Property
                    s.selection_range = s.range = range(t.begin, t.end);
                    top.member = std::move(s);
                    return true;
                }
                value_starts(top);
                if (top.object && top.member) {
                    top.member->detail = scalar_detail(t);
                    top.member->range.end = text_.position_at(t.end);
                }
                return true;
            case json::TokenType::Comment:
                return true;
        }
        return true;
    }

    static Container container(bool object, bool outlined) {
        Container c;
        c.object = object;
        c.outlined = outlined;
        c.state = object ? State::Key : State::Value;
        return c;
    }

    void value_starts(Container& c) {
        if (c.object)
            c.state = State::AfterValue;
        else
            ++c.items;
    }

    // Closes the innermost container at `end`, handing its outline to the member it is the
    // value of.
    void close(size_t end) {
        Container child = std::move(stack_.back());
        stack_.pop_back();
        finish_member(child);
        Container& parent = stack_.back();
        if (!parent.object || !parent.member) return;
        parent.member->range.end = text_.position_at(end);
        if (child.object)
            parent.member->children = std::move(child.symbols);
        else
            parent.member->detail =
                std::to_string(child.items) + (child.items == 1 ? " item" : " items");
    }

    void finish_member(Container& c) {
        if (c.member) c.symbols.push_back(std::move(*c.member));
        c.member.reset();
    }

    std::string_view raw(const json::Token& t) const {
        return src_.substr(t.begin, t.end - t.begin);
    }
    Range range(size_t begin, size_t end) const {
        return {text_.position_at(begin), text_.position_at(end)};
    }

    // A scalar as the outline shows it: a string's text, other values as written; cut short.
    std::string scalar_detail(const json::Token& t) const {
        constexpr size_t kLimit = 40;
        std::string s = t.type == json::TokenType::String ? key_text(src_, t) : std::string(raw(t));
        if (s.size() <= kLimit) return s;
        size_t cut = kLimit;
        while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80)
            --cut;  // not mid-character
        return s.substr(0, cut) + "…";
    }

    const SourceText& text_;
    std::string_view src_;
    std::vector<Container> stack_;
    size_t last_end_ = 0;
    bool done_ = false;
};

}  // namespace

}  // namespace envbuilder::language::devcontainer_editor

namespace envbuilder::language {

std::vector<DocumentSymbol> devcontainer_symbols(const SourceText& text) {
    return devcontainer_editor::SymbolBuilder(text).run();
}

}  // namespace envbuilder::language
