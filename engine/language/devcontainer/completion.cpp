// devcontainer.json completion: property names, enum values, feature ids and variable names,
// on half-typed JSON.
#include <algorithm>
#include <optional>

#include "language/devcontainer/catalog.h"
#include "language/devcontainer/context.h"
#include "language/devcontainer/features.h"

namespace envbuilder::language::devcontainer_editor {

namespace {

bool is_word_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// `$`, `}` and `\` are special in LSP snippets.
std::string snippet_escape(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == '$' || c == '}' || c == '\\') out += '\\';
        out += c;
    }
    return out;
}

// A placeholder for a property's value, shaped by what the property accepts.
std::string value_snippet(const PropertyInfo& p) {
    if (!p.allowed_values.empty()) {
        std::string choice = "\"${1|";
        for (size_t i = 0; i < p.allowed_values.size(); ++i) {
            if (i) choice += ',';
            choice += p.allowed_values[i];
        }
        return choice + "|}\"";
    }
    switch (p.shape) {
        case ValueShape::Boolean:
            return "${1|true,false|}";
        case ValueShape::Gpu:
            return "${1|true,false,\"optional\"|}";
        case ValueShape::PositiveInteger:
            return "${1:1}";
        case ValueShape::StringArray:
        case ValueShape::ForwardPorts:
        case ValueShape::Mounts:
        case ValueShape::AppPort:
            return "[$1]";
        case ValueShape::StringMap:
        case ValueShape::NullableStringMap:
        case ValueShape::Features:
        case ValueShape::PortAttributesMap:
        case ValueShape::Object:
        case ValueShape::FreeObject:
        case ValueShape::Secrets:
            return "{$1}";
        case ValueShape::String:
        case ValueShape::ByteSize:
        case ValueShape::StringOrStringArray:
        case ValueShape::Command:
            return "\"$1\"";
    }
    return "\"$1\"";
}

class Completer {
  public:
    Completer(const SourceText& text, Position pos)
        : text_(text), src_(text.text()), cursor_(text.offset_at(pos)) {}

    std::vector<CompletionItem> run() {
        std::optional<Context> ctx = scan_context(src_, cursor_);
        if (!ctx) return {};
        ctx_ = std::move(*ctx);
        const std::optional<json::Token>& t = ctx_.token;
        bool key_position =
            ctx_.object && (ctx_.state == State::Key || ctx_.state == State::AfterValue ||
                            (ctx_.state == State::AfterKey && t));
        if (key_position) {
            keys();
        } else if (!ctx_.object || ctx_.state == State::Value) {
            if (t && t->type == json::TokenType::String && variables_in_string(*t))
                return std::move(items_);
            if (ctx_.object) values();
        }
        return std::move(items_);
    }

  private:
    Range range(size_t begin, size_t end) const {
        return {text_.position_at(begin), text_.position_at(end)};
    }

    // What a quoted completion replaces, and how its text must start and end. In a string the
    // range is the text between the quotes (so clients filter on what was typed, not on a
    // quote) and a missing closing quote is supplied; elsewhere the word typed so far, if any.
    struct Slot {
        Range range;
        std::string open;   // '"' when the user has not typed the opening quote
        std::string close;  // '"' unless the string's closing quote is already there
        bool colon_follows = false;
    };

    // `for_key`: a key without a colon after it gets one, so its closing quote is rewritten too.
    Slot slot(bool for_key) const {
        Slot s;
        const std::optional<json::Token>& t = ctx_.token;
        size_t after = t ? t->end : cursor_;
        while (after < src_.size() && (src_[after] == ' ' || src_[after] == '\t')) ++after;
        s.colon_follows = after < src_.size() && src_[after] == ':';
        if (t && t->type == json::TokenType::String) {
            size_t end = t->end - 1;  // before the closing quote
            if (t->open || (for_key && !s.colon_follows)) {
                end = t->open ? cursor_ : t->end;
                s.close = "\"";
            }
            s.range = range(t->begin + 1, end);
        } else {
            s.open = s.close = "\"";
            s.range = t ? range(t->begin, t->end) : range(cursor_, cursor_);
        }
        return s;
    }

    void add(std::string label, CompletionKind kind, std::string_view detail, std::string doc,
             std::string insert, bool snippet, Range r) {
        items_.push_back({std::move(label), kind, std::string(detail), std::move(doc),
                          std::move(insert), snippet, r});
    }

    bool present(std::string_view key) const {
        return std::find(ctx_.present.begin(), ctx_.present.end(), key) != ctx_.present.end();
    }

    // A key followed by its value's snippet; just the key when a colon is already there.
    void add_key(std::string label, CompletionKind kind, std::string_view detail, std::string doc,
                 const std::string& value_snippet, const Slot& s) {
        if (s.colon_follows) {
            add(label, kind, detail, std::move(doc), s.open + label + s.close, false, s.range);
            return;
        }
        std::string insert = snippet_escape(s.open + label + s.close) + ": " + value_snippet;
        add(std::move(label), kind, detail, std::move(doc), std::move(insert), true, s.range);
    }

    void keys() {
        Slot s = slot(true);
        if (ctx_.path.size() == 1 && ctx_.path[0] == "features") {
            for (const FeatureInfo& f : well_known_features()) {
                std::string id = feature_id(f);
                if (present(id)) continue;
                add_key(id, CompletionKind::Reference, f.description,
                        "https://github.com/devcontainers/features/tree/main/src/" +
                            std::string(f.name),
                        "{$1}", s);
            }
            return;
        }
        const std::vector<PropertyInfo>* table = members_at(ctx_.path);
        if (!table) return;
        for (const PropertyInfo& p : *table) {
            // Deprecated spellings are still understood but should not be written anew.
            if (p.deprecated() || present(p.name)) continue;
            add_key(std::string(p.name), CompletionKind::Property, p.type,
                    std::string(p.description), value_snippet(p), s);
        }
    }

    void values() {
        const PropertyInfo* p = property_at(ctx_.path, ctx_.key);
        if (!p) return;
        Slot s = slot(false);
        bool in_string = ctx_.token && ctx_.token->type == json::TokenType::String;
        for (std::string_view v : p->allowed_values)
            add(std::string(v), CompletionKind::Value, p->name, {},
                s.open + std::string(v) + s.close, false, s.range);
        if (in_string) {
            if (p->shape == ValueShape::Gpu)
                add("optional", CompletionKind::Value, p->name, {}, "optional" + s.close, false,
                    s.range);
            return;
        }
        if (p->shape == ValueShape::Boolean || p->shape == ValueShape::Gpu) {
            add("true", CompletionKind::Value, p->name, {}, "true", false, s.range);
            add("false", CompletionKind::Value, p->name, {}, "false", false, s.range);
        }
        if (p->shape == ValueShape::Gpu)
            add("\"optional\"", CompletionKind::Value, p->name, {}, "\"optional\"", false, s.range);
    }

    // Variable names right after an unclosed "${" before the cursor in the string `t`.
    bool variables_in_string(const json::Token& t) {
        std::string_view before = src_.substr(t.begin + 1, cursor_ - t.begin - 1);
        size_t open = before.rfind("${");
        if (open == std::string_view::npos || before.find('}', open) != std::string_view::npos)
            return false;
        size_t name_begin = t.begin + 1 + open + 2;
        for (size_t i = name_begin; i < cursor_; ++i)
            if (!is_word_char(src_[i])) return false;  // past the name, e.g. in "${localEnv:HO"
        size_t string_end = t.open ? t.end : t.end - 1;
        size_t name_end = cursor_;
        while (name_end < string_end && is_word_char(src_[name_end])) ++name_end;
        bool closed = name_end < string_end && src_[name_end] == '}';
        Range r = range(name_begin, name_end);
        for (const VariableInfo& v : variables()) {
            std::string name(v.name);
            if (v.takes_name)
                add(name, CompletionKind::Variable, "${" + name + ":NAME}",
                    std::string(v.description), name + ":${1:NAME}" + (closed ? "" : "}"), true, r);
            else
                add(name, CompletionKind::Variable, "${" + name + "}", std::string(v.description),
                    name + (closed ? "" : "}"), false, r);
        }
        return true;
    }

    const SourceText& text_;
    std::string_view src_;
    size_t cursor_;
    Context ctx_;
    std::vector<CompletionItem> items_;
};

}  // namespace

}  // namespace envbuilder::language::devcontainer_editor

namespace envbuilder::language {

std::vector<CompletionItem> devcontainer_complete(const SourceText& text, Position pos) {
    return devcontainer_editor::Completer(text, pos).run();
}

}  // namespace envbuilder::language
