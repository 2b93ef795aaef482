#include "syntax/dockerfile_parser.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "syntax/json_array.h"
#include "syntax/logical_line.h"
#include "syntax/suggestions.h"

namespace envbuilder::dockerfile {

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

bool is_blank(std::string_view line) {
    return trim(line).empty();
}
bool is_comment(std::string_view line) {
    auto t = trim(line);
    return !t.empty() && t.front() == '#';
}

// Does the (physical) line end with the escape character, ignoring trailing blanks? If so, returns
// the length of the line without the escape character and what follows it.
std::optional<size_t> continuation_cut(std::string_view line, char escape) {
    size_t n = line.size();
    while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t')) --n;
    if (n == 0 || line[n - 1] != escape) return std::nullopt;
    return n - 1;
}

Diagnostic syntax_error(std::string code, Range range, std::string message) {
    Diagnostic d;
    d.code = std::move(code);
    d.severity = Severity::Error;
    d.range = range;
    d.message = std::move(message);
    return d;
}

// Instructions whose arguments may be a JSON array (exec form).
bool accepts_json(InstructionKind k) {
    switch (k) {
        case InstructionKind::Run:
        case InstructionKind::Cmd:
        case InstructionKind::Entrypoint:
        case InstructionKind::Shell:
        case InstructionKind::Volume:
        case InstructionKind::Copy:
        case InstructionKind::Add:
        case InstructionKind::Healthcheck:
            return true;
        default:
            return false;
    }
}

bool accepts_heredoc(InstructionKind k) {
    return k == InstructionKind::Run || k == InstructionKind::Copy || k == InstructionKind::Add;
}

class Parser {
  public:
    explicit Parser(std::string text) { df_.source = SourceText(std::move(text)); }

    Dockerfile run() {
        uint32_t line = parse_directives();
        std::vector<std::string> pending_comments;
        Range comments_range;
        while (line < df_.source.line_count()) {
            std::string_view l = df_.source.line(line);
            if (is_blank(l)) {
                pending_comments.clear();
                ++line;
                continue;
            }
            if (is_comment(l)) {
                auto c = record_comment(line);
                if (pending_comments.empty()) comments_range.start = c.range.start;
                comments_range.end = c.range.end;
                pending_comments.push_back(c.text);
                ++line;
                continue;
            }
            Instruction ins;
            line = parse_instruction_at(line, ins);
            ins.preceding_comments = std::move(pending_comments);
            ins.preceding_comments_range = comments_range;
            pending_comments.clear();
            add_instruction(std::move(ins));
        }
        return std::move(df_);
    }

  private:
    Dockerfile df_;

    Comment record_comment(uint32_t line) {
        std::string_view l = df_.source.line(line);
        size_t hash = l.find('#');
        size_t end = l.size();
        while (end > hash && is_space(l[end - 1])) --end;
        Comment c{std::string(trim(l.substr(hash + 1, end - hash - 1))),
                  {df_.source.from_bytes(line, hash), df_.source.from_bytes(line, end)}};
        df_.comments.push_back(c);
        return c;
    }

    // Parser directives: `# name=value` lines at the very top. Scanning stops at the first line
    // that is not a known directive (an unknown one is an ordinary comment and ends the scan).
    uint32_t parse_directives() {
        uint32_t line = 0;
        for (; line < df_.source.line_count(); ++line) {
            std::string_view l = df_.source.line(line);
            size_t i = 0;
            while (i < l.size() && is_space(l[i])) ++i;
            if (i >= l.size() || l[i] != '#') break;
            size_t hash = i++;
            while (i < l.size() && is_space(l[i])) ++i;
            size_t name_begin = i;
            if (i >= l.size() || !std::isalpha(static_cast<unsigned char>(l[i]))) break;
            while (i < l.size() && std::isalnum(static_cast<unsigned char>(l[i]))) ++i;
            std::string name = lower(l.substr(name_begin, i - name_begin));
            while (i < l.size() && is_space(l[i])) ++i;
            if (i >= l.size() || l[i] != '=') break;
            ++i;
            while (i < l.size() && is_space(l[i])) ++i;
            size_t value_end = l.size();
            while (value_end > i && is_space(l[value_end - 1])) --value_end;
            if (name != "syntax" && name != "escape" && name != "check") break;
            Directive d{name,
                        std::string(l.substr(i, value_end - i)),
                        {df_.source.from_bytes(line, hash), df_.source.from_bytes(line, value_end)},
                        {df_.source.from_bytes(line, i), df_.source.from_bytes(line, value_end)}};
            if (df_.directive(name)) {
                df_.diagnostics.push_back(
                    syntax_error("DuplicateDirective", d.range,
                                 "the '" + name + "' parser directive may appear only once"));
            } else if (name == "escape") {
                if (d.value == "\\" || d.value == "`") {
                    df_.escape = d.value[0];
                } else {
                    df_.diagnostics.push_back(syntax_error(
                        "InvalidEscapeDirective", d.value_range,
                        "the escape directive takes '\\' or '`', not '" + d.value + "'"));
                }
            }
            df_.comments.push_back({std::string(trim(l.substr(hash + 1))), d.range});
            df_.directives.push_back(std::move(d));
        }
        return line;
    }

    // Reads one instruction starting at `first` (a non-blank, non-comment line), with its
    // continuation lines and heredoc bodies. Returns the next line to read.
    uint32_t parse_instruction_at(uint32_t first, Instruction& ins) {
        LogicalLine logical(df_.source);
        uint32_t line = first;
        const uint32_t count = df_.source.line_count();
        uint32_t last_content_line = first;
        while (line < count) {
            std::string_view l = df_.source.line(line);
            if (line != first) {
                if (is_blank(l)) {
                    ins.empty_continuation_lines.push_back(line);
                    ++line;
                    continue;
                }
                if (is_comment(l)) {
                    record_comment(line);
                    ++line;
                    continue;
                }
            }
            auto cut = continuation_cut(l, df_.escape);
            logical.append(line, 0, cut ? *cut : l.size());
            last_content_line = line;
            ++line;
            if (!cut) break;
        }
        // A trailing continuation at end of file leaves empty lines that are not "inside" it.
        while (!ins.empty_continuation_lines.empty() &&
               ins.empty_continuation_lines.back() > last_content_line)
            ins.empty_continuation_lines.pop_back();

        parse_logical(logical, 0, ins, /*nested=*/false);
        if (!ins.heredocs.empty()) line = read_heredoc_bodies(line, ins);
        // `ONBUILD RUN <<EOF`: the trigger's bodies follow the ONBUILD line like any other.
        if (ins.trigger && !ins.trigger->heredocs.empty()) {
            line = read_heredoc_bodies(line, *ins.trigger);
            ins.range.end = ins.trigger->range.end;
        }
        return line;
    }

    // Parses the instruction that starts at joined offset `begin` of the logical line.
    void parse_logical(const LogicalLine& logical, size_t begin, Instruction& ins, bool nested) {
        const std::string& text = logical.text();
        size_t i = begin;
        while (i < text.size() && is_space(text[i])) ++i;
        size_t kw_begin = i;
        while (i < text.size() && !is_space(text[i])) ++i;
        ins.keyword = text.substr(kw_begin, i - kw_begin);
        ins.keyword_range = logical.range(kw_begin, i);
        ins.kind = instruction_kind(ins.keyword);
        size_t end = text.size();
        while (end > i && is_space(text[end - 1])) --end;
        ins.range = logical.range(kw_begin, end);
        if (ins.kind == InstructionKind::Unknown) {
            df_.diagnostics.push_back(syntax_error(
                "UnknownInstruction", ins.keyword_range,
                "unknown instruction '" + ins.keyword + "'" + suggestion(ins.keyword)));
        }

        // Flags come first, for every instruction (the instruction decides which it accepts).
        auto words = split_words(std::string_view(text).substr(0, end), df_.escape, i);
        size_t w = 0;
        if (ins.kind != InstructionKind::Onbuild) {
            for (; w < words.size(); ++w) {
                auto [b, e] = words[w];
                std::string_view word(text.data() + b, e - b);
                if (word.size() < 2 || word[0] != '-' || word[1] != '-') break;
                if (word == "--") {
                    ++w;
                    break;
                }
                Flag f;
                size_t eq = word.find('=');
                f.name =
                    std::string(word.substr(2, eq == std::string_view::npos ? word.npos : eq - 2));
                f.range = logical.range(b, e);
                if (eq == std::string_view::npos) {
                    f.name_range = f.range;
                    f.value_range = {f.range.end, f.range.end};
                } else {
                    f.value = unquote(word.substr(eq + 1), df_.escape);
                    f.name_range = logical.range(b, b + eq);
                    f.value_range = logical.range(b + eq + 1, e);
                }
                ins.flags.push_back(std::move(f));
            }
        }
        size_t args_begin = w < words.size() ? words[w].first : end;
        ins.arguments = text.substr(args_begin, end - args_begin);
        ins.arguments_range = logical.range(args_begin, end);
        for (size_t k = w; k < words.size(); ++k) {
            auto [b, e] = words[k];
            ins.words.push_back({text.substr(b, e - b), logical.range(b, e)});
        }

        if (accepts_json(ins.kind) && !ins.arguments.empty() && ins.arguments.front() == '[') {
            ins.json_like = ins.arguments.back() == ']';
            std::vector<std::pair<size_t, size_t>> spans;
            if (auto values = parse_json_string_array(ins.arguments, &spans)) {
                std::vector<JsonString> elements;
                for (size_t k = 0; k < values->size(); ++k) {
                    elements.push_back(
                        {std::move((*values)[k]),
                         logical.range(args_begin + spans[k].first, args_begin + spans[k].second)});
                }
                ins.json = std::move(elements);
            }
        }

        switch (ins.kind) {
            case InstructionKind::Env:
            case InstructionKind::Label:
                parse_name_values(logical, ins);
                break;
            case InstructionKind::Arg:
                parse_arg(logical, ins);
                break;
            case InstructionKind::Onbuild:
                if (!nested && args_begin < end) {
                    ins.trigger = std::make_unique<Instruction>();
                    parse_logical(logical, args_begin, *ins.trigger, true);
                    ins.trigger->range.end = ins.range.end;
                }
                break;
            default:
                break;
        }
        if (accepts_heredoc(ins.kind) && !ins.json) find_heredocs(logical, ins);
    }

    // ENV and LABEL: `k=v k2="v 2"` or the legacy `k value with spaces`.
    void parse_name_values(const LogicalLine& logical, Instruction& ins) {
        if (ins.words.empty()) return;
        const Word& first = ins.words.front();
        if (first.text.find('=') == std::string::npos) {
            ins.legacy_key_value = true;
            KeyValue kv;
            kv.key = first.text;
            kv.key_range = first.range;
            kv.range = ins.arguments_range;
            if (ins.words.size() > 1) {
                size_t value_begin = ins.arguments.size();
                // The value is the rest of the line after the key and its whitespace.
                size_t k = first.text.size();
                while (k < ins.arguments.size() && is_space(ins.arguments[k])) ++k;
                value_begin = k;
                kv.value = ins.arguments.substr(value_begin);
                kv.value_range = {ins.words[1].range.start, ins.arguments_range.end};
            } else {
                kv.value_range = {first.range.end, first.range.end};
            }
            ins.pairs.push_back(std::move(kv));
            return;
        }
        (void)logical;
        for (const Word& word : ins.words) {
            size_t eq = word.text.find('=');
            if (eq == std::string::npos) {
                df_.diagnostics.push_back(syntax_error("MissingKeyValueSeparator", word.range,
                                                       "expected name=value in " + ins.keyword +
                                                           ", but '" + word.text + "' has no '='"));
                continue;
            }
            KeyValue kv;
            kv.key = unquote(std::string_view(word.text).substr(0, eq), df_.escape);
            kv.value = word.text.substr(eq + 1);
            kv.range = word.range;
            kv.key_range = {word.range.start, offset_position(word, eq)};
            kv.value_range = {offset_position(word, eq + 1), word.range.end};
            if (kv.key.empty()) {
                df_.diagnostics.push_back(
                    syntax_error("EmptyKey", word.range, ins.keyword + " names can not be empty"));
            }
            ins.pairs.push_back(std::move(kv));
        }
    }

    // ARG name[=default] ..., each word one declaration.
    void parse_arg(const LogicalLine&, Instruction& ins) {
        for (const Word& word : ins.words) {
            KeyValue kv;
            size_t eq = word.text.find('=');
            kv.range = word.range;
            if (eq == std::string::npos) {
                kv.key = word.text;
                kv.key_range = word.range;
                kv.value_range = {word.range.end, word.range.end};
            } else {
                kv.key = word.text.substr(0, eq);
                kv.value = word.text.substr(eq + 1);
                kv.key_range = {word.range.start, offset_position(word, eq)};
                kv.value_range = {offset_position(word, eq + 1), word.range.end};
            }
            ins.pairs.push_back(std::move(kv));
        }
    }

    // Position of byte `offset` inside a word that lies on one line (the usual case); for a word
    // broken across a continuation this falls back to the word's start, which is still correct
    // for offsets on the first line.
    Position offset_position(const Word& word, size_t offset) const {
        if (word.range.start.line == word.range.end.line) {
            size_t start_byte =
                df_.source.byte_column(word.range.start.line, word.range.start.character);
            return df_.source.from_bytes(word.range.start.line, start_byte + offset);
        }
        size_t start = df_.source.offset_at(word.range.start);
        return df_.source.position_at(start + offset);
    }

    void find_heredocs(const LogicalLine& logical, Instruction& ins) {
        const std::string& text = logical.text();
        (void)text;
        for (const Word& word : ins.words) {
            std::string_view w = word.text;
            size_t i = 0;
            while (i < w.size() && std::isdigit(static_cast<unsigned char>(w[i]))) ++i;
            if (w.substr(i, 2) != "<<") continue;
            std::optional<int> fd;
            if (i > 0) {
                // A file descriptor too large for an int is no redirection a shell would make:
                // the word is left as it is, not read as a here-document.
                int number = 0;
                auto [end, error] = std::from_chars(w.data(), w.data() + i, number);
                if (error != std::errc() || end != w.data() + i) continue;
                fd = number;
            }
            size_t k = i + 2;
            Heredoc h;
            if (k < w.size() && w[k] == '-') {
                h.strip_tabs = true;
                ++k;
            }
            std::string_view delim = w.substr(k);
            if (delim.empty() || delim[0] == '<') continue;  // `<<` alone or a here-string `<<<`
            if (delim.size() >= 2 && (delim[0] == '"' || delim[0] == '\'') &&
                delim.back() == delim[0]) {
                h.expand = false;
                delim = delim.substr(1, delim.size() - 2);
            } else if (delim.find_first_of("\"'") != std::string_view::npos) {
                h.expand = false;
                h.delimiter = unquote(delim, df_.escape);
            }
            if (h.delimiter.empty()) h.delimiter = std::string(delim);
            if (h.delimiter.empty()) continue;
            // Stop at shell metacharacters glued to the delimiter (`<<EOF>out`).
            size_t meta = h.delimiter.find_first_of("<>|;&()");
            if (meta != std::string::npos) h.delimiter.resize(meta);
            if (h.delimiter.empty()) continue;
            h.file_descriptor = fd;
            h.marker_range = word.range;
            ins.heredocs.push_back(std::move(h));
        }
    }

    uint32_t read_heredoc_bodies(uint32_t line, Instruction& ins) {
        const uint32_t count = df_.source.line_count();
        for (Heredoc& h : ins.heredocs) {
            h.body_range.start = {line, 0};
            while (line < count) {
                std::string_view l = df_.source.line(line);
                std::string_view content = l;
                if (h.strip_tabs)
                    while (!content.empty() && content.front() == '\t') content.remove_prefix(1);
                if (content == h.delimiter) {
                    h.terminated = true;
                    h.body_range.end = df_.source.from_bytes(line, l.size());
                    ++line;
                    break;
                }
                h.body.append(content);
                h.body.push_back('\n');
                ++line;
            }
            if (!h.terminated) {
                uint32_t last = count == 0 ? 0 : count - 1;
                h.body_range.end = df_.source.from_bytes(last, df_.source.line(last).size());
                df_.diagnostics.push_back(syntax_error(
                    "UnterminatedHeredoc", h.marker_range,
                    "here-document '" + h.delimiter + "' is never closed: expected a line '" +
                        h.delimiter + "' before the end of the file"));
            }
            ins.range.end = h.body_range.end;
        }
        return line;
    }

    static std::string suggestion(std::string_view keyword);

    void add_instruction(Instruction ins) {
        size_t index = df_.instructions.size();
        if (ins.kind == InstructionKind::From) {
            Stage st;
            st.from_index = index;
            if (!ins.words.empty()) {
                st.base = ins.words[0].text;
                st.base_range = ins.words[0].range;
            }
            if (ins.words.size() >= 2 && lower(ins.words[1].text) == "as") {
                st.as_keyword = ins.words[1];
                if (ins.words.size() >= 3) st.name = ins.words[2];
            }
            df_.stages.push_back(std::move(st));
        } else if (df_.stages.empty()) {
            df_.global_instructions.push_back(index);
        } else {
            df_.stages.back().instructions.push_back(index);
        }
        df_.instructions.push_back(std::move(ins));
    }
};

std::string Parser::suggestion(std::string_view keyword) {
    std::vector<std::string_view> names;
    for (int k = 0; k < static_cast<int>(InstructionKind::Unknown); ++k)
        names.push_back(keyword_name(static_cast<InstructionKind>(k)));
    auto best =
        closest_match(keyword, std::span<const std::string_view>(names), /*ignore_case=*/true);
    return best ? " (did you mean " + std::string(*best) + "?)" : std::string();
}

}  // namespace

std::vector<std::pair<size_t, size_t>> split_words(std::string_view text, char escape,
                                                   size_t begin) {
    std::vector<std::pair<size_t, size_t>> words;
    size_t i = begin;
    const size_t n = text.size();
    while (i < n) {
        while (i < n && is_space(text[i])) ++i;
        if (i >= n) break;
        size_t start = i;
        while (i < n && !is_space(text[i])) {
            char c = text[i];
            if (c == escape) {
                i = std::min(n, i + 2);
            } else if (c == '\'' || c == '"') {
                ++i;
                while (i < n && text[i] != c) {
                    if (c == '"' && text[i] == escape) ++i;
                    ++i;
                }
                i = std::min(n, i + 1);
            } else {
                ++i;
            }
        }
        words.emplace_back(start, i);
    }
    return words;
}

std::string unquote(std::string_view word, char escape) {
    std::string out;
    out.reserve(word.size());
    for (size_t i = 0; i < word.size(); ++i) {
        char c = word[i];
        if (c == escape && i + 1 < word.size()) {
            out.push_back(word[++i]);
        } else if (c == '\'') {
            while (++i < word.size() && word[i] != '\'') out.push_back(word[i]);
        } else if (c == '"') {
            while (++i < word.size() && word[i] != '"') {
                if (word[i] == escape && i + 1 < word.size() &&
                    (word[i + 1] == '"' || word[i + 1] == escape || word[i + 1] == '$'))
                    ++i;
                out.push_back(word[i]);
            }
        } else {
            out.push_back(c);
        }
    }
    return out;
}

Dockerfile parse(std::string text) {
    return Parser(std::move(text)).run();
}

}  // namespace envbuilder::dockerfile
