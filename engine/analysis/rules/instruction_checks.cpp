#include "analysis/rules/instruction_checks.h"

#include <strings.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "syntax/commands/run_command.h"
#include "syntax/dockerfile_parser.h"
#include "syntax/expansion.h"

namespace envbuilder::rules::instruction_checks {

using dockerfile::Instruction;
using dockerfile::InstructionKind;

namespace {

const std::string* always_set(std::string_view) {
    static const std::string value = "x";
    return &value;
}

}  // namespace

bool flags_are_parsed(const Instruction& ins) {
    if (ins.kind == InstructionKind::Unknown) return false;
    if (ins.kind == InstructionKind::Healthcheck && !ins.words.empty() &&
        iequals(ins.words[0].text, "NONE"))
        return false;
    return true;
}

void report_run_flag_errors(LintContext& ctx, std::string_view flag_name) {
    ctx.each_instruction(
        [&](const Instruction& ins, size_t) {
            if (ins.kind != InstructionKind::Run) return;
            for (const auto& e : dockerfile::parse_run_command(ins).errors) {
                if (e.kind != dockerfile::CommandError::Kind::invalid_value ||
                    e.flag != flag_name || has_variable(e.value))
                    continue;
                std::optional<Fix> fix;
                if (e.suggestion)
                    fix = replace_fix("Change to " + *e.suggestion, e.range, *e.suggestion);
                ctx.report(e.range, e.message, std::move(fix));
            }
        },
        /*with_triggers=*/true);
}

bool is_heredoc_marker(std::string_view w) {
    size_t i = 0;
    while (i < w.size() && std::isdigit(static_cast<unsigned char>(w[i]))) ++i;
    return w.substr(i, 2) == "<<" && w.size() > i + 2 && w[i + 2] != '<';
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

bool has_variable(std::string_view s) {
    return s.find('$') != std::string_view::npos;
}

bool is_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
    });
}

std::optional<std::string_view> single_line_text(const SourceText& source, Range range) {
    if (range.start.line != range.end.line || range.start.line >= source.line_count())
        return std::nullopt;
    std::string_view line = source.line(range.start.line);
    size_t b = source.byte_column(range.start.line, range.start.character);
    size_t e = source.byte_column(range.end.line, range.end.character);
    if (e < b) return std::nullopt;
    return line.substr(b, e - b);
}

Range sub_range(const SourceText& source, Range whole, std::string_view text, size_t begin,
                size_t end) {
    auto raw = single_line_text(source, whole);
    if (!raw || *raw != text || begin > end || end > text.size()) return whole;
    size_t base = source.byte_column(whole.start.line, whole.start.character);
    return {source.from_bytes(whole.start.line, base + begin),
            source.from_bytes(whole.start.line, base + end)};
}

void each_expanded_text(const LintContext& ctx,
                        const std::function<void(std::string_view, Range)>& f) {
    const SourceText& source = ctx.df.source;
    auto flag_value = [&](const Instruction& ins, std::string_view name) {
        for (const dockerfile::Flag& flag : ins.flags) {
            if (flag.name != name || !flag.value) continue;
            // The raw text is needed (quotes included); a value split over lines is rare enough
            // to skip rather than re-join.
            if (auto raw = single_line_text(source, flag.value_range)) f(*raw, flag.value_range);
        }
    };
    ctx.each_instruction(
        [&](const Instruction& ins, size_t) {
            switch (ins.kind) {
                case InstructionKind::Add:
                case InstructionKind::Copy:
                    if (!ins.json) {
                        for (const auto& w : ins.words)
                            if (!is_heredoc_marker(w.text)) f(w.text, w.range);
                    }
                    flag_value(ins, "chown");
                    if (ins.kind == InstructionKind::Copy) flag_value(ins, "from");
                    break;
                case InstructionKind::Expose:
                    for (const auto& w : ins.words) f(w.text, w.range);
                    break;
                case InstructionKind::Volume:
                    if (!ins.json)
                        for (const auto& w : ins.words) f(w.text, w.range);
                    break;
                case InstructionKind::Env:
                case InstructionKind::Label:
                    if (ins.legacy_key_value) {
                        if (!ins.words.empty()) f(ins.words[0].text, ins.words[0].range);
                        if (!ins.pairs.empty() && ins.pairs[0].value)
                            f(*ins.pairs[0].value, ins.pairs[0].value_range);
                    } else {
                        for (const auto& w : ins.words) f(w.text, w.range);
                    }
                    break;
                case InstructionKind::Arg:
                    for (const auto& kv : ins.pairs)
                        if (kv.value) f(*kv.value, kv.value_range);
                    break;
                case InstructionKind::From:
                    if (!ins.words.empty()) f(ins.words[0].text, ins.words[0].range);
                    flag_value(ins, "platform");
                    break;
                case InstructionKind::User:
                case InstructionKind::Workdir:
                case InstructionKind::Stopsignal:
                    if (!ins.arguments.empty()) f(ins.arguments, ins.arguments_range);
                    break;
                case InstructionKind::Run:
                    flag_value(ins, "mount");
                    break;
                default:
                    break;
            }
        },
        /*with_triggers=*/true);
}

std::optional<ExpansionSyntaxError> expansion_syntax_error(std::string_view text, char escape) {
    // Cheap exit for the common case: no quotes and only plain $NAME / ${NAME} references, which
    // cannot be malformed. Most words of a Dockerfile take this path.
    bool plain = true;
    for (size_t i = 0; i < text.size() && plain; ++i) {
        char c = text[i];
        if (c == escape) {
            ++i;
        } else if (c == '\'' || c == '"') {
            plain = false;
        } else if (c == '$' && i + 1 < text.size() && text[i + 1] == '{') {
            size_t j = i + 2;
            while (j < text.size() &&
                   (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '_'))
                ++j;
            plain = j > i + 2 && j < text.size() && text[j] == '}';
            i = j;
        }
    }
    if (plain) return std::nullopt;
    static const dockerfile::VariableLookup lookup = always_set;
    dockerfile::Expansion e = dockerfile::expand(text, lookup, escape);
    if (!e.error) return std::nullopt;
    ExpansionSyntaxError out;
    out.message = e.error->message;
    out.begin = std::min(e.error->begin, text.size());
    out.end = std::clamp(e.error->end, out.begin, text.size());
    std::string_view m = out.message;
    out.unterminated = m.starts_with("unterminated") || m.starts_with("missing '}'");
    return out;
}

void each_expansion_error(const LintContext& ctx,
                          const std::function<void(const ExpansionSyntaxError&, Range)>& f) {
    each_expanded_text(ctx, [&](std::string_view text, Range range) {
        if (auto e = expansion_syntax_error(text, ctx.df.escape))
            f(*e, sub_range(ctx.df.source, range, text, e->begin, e->end));
    });
}

std::optional<ExposeSpec> split_expose_word(std::string_view word, char escape) {
    if (word.empty() || has_variable(word)) return std::nullopt;
    ExposeSpec spec;
    if (word.size() >= 2 && word.front() == '"' && word.back() == '"' &&
        word.substr(1, word.size() - 2).find_first_of("\"'") == std::string_view::npos &&
        word.find(escape) == std::string_view::npos) {
        spec.text = std::string(word.substr(1, word.size() - 2));
        spec.offset = 1;
        spec.exact = true;
    } else if (word.find_first_of("\"'") != std::string_view::npos ||
               word.find(escape) != std::string_view::npos) {
        spec.text = dockerfile::unquote(word, escape);
        spec.exact = false;
    } else {
        spec.text = std::string(word);
        spec.exact = true;
    }
    std::string_view t = spec.text;
    if (t.find(':') != std::string_view::npos) return std::nullopt;
    size_t slash = t.find('/');
    spec.port = std::string(t.substr(0, slash));
    spec.port_begin = 0;
    if (slash != std::string_view::npos) {
        size_t next = t.find('/', slash + 1);
        std::string_view proto = t.substr(
            slash + 1, next == std::string_view::npos ? std::string_view::npos : next - slash - 1);
        if (!proto.empty()) {
            spec.proto = std::string(proto);
            spec.proto_begin = slash + 1;
        }
    }
    return spec;
}

}  // namespace envbuilder::rules::instruction_checks
