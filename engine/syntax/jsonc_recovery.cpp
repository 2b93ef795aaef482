// jsonc's recovery path, for a document with syntax errors: tree-sitter's tree flattened into
// atoms (its error-free values whole, every other token on its own), then parsed again by hand
// so that each mistake gets one clear message and the sound parts stay in the value tree.
#include <tree_sitter/api.h>

#include "syntax/jsonc_tree.h"

namespace envbuilder::jsonc::detail {

namespace {

constexpr TSSymbol kErrorSymbol = static_cast<TSSymbol>(-1);

// The pieces the recovery parser works on: tree-sitter's error-free values whole, and every
// other token on its own.
enum class AtomKind {
    Value,  // an error-free value node (or any string node)
    OpenBrace,
    CloseBrace,
    OpenBracket,
    CloseBracket,
    Comma,
    Colon,
    Quote,        // an opening quote without its string: the string is not closed
    StringPiece,  // the text after such a quote
    Invalid,      // characters that are no JSON token at all (tree-sitter's leaf ERROR)
};

struct Atom {
    AtomKind kind;
    TSNode node;
    uint32_t start;
    uint32_t end;
};

class RecoveryParser : public TreeReader {
  public:
    using TreeReader::TreeReader;

    std::optional<Value> read(TSNode root) {
        start_cursor(root);
        flatten();
        return parse_document();
    }

  private:
    void flatten() {
        // Walks the tree with the cursor, without recursion: a broken document can nest deeply.
        atoms_.clear();
        int depth = 0;
        bool descend = false;
        for (;;) {
            TSNode node = ts_tree_cursor_current_node(&cursor_);
            TSSymbol sym = ts_node_symbol(node);
            descend = false;
            // (ERROR nodes can be flagged "extra" too, so comments are recognised by symbol.)
            if (ts_node_is_missing(node) || sym == sym_.comment) {
                // MISSING nodes are tree-sitter's guesses; the parser below works out what is
                // missing itself, with a better message.
            } else if (sym == sym_.string || (sym_.is_value(sym) && !ts_node_has_error(node))) {
                add_atom(AtomKind::Value, node);
            } else if (ts_node_child_count(node) > 0) {
                descend = true;
            } else if (sym == kErrorSymbol) {
                add_atom(AtomKind::Invalid, node);
            } else if (sym == sym_.lbrace) {
                add_atom(AtomKind::OpenBrace, node);
            } else if (sym == sym_.rbrace) {
                add_atom(AtomKind::CloseBrace, node);
            } else if (sym == sym_.lbracket) {
                add_atom(AtomKind::OpenBracket, node);
            } else if (sym == sym_.rbracket) {
                add_atom(AtomKind::CloseBracket, node);
            } else if (sym == sym_.comma) {
                add_atom(AtomKind::Comma, node);
            } else if (sym == sym_.colon) {
                add_atom(AtomKind::Colon, node);
            } else if (sym == sym_.quote) {
                add_atom(AtomKind::Quote, node);
            } else if (sym == sym_.string_content || sym == sym_.escape_sequence) {
                add_atom(AtomKind::StringPiece, node);
            } else if (ts_node_end_byte(node) > ts_node_start_byte(node)) {
                add_atom(AtomKind::Invalid, node);
            }

            if (descend && ts_tree_cursor_goto_first_child(&cursor_)) {
                ++depth;
                continue;
            }
            while (!ts_tree_cursor_goto_next_sibling(&cursor_)) {
                if (depth == 0 || !ts_tree_cursor_goto_parent(&cursor_)) return;
                --depth;
            }
            if (depth == 0) return;  // never wander to the root's siblings
        }
    }

    void add_atom(AtomKind kind, TSNode node) {
        atoms_.push_back({kind, node, ts_node_start_byte(node), ts_node_end_byte(node)});
    }

    bool at_end() const { return pos_ >= atoms_.size(); }
    const Atom& peek() const { return atoms_[pos_]; }
    const Atom& take() {
        const Atom& a = atoms_[pos_++];
        last_end_ = a.end;
        last_end_pos_ = range_of(a.node).end;
        return a;
    }
    Range atom_range(const Atom& a) const { return range_of(a.node); }

    bool is_string_atom(const Atom& a) const {
        return a.kind == AtomKind::Value && ts_node_symbol(a.node) == sym_.string;
    }

    // Where to put an "expected X" diagnostic: on the token found instead when it sits on the
    // same line, otherwise right after the last good token (where the missing text belongs).
    Range where_expected() const {
        Position after{last_end_pos_};
        if (!at_end()) {
            Range next = atom_range(peek());
            if (next.start.line == after.line) return next;
        }
        return {after, after};
    }

    Value placeholder_here() const {
        return placeholder({last_end_pos_, last_end_pos_}, last_end_, last_end_);
    }

    std::string describe_atom(const Atom& a) const {
        switch (a.kind) {
            case AtomKind::Value:
                return describe_value_node(a.node);
            case AtomKind::OpenBrace:
                return "'{'";
            case AtomKind::CloseBrace:
                return "'}'";
            case AtomKind::OpenBracket:
                return "'['";
            case AtomKind::CloseBracket:
                return "']'";
            case AtomKind::Comma:
                return "','";
            case AtomKind::Colon:
                return "':'";
            case AtomKind::Quote:
                return "'\"'";
            case AtomKind::StringPiece:
            case AtomKind::Invalid:
                return "'" + excerpt(text_of(a.start, a.end)) + "'";
        }
        return "token";
    }

    std::optional<Value> parse_document() {
        pos_ = 0;
        if (atoms_.empty()) {
            report_empty();
            return std::nullopt;
        }
        Value root = parse_value(0, nullptr);
        if (!at_end()) {
            const Atom& extra = peek();
            if (extra.kind == AtomKind::Invalid &&
                text_of(extra.start, extra.end).substr(0, 2) == "/*") {
                report_invalid_token(extra, /*as_key=*/false);  // an unclosed comment, not content
                return root;
            }
            syntax_error(atom_range(extra), "Unexpected " + describe_atom(extra) +
                                                " after the end of the top-level value");
        }
        return root;
    }

    Value parse_value(int depth, const std::string* key) {
        auto for_key = [key] { return key ? " for property \"" + *key + "\"" : std::string(); };
        if (at_end()) {
            if (!suppress_unclosed_) syntax_error(where_expected(), "Expected a value" + for_key());
            return placeholder_here();
        }
        const Atom& a = peek();
        switch (a.kind) {
            case AtomKind::Value: {
                take();
                if (depth > kMaxDepth) {
                    too_deep(atom_range(a));
                    return placeholder(atom_range(a), a.start, a.end);
                }
                start_cursor(a.node);
                Value v = convert_at_cursor(depth);
                if (v.kind == Kind::Number) merge_signed_exponent(v);
                return v;
            }
            case AtomKind::OpenBrace:
            case AtomKind::OpenBracket:
                if (depth > kMaxDepth) {
                    too_deep(atom_range(a));
                    pos_ = atoms_.size();  // give up on the rest rather than recurse further
                    return placeholder(atom_range(a), a.start, a.end);
                }
                return a.kind == AtomKind::OpenBrace ? parse_object(depth) : parse_array(depth);
            case AtomKind::Quote:
                return parse_unclosed_string();
            case AtomKind::Invalid:
            case AtomKind::StringPiece: {
                take();
                // "+1" and ".5" reach us as a stray character glued to a number: one mistake.
                if (!at_end() && peek().start == a.end && peek().kind == AtomKind::Value &&
                    ts_node_symbol(peek().node) == sym_.number) {
                    const Atom& number = take();
                    Range range{atom_range(a).start, atom_range(number).end};
                    syntax_error(range, "Invalid number '" + excerpt(text_of(a.start, number.end)) +
                                            "': JSON numbers start with a digit or '-'");
                    return placeholder(range, a.start, number.end);
                }
                report_invalid_token(a, /*as_key=*/false);
                return placeholder(atom_range(a), a.start, a.end);
            }
            default:
                syntax_error(where_expected(),
                             "Expected a value" + for_key() + ", found " + describe_atom(a));
                return placeholder_here();
        }
    }

    // tree-sitter-json has no '+' in exponents ("1e+5"), which JSON allows: glue the pieces.
    void merge_signed_exponent(Value& v) {
        if (pos_ + 1 >= atoms_.size()) return;
        const Atom& sign = atoms_[pos_];
        const Atom& digits = atoms_[pos_ + 1];
        std::string_view sign_text = text_of(sign.start, sign.end);
        if (sign.kind != AtomKind::Invalid || sign.start != v.end_byte || digits.start != sign.end)
            return;
        if (sign_text != "e+" && sign_text != "E+") return;
        if (digits.kind != AtomKind::Value || ts_node_symbol(digits.node) != sym_.number) return;
        std::string_view exponent = text_of(digits.start, digits.end);
        if (exponent.empty() || exponent.find_first_not_of("0123456789") != std::string_view::npos)
            return;
        if (text_of(v.start_byte, v.end_byte).find_first_of("eE") != std::string_view::npos) return;
        take();
        take();
        v.end_byte = digits.end;
        v.range.end = atom_range(digits).end;
        std::string text(text_of(v.start_byte, v.end_byte));
        text.erase(text.find('+'), 1);  // from_chars wants no '+'
        set_number(v, text);
    }

    Value parse_unclosed_string() {
        const Atom& quote = take();
        uint32_t end = quote.end;
        TSPoint row = ts_node_start_point(quote.node);
        while (!at_end() && peek().kind == AtomKind::StringPiece &&
               ts_node_start_point(peek().node).row == row.row) {
            end = take().end;
        }
        Range range = byte_range(quote.start, end);
        if (!suppress_unclosed_) syntax_error(range, "String is not closed: add '\"' at its end");
        suppress_unclosed_ = true;  // everything after it is now misread; one message is enough
        return placeholder(range, quote.start, end);
    }

    void report_invalid_token(const Atom& a, bool as_key) {
        std::string_view raw = text_of(a.start, a.end);
        Range range = atom_range(a);
        if (raw.rfind("/*", 0) == 0) {
            syntax_error(range, "Comment is not closed: add '*/' at its end");
            suppress_unclosed_ = true;
            return;
        }
        if (!raw.empty() && raw[0] == '\'') {
            syntax_error(range, as_key
                                    ? "Property names must be in double quotes, not single quotes"
                                    : "Strings must be in double quotes, not single quotes");
            return;
        }
        if (!raw.empty() && is_identifier_start(raw[0])) {
            std::string word = excerpt(raw);
            if (as_key) {
                syntax_error(range,
                             "Property names must be in double quotes: write \"" + word + "\"");
                return;
            }
            std::string lower;
            for (char c : word)
                lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
            if (lower == "true" || lower == "false" || lower == "null") {
                syntax_error(range, "Unknown value '" + word +
                                        "': JSON literals are lowercase, write " + lower);
                return;
            }
            syntax_error(range,
                         "Unknown value '" + word +
                             "': expected a string, number, object, array, true, false or null");
            return;
        }
        if (!raw.empty() &&
            (raw[0] == '+' || raw[0] == '.' || raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9'))) {
            syntax_error(range, "Invalid number '" + excerpt(raw) + "'");
            return;
        }
        syntax_error(range, "Unexpected character '" + excerpt(raw) + "'");
    }

    Fix insert_comma_fix() const {
        return Fix{"Insert ','", {TextEdit{{last_end_pos_, last_end_pos_}, ","}}};
    }

    void trailing_comma(const Atom& comma) {
        Range range = atom_range(comma);
        // A warning, not an error: VS Code's JSONC and the devcontainers CLI accept it; strict JSON
        // readers do not.
        report(kTrailingComma, Severity::Warning, range,
               "Trailing comma: accepted by VS Code and the devcontainers CLI, but not valid JSON; "
               "remove it",
               Fix{"Remove the trailing comma", {TextEdit{range, ""}}});
    }

    // True when an enclosing container still waits for `close`: a wrong closer then most likely
    // ends that one, and the current container just lacks its own.
    bool outer_expects(AtomKind close) const {
        for (AtomKind k : open_stack_) {
            if (k == close) return true;
        }
        return false;
    }

    // How objects and arrays differ in the loop they share.
    struct ContainerSyntax {
        AtomKind close;
        AtomKind other_close;  // the other kind's closer: a mistake here
        const char* name;
        const char* closer;
        const char* other_closer;
        const char* comma_first;  // a ',' right after the opener
        const char* colon;        // a ':' where no key can be
        const char* missing_comma;
    };
    static constexpr ContainerSyntax kObjectSyntax{
        AtomKind::CloseBrace,
        AtomKind::CloseBracket,
        "object",
        "'}'",
        "']'",
        "Unexpected ',': expected a property or '}'",
        "Unexpected ':': expected a property name in double quotes",
        "Expected ',' between properties"};
    static constexpr ContainerSyntax kArraySyntax{
        AtomKind::CloseBracket,
        AtomKind::CloseBrace,
        "array",
        "']'",
        "'}'",
        "Unexpected ',': expected a value or ']'",
        "Unexpected ':': arrays hold values, not properties",
        "Expected ',' between array elements"};

    // The loop objects and arrays share, from the opener to the closer: commas (missing, doubled,
    // trailing), the wrong closer and stray colons. `element(atom)` reads one member or item.
    template <class Element>
    void parse_elements(Value& container, const ContainerSyntax& syntax, Element&& element) {
        const Atom& open = take();
        container.start_byte = open.start;
        container.range.start = atom_range(open).start;
        auto expected = [&] {
            return std::string("Expected ") + syntax.closer + " to close the " + syntax.name +
                   " that starts on line " + std::to_string(container.range.start.line + 1);
        };
        enum class State { AfterOpen, AfterElement, AfterComma } state = State::AfterOpen;
        const Atom* last_comma = nullptr;
        bool closed = false;
        open_stack_.push_back(syntax.close);
        while (!closed) {
            if (at_end()) {
                // Only the innermost unclosed container is reported: the rest follow from it.
                if (!suppress_unclosed_) syntax_error(where_expected(), expected());
                suppress_unclosed_ = true;
                break;
            }
            const Atom& a = peek();
            if (a.kind == syntax.close) {
                if (state == State::AfterComma && last_comma) trailing_comma(*last_comma);
                take();
                closed = true;
            } else if (a.kind == syntax.other_close) {
                syntax_error(atom_range(a), expected() + ", found " + syntax.other_closer);
                // When an enclosing container still waits for it, it most likely ends that one and
                // this one just lacks its own closer: leave it. Otherwise it is a typo for ours.
                if (!outer_expects(a.kind)) take();
                closed = true;
            } else if (a.kind == AtomKind::Comma) {
                if (state == State::AfterElement) {
                    last_comma = &a;
                    state = State::AfterComma;
                } else {
                    syntax_error(atom_range(a), state == State::AfterOpen
                                                    ? syntax.comma_first
                                                    : "Unexpected ',': two commas in a row");
                }
                take();
            } else if (a.kind == AtomKind::Colon) {
                syntax_error(atom_range(a), syntax.colon);
                take();
            } else {
                if (state == State::AfterElement)
                    report(kJsonSyntax, Severity::Error, where_expected(), syntax.missing_comma,
                           insert_comma_fix());
                element(a);
                state = State::AfterElement;
            }
        }
        open_stack_.pop_back();
        container.end_byte = last_end_;
        container.range.end = last_end_pos_;
    }

    Value parse_object(int depth) {
        Value object;
        object.kind = Kind::Object;
        parse_elements(object, kObjectSyntax, [&](const Atom& a) {
            if (is_string_atom(a) || a.kind == AtomKind::Invalid || a.kind == AtomKind::Quote) {
                if (auto member = parse_member(depth)) object.members.push_back(std::move(*member));
            } else {
                syntax_error(atom_range(a), "Expected a property name in double quotes, found " +
                                                describe_atom(a));
                parse_value(depth + 1, nullptr);  // skip it whole
            }
        });
        check_duplicates(object);
        return object;
    }

    std::optional<Member> parse_member(int depth) {
        const Atom& k = peek();
        Member m;
        if (k.kind == AtomKind::Quote) {
            parse_unclosed_string();
            return std::nullopt;
        }
        take();
        if (k.kind == AtomKind::Invalid) {
            report_invalid_token(k, /*as_key=*/true);
            std::string_view raw = text_of(k.start, k.end);
            if (!raw.empty() && raw.front() == '\'') raw.remove_prefix(1);
            if (!raw.empty() && raw.back() == '\'') raw.remove_suffix(1);
            m.key = std::string(raw);
            m.key_range = atom_range(k);
        } else {
            Value key = convert_string(k.node);
            m.key = std::move(key.string);
            m.key_range = key.range;
        }
        if (!at_end() && peek().kind == AtomKind::Colon) {
            take();
            m.value = parse_value(depth + 1, &m.key);
            return m;
        }
        if (!suppress_unclosed_)
            syntax_error(where_expected(), "Expected ':' after property name \"" + m.key + "\"");
        // `"a" 1`: the value is there, only the colon is missing.
        bool value_follows =
            !at_end() && atom_range(peek()).start.line == m.key_range.end.line &&
            (peek().kind == AtomKind::OpenBrace || peek().kind == AtomKind::OpenBracket ||
             (peek().kind == AtomKind::Value && !is_string_atom(peek())));
        m.value = value_follows ? parse_value(depth + 1, &m.key) : placeholder_here();
        return m;
    }

    Value parse_array(int depth) {
        Value array;
        array.kind = Kind::Array;
        parse_elements(array, kArraySyntax, [&](const Atom&) {
            array.items.push_back(parse_value(depth + 1, nullptr));
        });
        return array;
    }

    std::vector<Atom> atoms_;
    size_t pos_ = 0;
    uint32_t last_end_ = 0;
    Position last_end_pos_{};
    std::vector<AtomKind> open_stack_;
};

}  // namespace

std::optional<Value> read_with_recovery(const SourceText& text,
                                        std::vector<Diagnostic>& diagnostics, TSNode root) {
    return RecoveryParser(text, diagnostics).read(root);
}

}  // namespace envbuilder::jsonc::detail
