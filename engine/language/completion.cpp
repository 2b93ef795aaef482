// Completion: what the cursor's context allows — instruction keywords, flags and their values,
// RUN --mount keys, stage names, variables in scope, parser directives.
#include <algorithm>
#include <cctype>

#include "language/dockerfile_detail.h"
#include "language/dockerfile_docs.h"
#include "syntax/instruction_flags.h"

namespace envbuilder::language {

using dockerfile::Dockerfile;
using dockerfile::Instruction;
using dockerfile::InstructionKind;

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}
bool is_name_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Mount keys are written several ways; completion offers one spelling of each.
std::string canonical_mount_key(std::string key) {
    if (key == "dst" || key == "destination") return "target";
    if (key == "src") return "source";
    if (key == "readonly") return "ro";
    if (key == "readwrite") return "rw";
    return key;
}

bool is_bare_mount_key(std::string_view key) {
    return key == "ro" || key == "rw" || key == "required";
}

class Completer {
  public:
    Completer(const Dockerfile& df, Position pos) : df_(df), src_(df.source), pos_(pos) {}

    std::vector<CompletionItem> run() {
        if (pos_.line >= src_.line_count()) return {};
        line_ = src_.line(pos_.line);
        col_ = std::min(src_.byte_column(pos_.line, pos_.character), line_.size());
        pos_ = src_.from_bytes(pos_.line, col_);  // clamped to the line
        before_ = line_.substr(0, col_);
        word_begin_ = col_;
        while (word_begin_ > 0 && !is_space(line_[word_begin_ - 1])) --word_begin_;
        word_ = before_.substr(word_begin_);
        word_range_ = {src_.from_bytes(pos_.line, word_begin_), pos_};

        if (pos_.line <= df_.directives.size() && directive_context()) return std::move(items_);
        auto lines = detail::instruction_lines(df_);
        auto index = detail::instruction_at_line(lines, pos_.line);
        if (index && pos_.line > lines[*index].last) return {};  // a heredoc body
        if (!index) index = continued_into(lines);
        if (!index) {
            // A line of its own: only an instruction keyword can start it.
            bool keyword_prefix = std::all_of(before_.begin(), before_.end(), [](char c) {
                return is_space(c) || std::isalpha(static_cast<unsigned char>(c));
            });
            if (keyword_prefix && !detail::is_comment_line(line_)) keywords(/*trigger=*/false);
            return std::move(items_);
        }
        if (pos_.line != lines[*index].first && detail::is_comment_line(line_)) return {};
        in_instruction(*index);
        return std::move(items_);
    }

  private:
    const Dockerfile& df_;
    const SourceText& src_;
    Position pos_;
    std::string_view line_, before_, word_;
    size_t col_ = 0, word_begin_ = 0;
    Range word_range_;
    std::vector<CompletionItem> items_;

    Range range_from(size_t byte_column) const {
        return {src_.from_bytes(pos_.line, byte_column), pos_};
    }

    void add(std::string label, CompletionKind kind, std::string_view detail, std::string_view doc,
             std::string insert, Range range, bool snippet = false) {
        items_.push_back({std::move(label), kind, std::string(detail), std::string(doc),
                          std::move(insert), snippet, range});
    }

    // The previous instruction when its last line ends with the escape character and only blank
    // or comment lines separate it from the cursor: the builder reads this line as part of it.
    std::optional<size_t> continued_into(const std::vector<detail::InstructionLines>& lines) const {
        auto it = std::upper_bound(
            lines.begin(), lines.end(), pos_.line,
            [](uint32_t v, const detail::InstructionLines& l) { return v < l.first; });
        if (it == lines.begin()) return std::nullopt;
        --it;
        if (it->end != it->last || !detail::continuation_escape(src_.line(it->last), df_.escape))
            return std::nullopt;
        for (uint32_t l = it->last + 1; l < pos_.line; ++l)
            if (!detail::is_blank_line(src_.line(l)) && !detail::is_comment_line(src_.line(l)))
                return std::nullopt;
        return static_cast<size_t>(it - lines.begin());
    }

    // `# name` or `# name=value` on a line where a parser directive may still appear.
    bool directive_context() {
        size_t i = 0;
        while (i < before_.size() && is_space(before_[i])) ++i;
        if (i >= before_.size() || before_[i] != '#') return false;
        ++i;
        while (i < before_.size() && is_space(before_[i])) ++i;
        size_t name_begin = i;
        while (i < before_.size() && std::isalnum(static_cast<unsigned char>(before_[i]))) ++i;
        std::string name = lower(before_.substr(name_begin, i - name_begin));
        if (i == before_.size()) {
            for (const auto& d : docs::directives()) {
                const auto* existing = df_.directive(d.name);
                if (existing && existing->range.start.line != pos_.line) continue;
                add(std::string(d.name), CompletionKind::Property, d.summary, d.markdown,
                    std::string(d.name) + "=", range_from(name_begin));
            }
            return true;
        }
        while (i < before_.size() && is_space(before_[i])) ++i;
        if (i >= before_.size() || before_[i] != '=') return false;
        ++i;
        while (i < before_.size() && is_space(before_[i])) ++i;
        Range range = range_from(i);
        if (name == "syntax") {
            add("docker/dockerfile:1", CompletionKind::Value, "Latest stable Dockerfile syntax 1.x",
                "", "docker/dockerfile:1", range);
            add("docker/dockerfile:1-labs", CompletionKind::Value, "Syntax 1.x with labs features",
                "", "docker/dockerfile:1-labs", range);
        } else if (name == "escape") {
            add("\\", CompletionKind::Value, "Backslash (default)", "", "\\", range);
            add("`", CompletionKind::Value, "Backtick (for Windows paths)", "", "`", range);
        } else if (name == "check") {
            add("skip=all", CompletionKind::Value, "Turn every build check off", "", "skip=all",
                range);
            add("error=true", CompletionKind::Value, "Fail the build on check warnings", "",
                "error=true", range);
            add("experimental=all", CompletionKind::Value, "Turn experimental checks on", "",
                "experimental=all", range);
        }
        return true;
    }

    void keywords(bool trigger) {
        const bool lower_case = detail::prefers_lowercase(df_);
        for (int k = 0; k < static_cast<int>(InstructionKind::Unknown); ++k) {
            auto kind = static_cast<InstructionKind>(k);
            // ONBUILD cannot wrap these.
            if (trigger && (kind == InstructionKind::Onbuild || kind == InstructionKind::From ||
                            kind == InstructionKind::Maintainer))
                continue;
            const auto& doc = docs::instruction(kind);
            std::string label = detail::keyword_text(kind, lower_case);
            add(label, CompletionKind::Keyword, doc.summary, doc.markdown,
                label + " " + std::string(doc.snippet), word_range_, /*snippet=*/true);
        }
    }

    void in_instruction(size_t index) {
        const Instruction& ins = df_.instructions[index];
        const Position word_start = word_range_.start;
        if (word_start == ins.keyword_range.start) return keywords(false);
        if (ins.kind == InstructionKind::Onbuild) {
            if (!ins.trigger) {
                if (ins.keyword_range.end < word_start) keywords(true);
                return;
            }
            if (word_start == ins.trigger->keyword_range.start) return keywords(true);
        }
        const Instruction& t =
            ins.trigger && ins.trigger->keyword_range.start <= word_start ? *ins.trigger : ins;
        if (!(t.keyword_range.end < word_start)) return;  // inside or before the keyword

        if (variables(index)) return;
        // Flags and the first argument: no argument word starts before the cursor's word.
        const bool first_argument =
            std::none_of(t.words.begin(), t.words.end(),
                         [&](const auto& w) { return w.range.start < word_start; });
        if (!first_argument) return;
        if (!word_.empty() && word_[0] == '-') {
            size_t eq = word_.find('=');
            if (eq == std::string_view::npos) return flag_names(t);
            if (word_.size() < 2 || word_[1] != '-') return;
            return flag_values(t, index, word_.substr(2, eq - 2), word_begin_ + eq + 1);
        }
        if (t.kind == InstructionKind::From) return stage_names(index, word_range_);
        if (t.kind == InstructionKind::Healthcheck)
            for (const auto& sub : docs::healthcheck_subcommands())
                add(std::string(sub.name), CompletionKind::Keyword, sub.summary, "",
                    std::string(sub.name) + " ", word_range_);
    }

    // `$NA` or `${NA` right before the cursor: the variables in scope at this instruction.
    bool variables(size_t index) {
        size_t i = col_;
        while (i > word_begin_ && is_name_char(line_[i - 1])) --i;
        const size_t name_begin = i;
        bool braced = false;
        if (i > word_begin_ && line_[i - 1] == '{') {
            braced = true;
            --i;
        }
        if (i <= word_begin_ || line_[i - 1] != '$') return false;
        size_t escapes = 0;
        for (size_t j = i - 1; j > 0 && line_[j - 1] == df_.escape; --j) ++escapes;
        if (escapes % 2 == 1) return false;  // `\$` is a literal dollar
        if (name_begin < col_ && std::isdigit(static_cast<unsigned char>(line_[name_begin])))
            return false;

        const Range range = range_from(name_begin);
        const bool close = braced && (col_ >= line_.size() || line_[col_] != '}');
        auto insert = [&](const std::string& name) { return close ? name + "}" : name; };

        StageModel model(df_);
        auto symbols = detail::index_symbols(df_, model, index);
        const auto stage = df_.stage_of(index);
        const bool stage_instruction = stage && df_.stages[*stage].from_index != index;
        std::optional<Scope> scope;
        if (stage_instruction) scope = detail::scope_before(df_, model, index);
        for (const auto& [name, id] : symbols.scope) {
            const auto& d = symbols.decls[id];
            std::string detail = std::string(d.global ? "global ARG"
                                             : d.env  ? "ENV"
                                                      : "ARG") +
                                 ", line " + std::to_string(detail::human_line(d.key_range));
            std::string doc;
            if (scope)
                if (const std::string* v = scope->value(name)) doc = "Value here: `" + *v + "`";
            add(name, CompletionKind::Variable, detail, doc, insert(name), range);
        }
        if (scope) {
            // Variables of the base image (PATH at least), which no instruction declares.
            for (const auto& [name, value] : scope->vars) {
                if (symbols.scope.count(name)) continue;
                add(name, CompletionKind::Variable, "from the base image",
                    value ? "Value here: `" + *value + "`" : "", insert(name), range);
            }
        } else {
            // FROM lines and global ARGs also see the builder's platform arguments.
            for (const auto& arg : docs::platform_args()) {
                if (symbols.scope.count(std::string(arg.name))) continue;
                add(std::string(arg.name), CompletionKind::Variable, "platform argument",
                    arg.summary, insert(std::string(arg.name)), range);
            }
        }
        return true;
    }

    void flag_names(const Instruction& t) {
        for (const auto& spec : dockerfile::accepted_flags(t.kind)) {
            // Flags given once may not repeat; the one under the cursor is being rewritten.
            bool present = std::any_of(t.flags.begin(), t.flags.end(), [&](const auto& f) {
                return f.name == spec.name && !f.range.contains(pos_);
            });
            if (present && spec.type != dockerfile::FlagType::Strings) continue;
            const auto* doc = docs::flag(t.kind, spec.name);
            std::string label = "--" + std::string(spec.name);
            add(label, CompletionKind::Property, doc ? doc->summary : "", doc ? doc->markdown : "",
                spec.type == dockerfile::FlagType::Bool ? label : label + "=", word_range_);
        }
    }

    void values(std::span<const docs::ValueDoc> table, Range range) {
        for (const auto& v : table)
            add(std::string(v.name), CompletionKind::Value, v.summary, "", std::string(v.name),
                range);
    }

    void flag_values(const Instruction& t, size_t index, std::string_view name,
                     size_t value_begin) {
        if (!dockerfile::find_flag(t.kind, name)) return;
        const Range range = range_from(value_begin);
        if (name == "network") return values(docs::network_modes(), range);
        if (name == "security") return values(docs::security_modes(), range);
        if (name == "platform") return values(docs::common_platforms(), range);
        if (name == "from") return stage_names(index, range);
        if (name == "mount") return mount(index, value_begin);
    }

    // RUN --mount=type=cache,ta|: keys fitting the mount type, or the values of type/from/sharing.
    void mount(size_t index, size_t value_begin) {
        std::string_view typed = line_.substr(value_begin, col_ - value_begin);
        size_t comma = typed.rfind(',');
        size_t field_begin = comma == std::string_view::npos ? 0 : comma + 1;
        std::string_view field = typed.substr(field_begin);
        if (size_t eq = field.find('='); eq != std::string_view::npos) {
            std::string key = lower(field.substr(0, eq));
            Range range = range_from(value_begin + field_begin + eq + 1);
            if (key == "type") return values(docs::mount_types(), range);
            if (key == "sharing") return values(docs::mount_sharing_modes(), range);
            if (key == "from") return stage_names(index, range);
            return;
        }
        // The other fields of the whole value, the part after the cursor included.
        size_t value_end = col_;
        while (value_end < line_.size() && !is_space(line_[value_end])) ++value_end;
        std::string_view whole = line_.substr(value_begin, value_end - value_begin);
        std::string type = "bind";
        std::vector<std::string> present;
        size_t start = 0;
        while (start <= whole.size()) {
            size_t end = std::min(whole.find(',', start), whole.size());
            std::string_view other = whole.substr(start, end - start);
            size_t eq = other.find('=');
            std::string key = canonical_mount_key(lower(other.substr(0, eq)));
            if (key == "type" && eq != std::string_view::npos) type = lower(other.substr(eq + 1));
            if (start != field_begin && !key.empty()) present.push_back(key);
            start = end + 1;
        }
        for (const auto& key : docs::mount_keys()) {
            if (std::find(present.begin(), present.end(), key.name) != present.end()) continue;
            if (!key.applies_to.empty()) {
                // applies_to is a space separated list of types.
                std::string list = " " + std::string(key.applies_to) + " ";
                if (list.find(" " + type + " ") == std::string::npos) continue;
            }
            std::string insert =
                is_bare_mount_key(key.name) ? std::string(key.name) : std::string(key.name) + "=";
            add(std::string(key.name), CompletionKind::Property, key.summary, "", insert,
                range_from(value_begin + field_begin));
        }
    }

    // Named stages defined before the stage the cursor is in.
    void stage_names(size_t index, Range range) {
        auto current = df_.stage_of(index);
        if (!current) return;
        for (size_t s = 0; s < *current; ++s) {
            const auto& stage = df_.stages[s];
            if (!stage.name) continue;
            add(stage.name->text, CompletionKind::Reference,
                "stage " + std::to_string(s) + (stage.base.empty() ? "" : ": " + stage.base), "",
                stage.name->text, range);
        }
    }
};

}  // namespace

std::vector<CompletionItem> complete(const Dockerfile& df, Position pos) {
    return Completer(df, pos).run();
}

}  // namespace envbuilder::language
