#include "syntax/jsonc.h"

#include <tree_sitter/api.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <unordered_map>

extern "C" const TSLanguage* tree_sitter_json();

namespace envbuilder::jsonc {

const char* kind_name(Kind kind) {
    switch (kind) {
        case Kind::Null: return "null";
        case Kind::Boolean: return "boolean";
        case Kind::Number: return "number";
        case Kind::String: return "string";
        case Kind::Array: return "array";
        case Kind::Object: return "object";
        case Kind::Invalid: return "invalid";
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

constexpr TSSymbol kErrorSymbol = static_cast<TSSymbol>(-1);
// Far deeper than any real configuration; the limit keeps the recursion off the stack's edge.
constexpr int kMaxDepth = 256;

struct Symbols {
    TSSymbol object, pair, array, string, number, true_, false_, null, comment, string_content,
        escape_sequence, lbrace, rbrace, lbracket, rbracket, comma, colon, quote;

    static const Symbols& get() {
        static const Symbols symbols = [] {
            const TSLanguage* lang = tree_sitter_json();
            auto named = [lang](const char* name) {
                return ts_language_symbol_for_name(lang, name, static_cast<uint32_t>(strlen(name)), true);
            };
            auto token = [lang](const char* name) {
                return ts_language_symbol_for_name(lang, name, static_cast<uint32_t>(strlen(name)), false);
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

void append_utf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

bool read_hex4(std::string_view s, size_t at, uint32_t& out) {
    if (at + 4 > s.size()) return false;
    uint32_t v = 0;
    for (size_t i = at; i < at + 4; ++i) {
        char c = s[i];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= static_cast<uint32_t>(c - '0');
        else if (c >= 'a' && c <= 'f') v |= static_cast<uint32_t>(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= static_cast<uint32_t>(c - 'A' + 10);
        else return false;
    }
    out = v;
    return true;
}

bool is_identifier_start(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
}

// A short, single-line excerpt of source text for messages.
std::string excerpt(std::string_view s) {
    size_t eol = s.find_first_of("\r\n");
    if (eol != std::string_view::npos) s = s.substr(0, eol);
    if (s.size() > 24) return std::string(s.substr(0, 24)) + "...";
    return std::string(s);
}

enum class StringProblem { LineBreak, ControlCharacter, LoneBackslash, ShortUnicodeEscape, UnknownEscape };

// Decodes the body of a JSON string (the text between its quotes) to UTF-8. Problems go to
// `on_problem(kind, begin, end)` with byte offsets into `body`; the text is kept verbatim there.
// One decoder serves both parsing paths, so they cannot disagree on a string's value.
template <class OnProblem>
std::string decode_string_body(std::string_view body, OnProblem&& on_problem) {
    std::string out;
    out.reserve(body.size());
    size_t i = 0;
    while (i < body.size()) {
        // Copy the plain run in one go: most strings have no escapes at all.
        size_t run = i;
        while (run < body.size() && body[run] != '\\' && static_cast<unsigned char>(body[run]) >= 0x20) ++run;
        out.append(body.substr(i, run - i));
        i = run;
        if (i >= body.size()) break;

        char c = body[i];
        if (c != '\\') {
            on_problem(c == '\n' || c == '\r' ? StringProblem::LineBreak : StringProblem::ControlCharacter, i, i + 1);
            out += c;
            ++i;
            continue;
        }
        if (i + 1 >= body.size()) {
            on_problem(StringProblem::LoneBackslash, i, i + 1);
            out += '\\';
            ++i;
            continue;
        }
        char e = body[i + 1];
        const char* simple = nullptr;
        switch (e) {
            case '"': simple = "\""; break;
            case '\\': simple = "\\"; break;
            case '/': simple = "/"; break;
            case 'b': simple = "\b"; break;
            case 'f': simple = "\f"; break;
            case 'n': simple = "\n"; break;
            case 'r': simple = "\r"; break;
            case 't': simple = "\t"; break;
            default: break;
        }
        if (simple) {
            out += *simple;
            i += 2;
            continue;
        }
        if (e == 'u') {
            uint32_t cp = 0;
            if (!read_hex4(body, i + 2, cp)) {
                on_problem(StringProblem::ShortUnicodeEscape, i, std::min(body.size(), i + 6));
                out.append(body.substr(i, 2));
                i += 2;
                continue;
            }
            i += 6;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                uint32_t low = 0;
                if (i + 1 < body.size() && body[i] == '\\' && body[i + 1] == 'u' && read_hex4(body, i + 2, low) &&
                    low >= 0xDC00 && low <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    i += 6;
                } else {
                    cp = 0xFFFD;  // a lone surrogate has no UTF-8 form
                }
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                cp = 0xFFFD;
            }
            append_utf8(out, cp);
            continue;
        }
        // Include a whole UTF-8 sequence after the backslash in the range.
        size_t len = 1;
        unsigned char lead = static_cast<unsigned char>(e);
        if ((lead >> 5) == 0x6) len = 2;
        else if ((lead >> 4) == 0xE) len = 3;
        else if ((lead >> 3) == 0x1E) len = 4;
        len = std::min(len, body.size() - i - 1);
        on_problem(StringProblem::UnknownEscape, i, i + 1 + len);
        out.append(body.substr(i, 1 + len));
        i += 1 + len;
    }
    return out;
}

// The pieces the recovery parser works on: tree-sitter's error-free values whole, and every
// other token on its own.
enum class AtomKind {
    Value,        // an error-free value node (or any string node)
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

class Builder {
public:
    Builder(const SourceText& text, std::vector<Diagnostic>& diagnostics)
        : text_(text), src_(text.text()), diagnostics_(diagnostics), sym_(Symbols::get()) {}
    ~Builder() {
        if (cursor_ready_) ts_tree_cursor_delete(&cursor_);
    }
    Builder(const Builder&) = delete;
    Builder& operator=(const Builder&) = delete;

    // The fast path: a strict JSON-with-comments reader for documents without a single flaw,
    // which is what an editor sees most of the time. tree-sitter-json runs at ~10 MB/s, too slow
    // for a large config on every keystroke; this reader is several times faster. It gives up
    // (nullopt, no diagnostics) at the first irregularity, and the document then goes through
    // tree-sitter, which reports and recovers. Both paths build identical trees (tested).
    std::optional<Value> read_clean() {
        size_t mark = diagnostics_.size();
        p_ = 0;
        line_ = 0;
        line_start_ = 0;
        if (src_.substr(0, 3) == "\xEF\xBB\xBF") p_ = 3;  // byte order mark
        Value root;
        bool ok = skip_space() && p_ < src_.size() && read_value(root, 0) && skip_space() && p_ == src_.size();
        if (ok) return root;
        diagnostics_.resize(mark);  // e.g. duplicate keys found before giving up: reported again later
        return std::nullopt;
    }

    std::optional<Value> build(TSNode root) {
        start_cursor(root);
        if (!ts_node_has_error(root)) return build_clean_document();
        flatten();
        return parse_document();
    }

private:
    // ---- shared helpers ----

    void start_cursor(TSNode node) {
        if (cursor_ready_) {
            ts_tree_cursor_reset(&cursor_, node);
        } else {
            cursor_ = ts_tree_cursor_new(node);
            cursor_ready_ = true;
        }
    }

    Range range_of(TSNode node) const {
        TSPoint s = ts_node_start_point(node);
        TSPoint e = ts_node_end_point(node);
        return {text_.from_bytes(s.row, s.column), text_.from_bytes(e.row, e.column)};
    }

    Range byte_range(size_t start, size_t end) const {
        return {text_.position_at(start), text_.position_at(end)};
    }

    std::string_view text_of(uint32_t start, uint32_t end) const {
        if (start > src_.size()) return {};
        return src_.substr(start, std::min<size_t>(end, src_.size()) - start);
    }

    void report(const char* code, Severity severity, Range range, std::string message,
                std::optional<Fix> fix = std::nullopt) {
        Diagnostic d;
        d.code = code;
        d.severity = severity;
        d.range = range;
        d.message = std::move(message);
        d.fix = std::move(fix);
        diagnostics_.push_back(std::move(d));
    }

    void syntax_error(Range range, std::string message) {
        report(kJsonSyntax, Severity::Error, range, std::move(message));
    }

    void too_deep(Range range) {
        if (reported_depth_) return;
        reported_depth_ = true;
        syntax_error(range, "The JSON is nested more than " + std::to_string(kMaxDepth) +
                                " levels deep; the deeper part is ignored");
    }

    Value placeholder(Range range, uint32_t start, uint32_t end) const {
        Value v;
        v.kind = Kind::Invalid;
        v.range = range;
        v.start_byte = start;
        v.end_byte = end;
        return v;
    }

    // Decodes a string body (between the quotes), reporting bad escapes and raw control
    // characters at their exact place. `body_offset` is the body's byte offset in the source.
    std::string decode(std::string_view body, size_t body_offset, uint32_t string_start) {
        bool reported_line_break = false;
        return decode_string_body(body, [&](StringProblem problem, size_t begin, size_t end) {
            size_t at = body_offset + begin;
            switch (problem) {
                case StringProblem::LineBreak:
                    if (reported_line_break) return;
                    reported_line_break = true;
                    syntax_error(byte_range(string_start, at),
                                 "A string cannot continue on the next line: close it with '\"' "
                                 "or write the line break as \\n");
                    return;
                case StringProblem::ControlCharacter: {
                    char hex[8];
                    snprintf(hex, sizeof hex, "%04X", static_cast<unsigned>(static_cast<unsigned char>(body[begin])));
                    syntax_error(byte_range(at, body_offset + end),
                                 std::string("Control character U+") + hex +
                                     " must be escaped inside a string (e.g. \\t or \\u" + hex + ")");
                    return;
                }
                case StringProblem::LoneBackslash:
                    syntax_error(byte_range(at, body_offset + end),
                                 "A backslash must start an escape sequence such as \\\\ or \\n");
                    return;
                case StringProblem::ShortUnicodeEscape:
                    syntax_error(byte_range(at, body_offset + end),
                                 "\\u must be followed by exactly four hexadecimal digits");
                    return;
                case StringProblem::UnknownEscape:
                    syntax_error(byte_range(at, body_offset + end),
                                 "Invalid escape sequence '" + std::string(body.substr(begin, end - begin)) +
                                     "': use one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX");
                    return;
            }
        });
    }

    void fill_span(Value& v, TSNode node) const {
        v.range = range_of(node);
        v.start_byte = ts_node_start_byte(node);
        v.end_byte = ts_node_end_byte(node);
    }

    Value convert_string(TSNode node) {
        Value v;
        fill_span(v, node);
        v.kind = Kind::String;
        std::string_view raw = text_of(v.start_byte, v.end_byte);
        // A string node from a broken document may lack its closing quote.
        bool closed = raw.size() >= 2 && raw.back() == '"';
        if (closed && ts_node_has_error(node)) {
            uint32_t n = ts_node_child_count(node);
            if (n > 0 && ts_node_is_missing(ts_node_child(node, n - 1))) closed = false;
        }
        std::string_view body = raw.empty() ? raw : raw.substr(1, raw.size() - (closed ? 2 : 1));
        v.string = decode(body, v.start_byte + 1, v.start_byte);
        if (!closed) {
            syntax_error(v.range, "String is not closed: add '\"' at its end");
            suppress_unclosed_ = true;
        }
        return v;
    }

    Value convert_number(TSNode node) {
        Value v;
        fill_span(v, node);
        v.kind = Kind::Number;
        std::string_view raw = text_of(v.start_byte, v.end_byte);
        set_number(v, raw);
        return v;
    }

    void set_number(Value& v, std::string_view raw) {
        const char* first = raw.data();
        const char* last = raw.data() + raw.size();
        auto [ptr, ec] = std::from_chars(first, last, v.number);
        if (ec == std::errc::result_out_of_range) {
            // Beyond a double's reach: keep the nearest thing a double can hold.
            bool tiny = raw.find("e-") != std::string_view::npos || raw.find("E-") != std::string_view::npos;
            double inf = std::numeric_limits<double>::infinity();
            v.number = tiny ? 0.0 : (raw.front() == '-' ? -inf : inf);
            return;
        }
        // tree-sitter-json accepts "1." which JSON does not.
        bool dangling_point = raw.find('.') != std::string_view::npos &&
                              (raw.back() == '.' || raw.find(".e") != std::string_view::npos ||
                               raw.find(".E") != std::string_view::npos);
        if (ec != std::errc() || ptr != last || dangling_point) {
            syntax_error(v.range, "Invalid number '" + excerpt(raw) + "': a digit must follow '.'");
        }
    }

    // ---- the fast path: a subtree tree-sitter parsed without errors ----

    // Converts the node under the cursor and leaves the cursor where it found it.
    Value convert_at_cursor(int depth) {
        TSNode node = ts_tree_cursor_current_node(&cursor_);
        TSSymbol sym = ts_node_symbol(node);
        if (depth > kMaxDepth) {
            too_deep(range_of(node));
            Value v;
            fill_span(v, node);
            return v;
        }
        if (sym == sym_.string) return convert_string(node);
        if (sym == sym_.number) return convert_number(node);
        Value v;
        fill_span(v, node);
        if (sym == sym_.true_ || sym == sym_.false_) {
            v.kind = Kind::Boolean;
            v.boolean = sym == sym_.true_;
        } else if (sym == sym_.null) {
            v.kind = Kind::Null;
        } else if (sym == sym_.array) {
            v.kind = Kind::Array;
            if (ts_tree_cursor_goto_first_child(&cursor_)) {
                do {
                    TSNode child = ts_tree_cursor_current_node(&cursor_);
                    if (sym_.is_value(ts_node_symbol(child)) && !ts_node_is_extra(child))
                        v.items.push_back(convert_at_cursor(depth + 1));
                } while (ts_tree_cursor_goto_next_sibling(&cursor_));
                ts_tree_cursor_goto_parent(&cursor_);
            }
        } else if (sym == sym_.object) {
            v.kind = Kind::Object;
            if (ts_tree_cursor_goto_first_child(&cursor_)) {
                do {
                    TSNode child = ts_tree_cursor_current_node(&cursor_);
                    if (ts_node_symbol(child) == sym_.pair) v.members.push_back(convert_pair_at_cursor(depth + 1));
                } while (ts_tree_cursor_goto_next_sibling(&cursor_));
                ts_tree_cursor_goto_parent(&cursor_);
            }
            check_duplicates(v);
        }
        return v;
    }

    Member convert_pair_at_cursor(int depth) {
        Member m;
        bool have_key = false;
        if (ts_tree_cursor_goto_first_child(&cursor_)) {
            do {
                TSNode child = ts_tree_cursor_current_node(&cursor_);
                TSSymbol sym = ts_node_symbol(child);
                if (ts_node_is_extra(child) || !sym_.is_value(sym)) continue;
                if (!have_key) {
                    Value key = convert_string(child);
                    m.key = std::move(key.string);
                    m.key_range = key.range;
                    have_key = true;
                } else {
                    m.value = convert_at_cursor(depth);
                }
            } while (ts_tree_cursor_goto_next_sibling(&cursor_));
            ts_tree_cursor_goto_parent(&cursor_);
        }
        return m;
    }

    std::optional<Value> build_clean_document() {
        std::optional<Value> root;
        if (ts_tree_cursor_goto_first_child(&cursor_)) {
            do {
                TSNode child = ts_tree_cursor_current_node(&cursor_);
                if (ts_node_is_extra(child) || !sym_.is_value(ts_node_symbol(child))) continue;
                if (!root) {
                    root = convert_at_cursor(0);
                } else {
                    syntax_error(range_of(child), "Unexpected " + describe_value_node(child) +
                                                      ": a JSON document holds a single top-level value");
                    break;
                }
            } while (ts_tree_cursor_goto_next_sibling(&cursor_));
        }
        if (!root) report_empty();
        return root;
    }

    void report_empty() {
        syntax_error({{0, 0}, {0, 0}}, "The document is empty: expected a JSON value such as {}");
    }

    void check_duplicates(const Value& object) {
        const auto& members = object.members;
        if (members.size() < 2) return;
        auto report_duplicate = [&](size_t later, size_t earlier) {
            report(kDuplicateProperty, Severity::Warning, members[later].key_range,
                   "Property \"" + members[later].key + "\" is already defined on line " +
                       std::to_string(members[earlier].key_range.start.line + 1) +
                       "; this later value replaces it");
        };
        if (members.size() <= 16) {
            for (size_t i = 1; i < members.size(); ++i) {
                for (size_t j = 0; j < i; ++j) {
                    if (members[i].key == members[j].key) {
                        report_duplicate(i, j);
                        break;
                    }
                }
            }
            return;
        }
        std::unordered_map<std::string_view, size_t> first_seen;
        first_seen.reserve(members.size());
        for (size_t i = 0; i < members.size(); ++i) {
            auto [it, inserted] = first_seen.emplace(members[i].key, i);
            if (!inserted) report_duplicate(i, it->second);
        }
    }

    std::string describe_value_node(TSNode node) const {
        TSSymbol sym = ts_node_symbol(node);
        std::string_view raw = text_of(ts_node_start_byte(node), ts_node_end_byte(node));
        if (sym == sym_.object) return "object";
        if (sym == sym_.array) return "array";
        if (sym == sym_.string) return "string " + excerpt(raw);
        return "'" + excerpt(raw) + "'";
    }

    // ---- the fast path's reader ----

    Position here() const { return text_.from_bytes(line_, p_ - line_start_); }

    bool skip_space() {
        while (p_ < src_.size()) {
            char c = src_[p_];
            if (c == ' ' || c == '\t' || c == '\r') {
                ++p_;
            } else if (c == '\n') {
                ++p_;
                ++line_;
                line_start_ = p_;
            } else if (c == '/' && p_ + 1 < src_.size() && src_[p_ + 1] == '/') {
                size_t eol = src_.find('\n', p_);
                p_ = eol == std::string_view::npos ? src_.size() : eol;
            } else if (c == '/' && p_ + 1 < src_.size() && src_[p_ + 1] == '*') {
                size_t close = src_.find("*/", p_ + 2);
                if (close == std::string_view::npos) return false;
                for (size_t i = p_; i < close; ++i) {
                    if (src_[i] == '\n') {
                        ++line_;
                        line_start_ = i + 1;
                    }
                }
                p_ = close + 2;
            } else {
                return true;
            }
        }
        return true;
    }

    bool read_value(Value& v, int depth) {
        if (p_ >= src_.size() || depth > kMaxDepth) return false;
        v.start_byte = static_cast<uint32_t>(p_);
        v.range.start = here();
        char c = src_[p_];
        bool ok = false;
        if (c == '{') {
            ok = read_object(v, depth);
        } else if (c == '[') {
            ok = read_array(v, depth);
        } else if (c == '"') {
            v.kind = Kind::String;
            ok = read_string(v.string);
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            ok = read_number(v);
        } else if (c == 't' || c == 'f') {
            v.kind = Kind::Boolean;
            v.boolean = c == 't';
            ok = read_word(v.boolean ? "true" : "false");
        } else if (c == 'n') {
            v.kind = Kind::Null;
            ok = read_word("null");
        }
        if (!ok) return false;
        v.end_byte = static_cast<uint32_t>(p_);
        v.range.end = here();
        return true;
    }

    bool read_word(std::string_view word) {
        if (src_.substr(p_, word.size()) != word) return false;
        p_ += word.size();
        return p_ >= src_.size() || !is_identifier_start(src_[p_]);
    }

    // Strings never span lines here: a raw line break makes the reader give up.
    bool read_string(std::string& out) {
        size_t open = p_++;
        while (p_ < src_.size() && src_[p_] != '"') {
            if (src_[p_] == '\\') ++p_;
            ++p_;
        }
        if (p_ >= src_.size()) return false;
        bool clean = true;
        out = decode_string_body(src_.substr(open + 1, p_ - open - 1),
                                 [&clean](StringProblem, size_t, size_t) { clean = false; });
        ++p_;
        return clean;
    }

    // -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? and nothing else.
    bool read_number(Value& v) {
        size_t start = p_;
        auto digits = [this] {
            size_t from = p_;
            while (p_ < src_.size() && src_[p_] >= '0' && src_[p_] <= '9') ++p_;
            return p_ > from;
        };
        if (src_[p_] == '-') ++p_;
        if (p_ < src_.size() && src_[p_] == '0') ++p_;
        else if (!digits()) return false;
        if (p_ < src_.size() && src_[p_] == '.') {
            ++p_;
            if (!digits()) return false;
        }
        if (p_ < src_.size() && (src_[p_] == 'e' || src_[p_] == 'E')) {
            ++p_;
            if (p_ < src_.size() && (src_[p_] == '+' || src_[p_] == '-')) ++p_;
            if (!digits()) return false;
        }
        if (p_ < src_.size() && (is_identifier_start(src_[p_]) || src_[p_] == '.' || (src_[p_] >= '0' && src_[p_] <= '9')))
            return false;  // "01", "1.2.3", "1x"
        v.kind = Kind::Number;
        std::string_view raw = src_.substr(start, p_ - start);
        if (raw.find('+') == std::string_view::npos) {
            set_number(v, raw);
        } else {
            std::string unsigned_exponent(raw);
            unsigned_exponent.erase(unsigned_exponent.find('+'), 1);
            set_number(v, unsigned_exponent);
        }
        return true;
    }

    bool read_object(Value& v, int depth) {
        v.kind = Kind::Object;
        ++p_;
        if (!skip_space() || p_ >= src_.size()) return false;
        if (src_[p_] == '}') {
            ++p_;
            return true;
        }
        for (;;) {
            if (p_ >= src_.size() || src_[p_] != '"') return false;  // also a trailing comma
            Member& m = v.members.emplace_back();
            m.key_range.start = here();
            if (!read_string(m.key)) return false;
            m.key_range.end = here();
            if (!skip_space() || p_ >= src_.size() || src_[p_] != ':') return false;
            ++p_;
            if (!skip_space() || !read_value(m.value, depth + 1) || !skip_space() || p_ >= src_.size()) return false;
            if (src_[p_] == '}') {
                ++p_;
                check_duplicates(v);
                return true;
            }
            if (src_[p_] != ',') return false;
            ++p_;
            if (!skip_space()) return false;
        }
    }

    bool read_array(Value& v, int depth) {
        v.kind = Kind::Array;
        ++p_;
        if (!skip_space() || p_ >= src_.size()) return false;
        if (src_[p_] == ']') {
            ++p_;
            return true;
        }
        for (;;) {
            if (!read_value(v.items.emplace_back(), depth + 1) || !skip_space() || p_ >= src_.size()) return false;
            if (src_[p_] == ']') {
                ++p_;
                return true;
            }
            if (src_[p_] != ',') return false;
            ++p_;
            if (!skip_space()) return false;
        }
    }

    // ---- the recovery path: a document with syntax errors ----

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
            case AtomKind::Value: return describe_value_node(a.node);
            case AtomKind::OpenBrace: return "'{'";
            case AtomKind::CloseBrace: return "'}'";
            case AtomKind::OpenBracket: return "'['";
            case AtomKind::CloseBracket: return "']'";
            case AtomKind::Comma: return "','";
            case AtomKind::Colon: return "':'";
            case AtomKind::Quote: return "'\"'";
            case AtomKind::StringPiece:
            case AtomKind::Invalid: return "'" + excerpt(text_of(a.start, a.end)) + "'";
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
            if (extra.kind == AtomKind::Invalid && text_of(extra.start, extra.end).substr(0, 2) == "/*") {
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
            case AtomKind::Quote: return parse_unclosed_string();
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
                syntax_error(where_expected(), "Expected a value" + for_key() + ", found " + describe_atom(a));
                return placeholder_here();
        }
    }

    // tree-sitter-json has no '+' in exponents ("1e+5"), which JSON allows: glue the pieces.
    void merge_signed_exponent(Value& v) {
        if (pos_ + 1 >= atoms_.size()) return;
        const Atom& sign = atoms_[pos_];
        const Atom& digits = atoms_[pos_ + 1];
        std::string_view sign_text = text_of(sign.start, sign.end);
        if (sign.kind != AtomKind::Invalid || sign.start != v.end_byte || digits.start != sign.end) return;
        if (sign_text != "e+" && sign_text != "E+") return;
        if (digits.kind != AtomKind::Value || ts_node_symbol(digits.node) != sym_.number) return;
        std::string_view exponent = text_of(digits.start, digits.end);
        if (exponent.empty() || exponent.find_first_not_of("0123456789") != std::string_view::npos) return;
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
            syntax_error(range, as_key ? "Property names must be in double quotes, not single quotes"
                                       : "Strings must be in double quotes, not single quotes");
            return;
        }
        if (!raw.empty() && is_identifier_start(raw[0])) {
            std::string word = excerpt(raw);
            if (as_key) {
                syntax_error(range, "Property names must be in double quotes: write \"" + word + "\"");
                return;
            }
            std::string lower;
            for (char c : word) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
            if (lower == "true" || lower == "false" || lower == "null") {
                syntax_error(range, "Unknown value '" + word + "': JSON literals are lowercase, write " + lower);
                return;
            }
            syntax_error(range, "Unknown value '" + word +
                                    "': expected a string, number, object, array, true, false or null");
            return;
        }
        if (!raw.empty() && (raw[0] == '+' || raw[0] == '.' || raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9'))) {
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
        report(kTrailingComma, Severity::Error, range, "Trailing comma is not allowed: remove it",
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

    Value parse_object(int depth) {
        const Atom& open = take();
        Value object;
        object.kind = Kind::Object;
        object.start_byte = open.start;
        object.range.start = atom_range(open).start;
        enum class State { AfterOpen, AfterMember, AfterComma } state = State::AfterOpen;
        const Atom* last_comma = nullptr;
        bool closed = false;
        open_stack_.push_back(AtomKind::CloseBrace);
        while (!closed) {
            if (at_end()) {
                // Only the innermost unclosed container is reported: the rest follow from it.
                if (!suppress_unclosed_)
                    syntax_error(where_expected(), "Expected '}' to close the object that starts on line " +
                                                       std::to_string(object.range.start.line + 1));
                suppress_unclosed_ = true;
                break;
            }
            const Atom& a = peek();
            switch (a.kind) {
                case AtomKind::CloseBrace:
                    if (state == State::AfterComma && last_comma) trailing_comma(*last_comma);
                    take();
                    closed = true;
                    break;
                case AtomKind::CloseBracket:
                    if (outer_expects(AtomKind::CloseBracket)) {
                        syntax_error(atom_range(a), "Expected '}' to close the object that starts on line " +
                                                        std::to_string(object.range.start.line + 1) +
                                                        ", found ']'");
                        closed = true;  // leave the ']' to the array it belongs to
                    } else {
                        // Nothing outside wants it: most likely a typo for '}'.
                        syntax_error(atom_range(a), "Expected '}' to close the object that starts on line " +
                                                        std::to_string(object.range.start.line + 1) +
                                                        ", found ']'");
                        take();
                        closed = true;
                    }
                    break;
                case AtomKind::Comma:
                    if (state == State::AfterMember) {
                        last_comma = &a;
                        state = State::AfterComma;
                    } else {
                        syntax_error(atom_range(a), state == State::AfterOpen
                                                        ? "Unexpected ',': expected a property or '}'"
                                                        : "Unexpected ',': two commas in a row");
                    }
                    take();
                    break;
                case AtomKind::Colon:
                    syntax_error(atom_range(a), "Unexpected ':': expected a property name in double quotes");
                    take();
                    break;
                default: {
                    if (state == State::AfterMember) {
                        report(kJsonSyntax, Severity::Error, where_expected(),
                               "Expected ',' between properties", insert_comma_fix());
                    }
                    if (is_string_atom(a) || a.kind == AtomKind::Invalid || a.kind == AtomKind::Quote) {
                        if (auto member = parse_member(depth)) object.members.push_back(std::move(*member));
                    } else {
                        syntax_error(atom_range(a), "Expected a property name in double quotes, found " +
                                                        describe_atom(a));
                        parse_value(depth + 1, nullptr);  // skip it whole
                    }
                    state = State::AfterMember;
                    break;
                }
            }
        }
        open_stack_.pop_back();
        object.end_byte = last_end_;
        object.range.end = last_end_pos_;
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
        bool value_follows = !at_end() && atom_range(peek()).start.line == m.key_range.end.line &&
                             (peek().kind == AtomKind::OpenBrace || peek().kind == AtomKind::OpenBracket ||
                              (peek().kind == AtomKind::Value && !is_string_atom(peek())));
        m.value = value_follows ? parse_value(depth + 1, &m.key) : placeholder_here();
        return m;
    }

    Value parse_array(int depth) {
        const Atom& open = take();
        Value array;
        array.kind = Kind::Array;
        array.start_byte = open.start;
        array.range.start = atom_range(open).start;
        enum class State { AfterOpen, AfterItem, AfterComma } state = State::AfterOpen;
        const Atom* last_comma = nullptr;
        bool closed = false;
        open_stack_.push_back(AtomKind::CloseBracket);
        while (!closed) {
            if (at_end()) {
                // Only the innermost unclosed container is reported: the rest follow from it.
                if (!suppress_unclosed_)
                    syntax_error(where_expected(), "Expected ']' to close the array that starts on line " +
                                                       std::to_string(array.range.start.line + 1));
                suppress_unclosed_ = true;
                break;
            }
            const Atom& a = peek();
            switch (a.kind) {
                case AtomKind::CloseBracket:
                    if (state == State::AfterComma && last_comma) trailing_comma(*last_comma);
                    take();
                    closed = true;
                    break;
                case AtomKind::CloseBrace:
                    if (outer_expects(AtomKind::CloseBrace)) {
                        syntax_error(atom_range(a), "Expected ']' to close the array that starts on line " +
                                                        std::to_string(array.range.start.line + 1) +
                                                        ", found '}'");
                        closed = true;
                    } else {
                        syntax_error(atom_range(a), "Expected ']' to close the array that starts on line " +
                                                        std::to_string(array.range.start.line + 1) +
                                                        ", found '}'");
                        take();
                        closed = true;
                    }
                    break;
                case AtomKind::Comma:
                    if (state == State::AfterItem) {
                        last_comma = &a;
                        state = State::AfterComma;
                    } else {
                        syntax_error(atom_range(a), state == State::AfterOpen
                                                        ? "Unexpected ',': expected a value or ']'"
                                                        : "Unexpected ',': two commas in a row");
                    }
                    take();
                    break;
                case AtomKind::Colon:
                    syntax_error(atom_range(a), "Unexpected ':': arrays hold values, not properties");
                    take();
                    break;
                default:
                    if (state == State::AfterItem) {
                        report(kJsonSyntax, Severity::Error, where_expected(),
                               "Expected ',' between array elements", insert_comma_fix());
                    }
                    array.items.push_back(parse_value(depth + 1, nullptr));
                    state = State::AfterItem;
                    break;
            }
        }
        open_stack_.pop_back();
        array.end_byte = last_end_;
        array.range.end = last_end_pos_;
        return array;
    }

    const SourceText& text_;
    std::string_view src_;
    std::vector<Diagnostic>& diagnostics_;
    const Symbols& sym_;
    TSTreeCursor cursor_{};
    bool cursor_ready_ = false;
    bool reported_depth_ = false;
    bool suppress_unclosed_ = false;

    std::vector<Atom> atoms_;
    size_t pos_ = 0;
    uint32_t last_end_ = 0;
    Position last_end_pos_{};
    std::vector<AtomKind> open_stack_;

    // The fast path's reading position.
    size_t p_ = 0;
    uint32_t line_ = 0;
    size_t line_start_ = 0;
};

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
    {
        Document doc;
        Builder builder(text, doc.diagnostics);
        if (auto root = builder.read_clean()) {
            doc.root = std::move(root);
            return doc;
        }
    }
    return parse_with_tree_sitter(text);
}

Document parse_with_tree_sitter(const SourceText& text) {
    Document doc;
    const std::string& src = text.text();
    if (src.size() > std::numeric_limits<uint32_t>::max()) {
        doc.diagnostics.push_back({kJsonSyntax, Severity::Error, {}, "The document is too large to parse", "", {}});
        return doc;
    }
    if (max_bracket_depth(src) > kMaxBracketDepth) {
        doc.diagnostics.push_back({kJsonSyntax, Severity::Error, {}, "The document nests brackets more than " +
                                   std::to_string(kMaxBracketDepth) + " levels deep and is not parsed", "", {}});
        return doc;
    }
    TSParser* parser = thread_parser();
    std::unique_ptr<TSTree, TreeDeleter> tree(
        ts_parser_parse_string(parser, nullptr, src.data(), static_cast<uint32_t>(src.size())));
    if (!tree) {
        ts_parser_reset(parser);
        doc.diagnostics.push_back({kJsonSyntax, Severity::Error, {}, "The document could not be parsed", "", {}});
        return doc;
    }
    Builder builder(text, doc.diagnostics);
    doc.root = builder.build(ts_tree_root_node(tree.get()));
    return doc;
}

}  // namespace envbuilder::jsonc
