// Formatting: keyword casing, indentation of continuation lines and stray whitespace. The rule
// throughout is that the builder must see the same instruction afterwards, so a change is made
// only where whitespace cannot matter: never inside quotes, never in heredoc bodies, never where
// the builder keeps the text verbatim (USER, WORKDIR, legacy `ENV key value`, ...).
#include <algorithm>
#include <cctype>

#include "language/dockerfile_detail.h"

namespace envbuilder::language {

using dockerfile::Dockerfile;
using dockerfile::Instruction;
using dockerfile::InstructionKind;

namespace detail {

bool prefers_lowercase(const Dockerfile& df) {
    // Counted like BuildKit: keywords of stages (FROM included), global instructions not; mixed
    // case counts for neither side.
    int lower = 0, upper = 0;
    auto count = [&](const Instruction& ins) {
        if (ins.kind == InstructionKind::Unknown) return;
        bool has_lower = false, has_upper = false;
        for (char c : ins.keyword) {
            has_lower |= std::islower(static_cast<unsigned char>(c)) != 0;
            has_upper |= std::isupper(static_cast<unsigned char>(c)) != 0;
        }
        if (has_lower && !has_upper) ++lower;
        if (has_upper && !has_lower) ++upper;
    };
    for (const auto& stage : df.stages) {
        count(df.instructions[stage.from_index]);
        for (size_t i : stage.instructions) count(df.instructions[i]);
    }
    return lower > upper;
}

std::string keyword_text(InstructionKind kind, bool lower) {
    std::string kw = dockerfile::keyword_name(kind);
    if (lower)
        for (char& c : kw) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return kw;
}

}  // namespace detail

namespace {

using detail::continuation_escape;

bool is_indent(char c) {
    return c == ' ' || c == '\t';
}
bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

// Where the builder starts keeping the text of `ins` verbatim, whitespace included: changing
// the indentation of a continuation line after this point would change the value.
std::optional<Position> verbatim_from(const Instruction& ins) {
    switch (ins.kind) {
        case InstructionKind::Maintainer:
        case InstructionKind::User:
        case InstructionKind::Workdir:
        case InstructionKind::Stopsignal:
            return ins.arguments_range.start;
        case InstructionKind::Env:
        case InstructionKind::Label:
            if (ins.legacy_key_value && !ins.pairs.empty() && ins.pairs[0].value)
                return ins.pairs[0].value_range.start;
            return std::nullopt;
        case InstructionKind::Unknown:
            return Position{0, 0};  // the builder rejects it anyway: leave it as written
        default:
            return std::nullopt;
    }
}

// Follows quotes and escapes through `text` and reports, for each offset in `joins` (ascending),
// whether the text before it ends outside any quote and not on a pending escape.
std::vector<bool> outside_quotes(std::string_view text, char escape,
                                 const std::vector<size_t>& joins) {
    std::vector<bool> out;
    out.reserve(joins.size());
    enum { None, Single, Double } state = None;
    bool escaped = false;
    size_t j = 0;
    for (size_t i = 0; i <= text.size() && j < joins.size(); ++i) {
        while (j < joins.size() && joins[j] == i) {
            out.push_back(state == None && !escaped);
            ++j;
        }
        if (i == text.size()) break;
        char c = text[i];
        if (escaped) {
            escaped = false;
        } else if (state == Single) {
            if (c == '\'') state = None;
        } else if (c == escape) {
            escaped = true;
        } else if (state == Double) {
            if (c == '"') state = None;
        } else if (c == '\'') {
            state = Single;
        } else if (c == '"') {
            state = Double;
        }
    }
    while (out.size() < joins.size()) out.push_back(false);
    return out;
}

class Formatter {
  public:
    Formatter(const Dockerfile& df, const FormattingOptions& options)
        : df_(df), src_(df.source), lower_(detail::prefers_lowercase(df)) {
        if (options.insert_spaces)
            unit_.assign(std::max<uint32_t>(1, options.tab_size), ' ');
        else
            unit_ = "\t";
    }

    std::vector<TextEdit> run() {
        auto lines = detail::instruction_lines(df_);
        for (size_t i = 0; i < df_.instructions.size(); ++i) {
            const Instruction& ins = df_.instructions[i];
            keyword(ins);
            if (ins.trigger) keyword(*ins.trigger);
            layout(ins, lines[i]);
        }
        std::sort(edits_.begin(), edits_.end(), [](const TextEdit& a, const TextEdit& b) {
            return a.range.start != b.range.start ? a.range.start < b.range.start
                                                  : a.range.end < b.range.end;
        });
        // Touching edits become one (an indent inserted where a keyword is recased), so that no
        // two edits start at the same position, which clients may apply in either order.
        std::vector<TextEdit> merged;
        for (auto& e : edits_) {
            if (!merged.empty() && merged.back().range.end == e.range.start) {
                merged.back().range.end = e.range.end;
                merged.back().new_text += e.new_text;
            } else {
                merged.push_back(std::move(e));
            }
        }
        return merged;
    }

  private:
    const Dockerfile& df_;
    const SourceText& src_;
    bool lower_;
    std::string unit_;
    std::vector<TextEdit> edits_;

    void replace(uint32_t line, size_t begin, size_t end, std::string text) {
        edits_.push_back(
            {{src_.from_bytes(line, begin), src_.from_bytes(line, end)}, std::move(text)});
    }

    void keyword(const Instruction& ins) {
        // A keyword split by a continuation is left alone: rewriting it would join the lines.
        if (ins.kind == InstructionKind::Unknown ||
            ins.keyword_range.start.line != ins.keyword_range.end.line)
            return;
        std::string wanted = detail::keyword_text(ins.kind, lower_);
        if (wanted != ins.keyword) edits_.push_back({ins.keyword_range, std::move(wanted)});
    }

    // Trailing blanks: after the escape character of a continued line, at the end of any other.
    void trailing(uint32_t line, std::string_view text, std::optional<size_t> escape) {
        size_t keep = escape ? *escape + 1 : text.size();
        if (!escape)
            while (keep > 0 && is_indent(text[keep - 1])) --keep;
        if (keep < text.size()) replace(line, keep, text.size(), "");
    }

    void reindent(uint32_t line, std::string_view text) {
        size_t n = 0;
        while (n < text.size() && is_indent(text[n])) ++n;
        // Other whitespace (form feeds...) after the indent: too unusual to reason about.
        if (n < text.size() && is_space(text[n])) return;
        if (text.substr(0, n) != unit_) replace(line, 0, n, unit_);
    }

    void layout(const Instruction& ins, const detail::InstructionLines& il) {
        // Rebuild the joined text as the parser does, remembering where each continuation line
        // joins it, so that quoting can be followed across lines.
        struct Join {
            uint32_t line;
            size_t offset;  // in the joined text
        };
        std::string joined;
        std::vector<Join> joins;
        for (uint32_t l = il.first; l <= il.last; ++l) {
            std::string_view text = src_.line(l);
            if (l == il.first) {
                size_t n = 0;
                while (n < text.size() && is_space(text[n])) ++n;
                if (n > 0) replace(l, 0, n, "");
                auto escape = continuation_escape(text, df_.escape);
                trailing(l, text, escape);
                joined.append(text.substr(0, escape ? *escape : text.size()));
                continue;
            }
            if (detail::is_blank_line(text)) {
                if (!text.empty()) replace(l, 0, text.size(), "");
                continue;
            }
            if (detail::is_comment_line(text)) {
                // The parser drops comment lines inside an instruction, so their indentation is
                // free to change.
                reindent(l, text);
                trailing(l, text, std::nullopt);
                continue;
            }
            auto escape = continuation_escape(text, df_.escape);
            trailing(l, text, escape);
            joins.push_back({l, joined.size()});
            joined.append(text.substr(0, escape ? *escape : text.size()));
        }
        if (joins.empty()) return;

        std::vector<size_t> offsets;
        for (const Join& j : joins) offsets.push_back(j.offset);
        // Valid JSON is read with JSON's backslash escapes whatever the escape directive says;
        // shell-form text is checked with both characters, as the shell uses backslash too.
        const Instruction& target = ins.trigger ? *ins.trigger : ins;
        std::vector<bool> safe = outside_quotes(joined, target.json ? '\\' : df_.escape, offsets);
        if (df_.escape != '\\' && !target.json) {
            auto also = outside_quotes(joined, '\\', offsets);
            for (size_t k = 0; k < safe.size(); ++k) safe[k] = safe[k] && also[k];
        }
        size_t first_content = 0;
        while (first_content < joined.size() && is_space(joined[first_content])) ++first_content;
        for (size_t k = 0; k < joins.size(); ++k) {
            if (!safe[k]) continue;
            const Join& j = joins[k];
            std::string_view text = src_.line(j.line);
            const Position line_start{j.line, 0};
            const Instruction& owner =
                ins.trigger && ins.trigger->keyword_range.start < line_start ? *ins.trigger : ins;
            if (auto verbatim = verbatim_from(owner); verbatim && *verbatim < line_start) continue;
            // The indent must stay a word break: a line without one that continues a word
            // (`foo\` + `bar` is one word) is left as it is.
            const bool indented = !text.empty() && is_indent(text[0]);
            const bool after_space = first_content >= j.offset || is_space(joined[j.offset - 1]);
            if (!indented && !after_space) continue;
            reindent(j.line, text);
        }
    }
};

}  // namespace

std::vector<TextEdit> format(const Dockerfile& df, const FormattingOptions& options) {
    return Formatter(df, options).run();
}

}  // namespace envbuilder::language
