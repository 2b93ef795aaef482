#include "syntax/jsonc_tree.h"

namespace envbuilder::jsonc::detail {

TreeReader::~TreeReader() {
    if (cursor_ready_) ts_tree_cursor_delete(&cursor_);
}

void TreeReader::start_cursor(TSNode node) {
    if (cursor_ready_) {
        ts_tree_cursor_reset(&cursor_, node);
    } else {
        cursor_ = ts_tree_cursor_new(node);
        cursor_ready_ = true;
    }
}

Range TreeReader::range_of(TSNode node) const {
    TSPoint s = ts_node_start_point(node);
    TSPoint e = ts_node_end_point(node);
    return {text_.from_bytes(s.row, s.column), text_.from_bytes(e.row, e.column)};
}

void TreeReader::fill_span(Value& v, TSNode node) const {
    v.range = range_of(node);
    v.start_byte = ts_node_start_byte(node);
    v.end_byte = ts_node_end_byte(node);
}

Value TreeReader::convert_string(TSNode node) {
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

Value TreeReader::convert_number(TSNode node) {
    Value v;
    fill_span(v, node);
    v.kind = Kind::Number;
    std::string_view raw = text_of(v.start_byte, v.end_byte);
    set_number(v, raw);
    return v;
}

Value TreeReader::convert_at_cursor(int depth) {
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
                if (ts_node_symbol(child) == sym_.pair)
                    v.members.push_back(convert_pair_at_cursor(depth + 1));
            } while (ts_tree_cursor_goto_next_sibling(&cursor_));
            ts_tree_cursor_goto_parent(&cursor_);
        }
        check_duplicates(v);
    }
    return v;
}

Member TreeReader::convert_pair_at_cursor(int depth) {
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

std::optional<Value> TreeReader::read_flawless_tree(TSNode document) {
    start_cursor(document);
    std::optional<Value> root;
    if (ts_tree_cursor_goto_first_child(&cursor_)) {
        do {
            TSNode child = ts_tree_cursor_current_node(&cursor_);
            if (ts_node_is_extra(child) || !sym_.is_value(ts_node_symbol(child))) continue;
            if (!root) {
                root = convert_at_cursor(0);
            } else {
                syntax_error(range_of(child),
                             "Unexpected " + describe_value_node(child) +
                                 ": a JSON document holds a single top-level value");
                break;
            }
        } while (ts_tree_cursor_goto_next_sibling(&cursor_));
    }
    if (!root) report_empty();
    return root;
}

std::string TreeReader::describe_value_node(TSNode node) const {
    TSSymbol sym = ts_node_symbol(node);
    std::string_view raw = text_of(ts_node_start_byte(node), ts_node_end_byte(node));
    if (sym == sym_.object) return "object";
    if (sym == sym_.array) return "array";
    if (sym == sym_.string) return "string " + excerpt(raw);
    return "'" + excerpt(raw) + "'";
}

}  // namespace envbuilder::jsonc::detail
