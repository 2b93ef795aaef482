#include "syntax/expansion.h"

#include <fnmatch.h>

#include <cctype>

namespace envbuilder::dockerfile {

namespace {

bool is_name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

bool glob_match(const std::string& pattern, const std::string& s) {
    return fnmatch(pattern.c_str(), s.c_str(), 0) == 0;
}

// Removes the shortest/longest prefix or suffix of `value` that matches the glob `pattern`.
std::string trim_pattern(const std::string& value, const std::string& pattern, bool prefix,
                         bool longest) {
    const size_t n = value.size();
    for (size_t k = 0; k <= n; ++k) {
        size_t len = longest ? n - k : k;
        std::string part = prefix ? value.substr(0, len) : value.substr(n - len);
        if (glob_match(pattern, part)) return prefix ? value.substr(len) : value.substr(0, n - len);
    }
    return value;
}

// ${V/p/r}: replaces the first (or every) longest match of the glob.
std::string replace_pattern(const std::string& value, const std::string& pattern,
                            const std::string& replacement, bool all) {
    if (pattern.empty()) return value;
    std::string out;
    size_t i = 0;
    bool replaced = false;
    while (i < value.size()) {
        if (!(replaced && !all)) {
            size_t match = 0;
            for (size_t len = value.size() - i; len > 0; --len) {
                if (glob_match(pattern, value.substr(i, len))) {
                    match = len;
                    break;
                }
            }
            if (match > 0) {
                out += replacement;
                i += match;
                replaced = true;
                continue;
            }
        }
        out.push_back(value[i++]);
    }
    return out;
}

// Collects the output both as one string and as shell words. A discarding Output (reference scans)
// keeps nothing, so a scan costs no allocations.
class Output {
public:
    explicit Output(bool keep = true) : keep_(keep) {}
    void raw(char c) {  // quoted or escaped: never splits
        if (!keep_) return;
        value_.push_back(c);
        word_.push_back(c);
        in_word_ = true;
    }
    void raw(const std::string& s) {
        if (!keep_) return;
        value_ += s;
        word_ += s;
        in_word_ = true;
    }
    void unquoted(char c) {  // subject to splitting
        if (!keep_) return;
        value_.push_back(c);
        if (is_space(c)) {
            flush();
        } else {
            word_.push_back(c);
            in_word_ = true;
        }
    }
    void unquoted(const std::string& s) {
        if (!keep_) return;
        for (char c : s) unquoted(c);
    }
    void mark_word() { in_word_ = true; }  // "" still makes a word
    bool keeps() const { return keep_; }
    void flush() {
        if (!keep_) return;
        if (in_word_) words_.push_back(std::move(word_));
        word_.clear();
        in_word_ = false;
    }
    std::string value_;
    std::vector<std::string> words_;

private:
    bool keep_;
    std::string word_;
    bool in_word_ = false;
};

class Expander {
public:
    Expander(std::string_view text, const VariableLookup* lookup, char escape, ReferenceScan* scan)
        : t_(text), lookup_(lookup), escape_(escape), scan_(scan) {}

    Expansion run() {
        Expansion result;
        Output out(/*keep=*/scan_ == nullptr);
        process(out, '\0', /*quoted=*/false);
        out.flush();
        result.value = std::move(out.value_);
        result.words = std::move(out.words_);
        result.unset = std::move(unset_);
        result.error = std::move(error_);
        return result;
    }

    // Processes until `stop` (used for ${...} words) or the end; returns false on error.
    void process(Output& out, char stop, bool in_braces) {
        while (i_ < t_.size() && !error_) {
            char c = t_[i_];
            if (stop && c == stop) return;
            if (c == escape_) {
                ++i_;
                if (i_ < t_.size()) out.raw(t_[i_++]);
                continue;
            }
            if (c == '\'' && !in_braces) {
                single_quote(out);
                continue;
            }
            if (c == '"' && !in_braces) {
                double_quote(out);
                continue;
            }
            if (c == '$') {
                dollar(out, /*quoted=*/false);
                continue;
            }
            out.unquoted(c);
            ++i_;
        }
    }

private:
    std::string_view t_;
    const VariableLookup* lookup_;
    char escape_;
    ReferenceScan* scan_;
    size_t i_ = 0;
    std::vector<std::string> unset_;
    std::optional<ExpansionError> error_;

    void fail(std::string message, size_t begin, size_t end) {
        if (!error_) error_ = ExpansionError{std::move(message), begin, end};
        if (scan_) scan_->errors.push_back({error_->message, begin, end});
    }

    void single_quote(Output& out) {
        size_t open = i_++;
        out.mark_word();
        while (i_ < t_.size() && t_[i_] != '\'') out.raw(t_[i_++]);
        if (i_ >= t_.size()) {
            fail("unterminated single quote", open, t_.size());
            return;
        }
        ++i_;
    }

    void double_quote(Output& out) {
        size_t open = i_++;
        out.mark_word();
        while (i_ < t_.size() && t_[i_] != '"' && !error_) {
            char c = t_[i_];
            if (c == escape_) {
                char next = i_ + 1 < t_.size() ? t_[i_ + 1] : '\0';
                if (next == '"' || next == '$' || next == escape_) {
                    out.raw(next);
                    i_ += 2;
                    continue;
                }
                out.raw(c);
                ++i_;
                continue;
            }
            if (c == '$') {
                dollar(out, /*quoted=*/true);
                continue;
            }
            out.raw(c);
            ++i_;
        }
        if (error_) return;
        if (i_ >= t_.size()) {
            fail("unterminated double quote", open, t_.size());
            return;
        }
        ++i_;
    }

    const std::string* lookup(const std::string& name) {
        return lookup_ ? (*lookup_)(name) : nullptr;
    }

    void emit(Output& out, const std::string& s, bool quoted) {
        if (quoted) out.raw(s);
        else out.unquoted(s);
    }

    // Reads the word after a modifier, up to the closing brace, expanding inside it.
    std::string modifier_word() {
        Output word(/*keep=*/scan_ == nullptr);
        process(word, '}', /*in_braces=*/true);
        return word.value_;
    }

    void dollar(Output& out, bool quoted) {
        size_t begin = i_++;
        if (i_ >= t_.size()) {
            emit(out, "$", quoted);
            return;
        }
        if (t_[i_] != '{') {
            if (!is_name_start(t_[i_]) && !std::isdigit(static_cast<unsigned char>(t_[i_]))) {
                emit(out, "$", quoted);
                return;
            }
            size_t name_begin = i_;
            if (std::isdigit(static_cast<unsigned char>(t_[i_]))) {
                ++i_;
            } else {
                while (i_ < t_.size() && is_name_char(t_[i_])) ++i_;
            }
            if (scan_) {
                record(std::string(t_.substr(name_begin, i_ - name_begin)), begin, i_, name_begin, i_, "", false);
                return;
            }
            std::string name(t_.substr(name_begin, i_ - name_begin));
            const std::string* v = lookup(name);
            if (!v) unset_.push_back(name);
            emit(out, v ? *v : std::string(), quoted);
            return;
        }
        ++i_;  // '{'
        size_t name_begin = i_;
        while (i_ < t_.size() && is_name_char(t_[i_])) ++i_;
        size_t name_end = i_;
        std::string name(t_.substr(name_begin, name_end - name_begin));
        if (i_ >= t_.size()) {
            fail("missing '}' to close '${'", begin, t_.size());
            return;
        }
        if (name.empty()) {
            fail("bad substitution: expected a variable name after '${'", begin, i_ + 1);
            return;
        }
        const std::string* v = lookup(name);
        char c = t_[i_];
        if (c == '}') {
            ++i_;
            record(name, begin, i_, name_begin, name_end, "", true);
            if (!v) unset_.push_back(name);
            emit(out, v ? *v : std::string(), quoted);
            return;
        }
        std::string modifier;
        if (c == ':') {
            char m = i_ + 1 < t_.size() ? t_[i_ + 1] : '\0';
            if (m != '-' && m != '+' && m != '?') {
                size_t mod_end = std::min(t_.size(), i_ + 2);
                skip_to_brace();
                record(name, begin, i_, name_begin, name_end, std::string(t_.substr(name_end, mod_end - name_end)), true);
                fail("unsupported modifier (" + std::string(t_.substr(name_end, mod_end - name_end)) +
                         ") in ${" + name + "}",
                     begin, i_);
                return;
            }
            modifier = std::string{':', m};
            i_ += 2;
        } else if (c == '-' || c == '+' || c == '?') {
            modifier = std::string(1, c);
            ++i_;
        } else if (c == '#' || c == '%' || c == '/') {
            modifier = std::string(1, c);
            ++i_;
            if (i_ < t_.size() && t_[i_] == c) {
                modifier.push_back(c);
                ++i_;
            }
        } else {
            skip_to_brace();
            record(name, begin, i_, name_begin, name_end, std::string(1, c), true);
            fail(std::string("unsupported modifier (") + c + ") in ${" + name + "}", begin, i_);
            return;
        }

        std::string word, replacement;
        if (modifier == "/" || modifier == "//") {
            Output pattern(/*keep=*/scan_ == nullptr);
            process(pattern, '/', true);
            word = pattern.value_;
            if (i_ < t_.size() && t_[i_] == '/') {
                ++i_;
                replacement = modifier_word();
            }
        } else {
            word = modifier_word();
        }
        if (error_) return;
        if (i_ >= t_.size()) {
            fail("missing '}' to close '${'", begin, t_.size());
            return;
        }
        ++i_;  // '}'
        record(name, begin, i_, name_begin, name_end, modifier, true);

        const bool set = v != nullptr;
        const bool nonempty = set && !v->empty();
        std::string value;
        if (modifier == ":-") value = nonempty ? *v : word;
        else if (modifier == "-") value = set ? *v : word;
        else if (modifier == ":+") value = nonempty ? word : "";
        else if (modifier == "+") value = set ? word : "";
        else if (modifier == ":?" || modifier == "?") {
            bool ok = modifier == "?" ? set : nonempty;
            if (!ok) {
                fail(name + ": " + (word.empty() ? std::string("is not set") : word), begin, i_);
                return;
            }
            value = *v;
        } else {
            if (!set) unset_.push_back(name);
            std::string base = set ? *v : "";
            if (modifier == "#" || modifier == "##")
                value = trim_pattern(base, word, true, modifier == "##");
            else if (modifier == "%" || modifier == "%%")
                value = trim_pattern(base, word, false, modifier == "%%");
            else
                value = replace_pattern(base, word, replacement, modifier == "//");
        }
        emit(out, value, quoted);
    }

    void skip_to_brace() {
        while (i_ < t_.size() && t_[i_] != '}') ++i_;
        if (i_ < t_.size()) ++i_;
    }

    void record(const std::string& name, size_t begin, size_t end, size_t name_begin, size_t name_end,
                std::string modifier, bool braced) {
        if (!scan_) return;
        scan_->references.push_back(
            {name, begin, end, name_begin, name_end, std::move(modifier), braced});
    }
};

}  // namespace

bool VariableReference::has_default() const {
    return modifier == ":-" || modifier == "-" || modifier == ":+" || modifier == "+" ||
           modifier == ":?" || modifier == "?";
}

Expansion expand(std::string_view text, const VariableLookup& lookup, char escape) {
    return Expander(text, &lookup, escape, nullptr).run();
}

ReferenceScan scan_variable_references(std::string_view text, char escape) {
    ReferenceScan scan;
    Expander(text, nullptr, escape, &scan).run();
    return scan;
}

}  // namespace envbuilder::dockerfile
