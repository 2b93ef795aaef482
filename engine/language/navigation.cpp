// Definition and references, and the document model the other features share: where each
// instruction's lines are, which declaration every variable reference resolves to, and where
// stages are named.
#include <algorithm>
#include <cctype>

#include "analysis/dockerfile_lint.h"
#include "language/dockerfile_detail.h"
#include "syntax/expansion.h"
#include "syntax/logical_line.h"

namespace envbuilder::language {

using dockerfile::Dockerfile;
using dockerfile::Instruction;
using dockerfile::InstructionKind;

namespace detail {

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

// Exec-form commands are not expanded by the builder and run without a shell, so a `$X` in them
// is text, not a reference.
bool exec_form_is_literal(InstructionKind kind) {
    return kind == InstructionKind::Run || kind == InstructionKind::Cmd ||
           kind == InstructionKind::Entrypoint || kind == InstructionKind::Shell ||
           kind == InstructionKind::Healthcheck;
}

struct RawRef {
    std::string name;
    Range range;
    Range whole;
};

class Indexer {
  public:
    Indexer(const Dockerfile& df, const StageModel& model, std::optional<size_t> scope_of)
        : df_(df), model_(model), lines_(instruction_lines(df)), scope_of_(scope_of) {}

    SymbolIndex run() {
        for (size_t i : df_.global_instructions) {
            if (scope_of_ == i) index_.scope = globals_;
            auto refs = scan(i);
            if (df_.instructions[i].kind == InstructionKind::Arg)
                declare_args(i, refs, globals_, /*global=*/true);
            else
                bind_all(refs, i, globals_);
        }
        std::vector<std::map<std::string, size_t>> finals(df_.stages.size());
        for (size_t s = 0; s < df_.stages.size(); ++s) {
            const auto& stage = df_.stages[s];
            const auto& info = model_.stages()[s];
            // FROM lines see the global ARGs only.
            if (scope_of_ == stage.from_index) index_.scope = globals_;
            bind_all(scan(stage.from_index), stage.from_index, globals_);
            if (info.parent)
                index_.stage_refs.push_back(
                    {stage.base, stage.base_range, stage.from_index, info.parent, false, false});
            if (stage.name)
                index_.stage_refs.push_back(
                    {stage.name->text, stage.name->range, stage.from_index, s, true, false});

            // A stage built on an earlier one inherits its variables.
            std::map<std::string, size_t> env;
            if (info.parent) env = finals[*info.parent];
            for (size_t i : stage.instructions) {
                if (scope_of_ == i) index_.scope = env;
                auto refs = scan(i);
                const Instruction& ins = df_.instructions[i];
                if (ins.kind == InstructionKind::Env) {
                    // Every pair of one ENV expands against the variables from before it.
                    bind_all(refs, i, env);
                    for (size_t k = 0; k < ins.pairs.size(); ++k)
                        env[ins.pairs[k].key] = declare(ins, i, k, /*env=*/true, false);
                } else if (ins.kind == InstructionKind::Arg) {
                    declare_args(i, refs, env, /*global=*/false);
                } else {
                    bind_all(refs, i, env);
                }
            }
            finals[s] = std::move(env);
            for (const auto& dep : info.dependencies)
                index_.stage_refs.push_back(
                    {dep.name, dep.range, dep.instruction, dep.stage, false, dep.numeric});
        }
        return std::move(index_);
    }

  private:
    const Dockerfile& df_;
    const StageModel& model_;
    std::vector<InstructionLines> lines_;
    std::optional<size_t> scope_of_;
    SymbolIndex index_;
    std::map<std::string, size_t> globals_;

    // The variable references of instruction `i`: its logical line rebuilt the way the parser
    // joins it (so offsets map back exactly), then the heredoc bodies the builder expands.
    std::vector<RawRef> scan(size_t i) {
        std::vector<RawRef> out;
        const Instruction& ins = df_.instructions[i];
        if (ins.kind == InstructionKind::Unknown) return out;
        const SourceText& src = df_.source;
        const InstructionLines& il = lines_[i];
        dockerfile::LogicalLine logical(src);
        for (uint32_t l = il.first; l <= il.last && l < src.line_count(); ++l) {
            std::string_view text = src.line(l);
            if (l != il.first && (is_blank_line(text) || is_comment_line(text))) continue;
            auto cut = continuation_escape(text, df_.escape);
            logical.append(l, 0, cut ? *cut : text.size());
        }
        if (logical.text().find('$') != std::string::npos) {
            const Instruction& target = ins.trigger ? *ins.trigger : ins;
            const bool literal_args = target.json && exec_form_is_literal(target.kind);
            auto scan = dockerfile::scan_variable_references(logical.text(), df_.escape);
            for (const auto& r : scan.references) {
                Range name = logical.range(r.name_begin, r.name_end);
                if (literal_args && target.arguments_range.start <= name.start) continue;
                out.push_back({r.name, name, logical.range(r.begin, r.end)});
            }
        }
        for (const auto& h : ins.heredocs) {
            if (!h.expand) continue;
            uint32_t first = h.body_range.start.line;
            uint32_t end = h.terminated ? h.body_range.end.line : h.body_range.end.line + 1;
            for (uint32_t l = first; l < end && l < src.line_count(); ++l) {
                std::string_view text = src.line(l);
                if (text.find('$') == std::string_view::npos) continue;
                for (const auto& r :
                     dockerfile::scan_variable_references(text, df_.escape).references)
                    out.push_back({r.name,
                                   {src.from_bytes(l, r.name_begin), src.from_bytes(l, r.name_end)},
                                   {src.from_bytes(l, r.begin), src.from_bytes(l, r.end)}});
            }
        }
        return out;
    }

    void bind(const RawRef& r, size_t i, const std::map<std::string, size_t>& env) {
        VariableUse use{r.name, r.range, r.whole, i, std::nullopt};
        if (auto it = env.find(r.name); it != env.end()) use.decl = it->second;
        index_.uses.push_back(std::move(use));
    }

    void bind_all(const std::vector<RawRef>& refs, size_t i,
                  const std::map<std::string, size_t>& env) {
        for (const auto& r : refs) bind(r, i, env);
    }

    size_t declare(const Instruction& ins, size_t i, size_t k, bool env, bool global) {
        const auto& kv = ins.pairs[k];
        VariableDecl d{kv.key, kv.key_range, i, k, env, global, std::nullopt};
        // `ARG NAME` without a value inside a stage brings the global of that name in.
        if (!env && !global && !kv.value)
            if (auto g = globals_.find(kv.key); g != globals_.end()) d.imports = g->second;
        index_.decls.push_back(std::move(d));
        return index_.decls.size() - 1;
    }

    // ARG declarations take effect one after the other (`ARG A=1 B=$A` sees A). An ARG does not
    // replace an ENV of the same name: the ENV value wins.
    void declare_args(size_t i, const std::vector<RawRef>& refs, std::map<std::string, size_t>& env,
                      bool global) {
        const Instruction& ins = df_.instructions[i];
        std::vector<size_t> pair_of(refs.size(), ins.pairs.size());
        for (size_t r = 0; r < refs.size(); ++r)
            for (size_t k = 0; k < ins.pairs.size(); ++k)
                if (ins.pairs[k].range.contains(refs[r].range.start)) {
                    pair_of[r] = k;
                    break;
                }
        for (size_t r = 0; r < refs.size(); ++r)
            if (pair_of[r] == ins.pairs.size()) bind(refs[r], i, env);
        for (size_t k = 0; k < ins.pairs.size(); ++k) {
            for (size_t r = 0; r < refs.size(); ++r)
                if (pair_of[r] == k) bind(refs[r], i, env);
            size_t id = declare(ins, i, k, false, global);
            auto it = env.find(ins.pairs[k].key);
            if (it == env.end() || !index_.decls[it->second].env) env[ins.pairs[k].key] = id;
        }
    }
};

}  // namespace

bool is_blank_line(std::string_view line) {
    return std::all_of(line.begin(), line.end(), is_space);
}

bool is_comment_line(std::string_view line) {
    size_t i = 0;
    while (i < line.size() && is_space(line[i])) ++i;
    return i < line.size() && line[i] == '#';
}

std::optional<size_t> continuation_escape(std::string_view line, char escape) {
    size_t n = line.size();
    while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t')) --n;
    if (n == 0 || line[n - 1] != escape) return std::nullopt;
    return n - 1;
}

std::vector<InstructionLines> instruction_lines(const Dockerfile& df) {
    // Replays the parser's line loop: directives occupy the first lines, then every instruction
    // starts at the next line that is neither blank nor a comment.
    const SourceText& src = df.source;
    const uint32_t count = src.line_count();
    std::vector<InstructionLines> out;
    out.reserve(df.instructions.size());
    uint32_t line = static_cast<uint32_t>(df.directives.size());
    for (const Instruction& ins : df.instructions) {
        while (line < count && (is_blank_line(src.line(line)) || is_comment_line(src.line(line))))
            ++line;
        InstructionLines il{line, line, line};
        for (uint32_t l = line; l < count; ++l) {
            std::string_view text = src.line(l);
            if (l != il.first && (is_blank_line(text) || is_comment_line(text))) continue;
            il.last = l;
            if (!continuation_escape(text, df.escape)) break;
        }
        il.end = il.last;
        for (const auto& h : ins.heredocs)
            if (h.body_range.end.line > il.end) il.end = h.body_range.end.line;
        line = il.end + 1;
        out.push_back(il);
    }
    return out;
}

std::optional<size_t> instruction_at_line(const std::vector<InstructionLines>& lines,
                                          uint32_t line) {
    auto it = std::upper_bound(lines.begin(), lines.end(), line,
                               [](uint32_t v, const InstructionLines& l) { return v < l.first; });
    if (it == lines.begin()) return std::nullopt;
    --it;
    if (line > it->end) return std::nullopt;
    return static_cast<size_t>(it - lines.begin());
}

SymbolIndex index_symbols(const Dockerfile& df, const StageModel& model,
                          std::optional<size_t> scope_of) {
    return Indexer(df, model, scope_of).run();
}

std::optional<Scope> scope_before(const Dockerfile& df, const StageModel& model, size_t index) {
    std::optional<Scope> out;
    walk_stage_scopes(df, model, LintOptions{}, [&](size_t, size_t i, const Scope& scope) {
        if (i == index) out = scope;
    });
    return out;
}

}  // namespace detail

namespace {

using detail::SymbolIndex;

// What the cursor is on, for definition and references.
struct Target {
    enum Kind { None, Stage, Variable } kind = None;
    size_t id = 0;                // stage index or declaration index
    bool on_declaration = false;  // the cursor is on the ARG/ENV key itself
};

Target target_at(const SymbolIndex& index, Position pos) {
    for (const auto& ref : index.stage_refs)
        if (ref.stage && ref.range.contains(pos))
            return {Target::Stage, *ref.stage, ref.declaration};
    for (const auto& use : index.uses)
        if (use.whole.contains(pos))
            return use.decl ? Target{Target::Variable, *use.decl, false} : Target{};
    for (size_t d = 0; d < index.decls.size(); ++d)
        if (index.decls[d].key_range.contains(pos)) return {Target::Variable, d, true};
    return {};
}

Range stage_declaration(const Dockerfile& df, size_t stage) {
    const auto& st = df.stages[stage];
    if (st.name) return st.name->range;
    if (!st.base.empty()) return st.base_range;
    return df.instructions[st.from_index].keyword_range;
}

void sort_ranges(std::vector<Range>& ranges) {
    std::sort(ranges.begin(), ranges.end(),
              [](const Range& a, const Range& b) { return a.start < b.start; });
}

}  // namespace

std::optional<Range> definition(const Dockerfile& df, Position pos) {
    StageModel model(df);
    auto index = detail::index_symbols(df, model);
    Target t = target_at(index, pos);
    switch (t.kind) {
        case Target::Stage:
            return stage_declaration(df, t.id);
        case Target::Variable: {
            const auto& decl = index.decls[t.id];
            // On `ARG NAME` that re-declares a global, the global is where the value comes from.
            if (t.on_declaration && decl.imports) return index.decls[*decl.imports].key_range;
            return decl.key_range;
        }
        case Target::None:
            break;
    }
    return std::nullopt;
}

std::vector<Range> references(const Dockerfile& df, Position pos, bool include_declaration) {
    StageModel model(df);
    auto index = detail::index_symbols(df, model);
    Target t = target_at(index, pos);
    std::vector<Range> out;
    if (t.kind == Target::Stage) {
        // Numeric references (`--from=0`) are not occurrences of the name.
        for (const auto& ref : index.stage_refs)
            if (ref.stage == t.id && !ref.numeric && (include_declaration || !ref.declaration))
                out.push_back(ref.range);
    } else if (t.kind == Target::Variable) {
        for (const auto& use : index.uses)
            if (use.decl == t.id) out.push_back(use.range);
        // A stage `ARG NAME` that imports a global is a use of that global.
        for (const auto& decl : index.decls)
            if (decl.imports == t.id) out.push_back(decl.key_range);
        if (include_declaration) out.push_back(index.decls[t.id].key_range);
    }
    sort_ranges(out);
    return out;
}

}  // namespace envbuilder::language
