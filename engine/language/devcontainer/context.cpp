#include "language/devcontainer/context.h"

#include <algorithm>

#include "syntax/json_string.h"

namespace envbuilder::language::devcontainer_editor {

std::string key_text(std::string_view src, const json::Token& t) {
    return json::decode_string_body_leniently(json::string_body(src, t));
}

namespace {

class ContextScanner {
  public:
    // `hover`: the token at `cursor` is the one whose characters include it (either end counts,
    // as in Range::contains); for completion the cursor must be past the token's start.
    ContextScanner(std::string_view src, size_t cursor, bool hover = false)
        : src_(src), cursor_(cursor), hover_(hover) {}

    // nullopt when the cursor is in a comment or outside any object or array.
    std::optional<Context> scan() {
        json::Tokenizer tokens(src_);
        json::Token t;
        while (tokens.next(t)) {
            if (!ctx_.found) {
                if (inside(t)) {
                    if (t.type == json::TokenType::Comment || !snapshot(t)) return std::nullopt;
                } else if (t.begin >= cursor_) {
                    if (!snapshot(std::nullopt)) return std::nullopt;
                }
                if (ctx_.found && hover_) return std::move(ctx_);  // hover needs no sibling keys
            }
            if (!apply(t)) break;  // the cursor's object closed: its keys are all known
        }
        if (!ctx_.found && !snapshot(std::nullopt)) return std::nullopt;
        if (target_ < stack_.size())
            for (auto& [key, offset] : stack_[target_].keys)
                if (!ctx_.token || offset != ctx_.token->begin)
                    ctx_.present.push_back(std::move(key));
        return std::move(ctx_);
    }

  private:
    bool inside(const json::Token& t) const {
        if (hover_)
            return (t.type == json::TokenType::String || t.type == json::TokenType::Literal ||
                    t.type == json::TokenType::Comment) &&
                   t.begin <= cursor_ && cursor_ <= t.end;
        switch (t.type) {
            case json::TokenType::String:
            case json::TokenType::Comment:
                return t.begin < cursor_ && (cursor_ < t.end || (t.open && cursor_ == t.end));
            case json::TokenType::Literal:
                return t.begin < cursor_ && cursor_ <= t.end;
            default:
                return false;
        }
    }

    bool snapshot(std::optional<json::Token> t) {
        ctx_.found = true;
        if (stack_.empty()) return false;
        target_ = stack_.size() - 1;
        const Frame& f = stack_.back();
        for (size_t i = 1; i < stack_.size(); ++i) ctx_.path.push_back(stack_[i].segment);
        ctx_.object = f.object;
        ctx_.state = f.state;
        ctx_.key = f.key;
        ctx_.token = t;
        return true;
    }

    // Returns false when the token closes the cursor's container.
    bool apply(const json::Token& t) {
        Frame* top = stack_.empty() ? nullptr : &stack_.back();
        switch (t.type) {
            case json::TokenType::Comment:
                return true;
            case json::TokenType::LBrace:
            case json::TokenType::LBracket: {
                Frame child;
                child.object = t.type == json::TokenType::LBrace;
                child.state = child.object ? State::Key : State::Value;
                if (top) {
                    child.segment =
                        top->object ? (top->state == State::Value ? top->key : "?") : "*";
                    if (top->object) top->state = State::AfterValue;
                }
                stack_.push_back(std::move(child));
                return true;
            }
            case json::TokenType::RBrace:
            case json::TokenType::RBracket: {
                std::optional<size_t> keep = open_after_closer(stack_, t.type);
                if (!keep) return true;
                if (ctx_.found && *keep <= target_) return false;
                stack_.resize(*keep);
                return true;
            }
            case json::TokenType::Colon:
                if (top && top->object) top->state = State::Value;
                return true;
            case json::TokenType::Comma:
                if (top && top->object) top->state = State::Key;
                return true;
            case json::TokenType::String:
            case json::TokenType::Literal:
                if (!top) return true;
                if (top->object && top->state != State::Value) {
                    top->key = t.type == json::TokenType::String
                                   ? key_text(src_, t)
                                   : std::string(src_.substr(t.begin, t.end - t.begin));
                    top->keys.emplace_back(top->key, t.begin);
                    top->state = State::AfterKey;
                } else if (top->object) {
                    top->state = State::AfterValue;
                }
                return true;
        }
        return true;
    }

    std::string_view src_;
    size_t cursor_;
    bool hover_;
    std::vector<Frame> stack_;
    size_t target_ = static_cast<size_t>(-1);
    Context ctx_;
};

}  // namespace

std::optional<Context> scan_context(std::string_view src, size_t cursor, bool hover) {
    return ContextScanner(src, cursor, hover).scan();
}

}  // namespace envbuilder::language::devcontainer_editor
