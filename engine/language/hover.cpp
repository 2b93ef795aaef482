// Hover: documentation for keywords, flags and directives; values and declarations for
// variables; base image and line for stages.
#include <strings.h>

#include "language/dockerfile_docs.h"
#include "language/dockerfile_detail.h"
#include "syntax/dockerfile_parser.h"
#include "syntax/expansion.h"

namespace envbuilder::language {

using detail::human_line;
using dockerfile::Dockerfile;
using dockerfile::Instruction;
using dockerfile::InstructionKind;

namespace {

// Inline code that survives backticks inside the value.
std::string code(std::string_view text) {
    if (text.empty()) return "*(empty)*";
    if (text.find('`') == std::string_view::npos) return "`" + std::string(text) + "`";
    return "`` " + std::string(text) + " ``";
}

bool in_stage(const Dockerfile& df, size_t instruction) {
    auto stage = df.stage_of(instruction);
    return stage && df.stages[*stage].from_index != instruction;
}

// `raw` expanded with the variables of `scope`; nullopt when it needs one without a value.
std::optional<std::string> expanded(const Dockerfile& df, const std::string& raw,
                                    const Scope& scope) {
    dockerfile::VariableLookup lookup = [&](std::string_view n) {
        return scope.value(std::string(n));
    };
    auto e = dockerfile::expand(raw, lookup, df.escape);
    if (e.error || !e.unset.empty()) return std::nullopt;
    return e.value;
}

Scope global_scope(const StageModel& model) {
    Scope scope;
    for (const auto& [name, value] : model.global_args()) scope.vars[name] = value;
    return scope;
}

std::string declaration_title(const detail::VariableDecl& d) {
    return std::string(d.global ? "**global ARG** "
                       : d.env  ? "**ENV** "
                                : "**ARG** ") +
           code(d.name);
}

class HoverBuilder {
  public:
    HoverBuilder(const Dockerfile& df)
        : df_(df), model_(df), index_(detail::index_symbols(df, model_)) {}

    std::optional<Hover> at(Position pos) {
        for (const auto& use : index_.uses)
            if (use.whole.contains(pos)) return Hover{use_markdown(use), use.whole};
        for (const auto& ref : index_.stage_refs)
            if (ref.range.contains(pos)) return Hover{stage_markdown(ref), ref.range};
        for (const auto& decl : index_.decls)
            if (decl.key_range.contains(pos)) return Hover{decl_markdown(decl), decl.key_range};
        return std::nullopt;
    }

  private:
    const Dockerfile& df_;
    StageModel model_;
    detail::SymbolIndex index_;

    std::string line_of(const detail::VariableDecl& d) const {
        return "line " + std::to_string(human_line(d.key_range));
    }

    const detail::VariableDecl* global_named(const std::string& name) const {
        const detail::VariableDecl* found = nullptr;
        for (const auto& d : index_.decls)
            if (d.global && d.name == name) found = &d;
        return found;
    }

    std::string use_markdown(const detail::VariableUse& use) {
        const bool stage_instruction = in_stage(df_, use.instruction);
        std::optional<Scope> scope;
        if (stage_instruction) scope = detail::scope_before(df_, model_, use.instruction);
        if (!use.decl) return undeclared_markdown(use, stage_instruction, scope);

        const auto& d = index_.decls[*use.decl];
        std::string md = declaration_title(d) + "\n\n";
        if (stage_instruction && scope) {
            if (const std::string* v = scope->value(use.name))
                md += "Value here: " + code(*v) + "\n\n";
            else if (!d.env && !df_.instructions[d.instruction].pairs[d.pair].value && !d.imports)
                md += "No value here: declared without a default; set it with `--build-arg " +
                      d.name + "=...`.\n\n";
            else
                md += "Value not known here: it depends on variables without a value.\n\n";
        } else {
            const auto& kv = df_.instructions[d.instruction].pairs[d.pair];
            if (kv.value)
                md += "Value here: " + code(dockerfile::unquote(*kv.value, df_.escape)) + "\n\n";
            else
                md += "No default value; set it with `--build-arg " + d.name + "=...`.\n\n";
        }
        md += "Declared on " + line_of(d) + ".";
        if (d.imports)
            md += " It brings in the global ARG of " + line_of(index_.decls[*d.imports]) + ".";
        return md;
    }

    std::string undeclared_markdown(const detail::VariableUse& use, bool stage_instruction,
                                    const std::optional<Scope>& scope) {
        if (is_predefined_platform_arg(use.name)) {
            const auto* doc = docs::find(docs::platform_args(), use.name);
            std::string md = "**" + use.name + "**: platform argument set by the builder" +
                             (doc ? std::string(": ") + std::string(doc->summary) : "") + ".";
            if (stage_instruction)
                md += "\n\nNot declared in this stage: add `ARG " + use.name +
                      "` before using it here.";
            return md;
        }
        if (scope && scope->is_defined(use.name)) {
            std::string md =
                code(use.name) + " comes from the base image, not from this Dockerfile.";
            if (const std::string* v = scope->value(use.name)) md += "\n\nValue here: " + code(*v);
            return md;
        }
        std::string md =
            code(use.name) + " is not declared before this point (no ARG or ENV sets it).";
        if (const auto* g = global_named(use.name); g && stage_instruction)
            md += "\n\nA global ARG " + code(use.name) + " is declared on " + line_of(*g) +
                  "; add `ARG " + use.name + "` in this stage to use it.";
        return md;
    }

    std::string decl_markdown(const detail::VariableDecl& d) {
        const auto& kv = df_.instructions[d.instruction].pairs[d.pair];
        std::string md = declaration_title(d) + "\n\n";
        if (d.global) {
            md += kv.value ? "Default: " + code(dockerfile::unquote(*kv.value, df_.escape))
                           : std::string("No default value; set it with `--build-arg ") + d.name +
                                 "=...`.";
        } else {
            std::optional<Scope> scope = detail::scope_before(df_, model_, d.instruction);
            if (!scope) scope.emplace();
            if (kv.value) {
                if (auto v = expanded(df_, *kv.value, *scope))
                    md += "Value: " + code(*v);
                else
                    md += "Value: " + code(*kv.value) + " (depends on variables without a value)";
            } else if (d.imports) {
                const auto& g = df_.instructions[index_.decls[*d.imports].instruction]
                                    .pairs[index_.decls[*d.imports].pair];
                md += "Brings in the global ARG of " + line_of(index_.decls[*d.imports]) +
                      "; value: " +
                      (g.value ? code(dockerfile::unquote(*g.value, df_.escape))
                               : "none by default") +
                      ".";
            } else if (is_predefined_platform_arg(d.name)) {
                // `ARG TARGETARCH` in a stage: the builder supplies the value.
                const auto* doc = docs::find(docs::platform_args(), d.name);
                md += "Platform argument set by the builder" +
                      (doc ? ": " + std::string(doc->summary) : std::string()) + ".";
            } else {
                md += "No default value; set it with `--build-arg " + d.name + "=...`.";
            }
            // An ARG cannot override an ENV of the same name that is already in effect.
            if (!d.env) {
                auto before = detail::index_symbols(df_, model_, d.instruction).scope;
                if (auto it = before.find(d.name);
                    it != before.end() && index_.decls[it->second].env)
                    md += "\n\nThe ENV of " + line_of(index_.decls[it->second]) +
                          " takes precedence over this ARG.";
            }
        }
        md += "\n\nDeclared on " + line_of(d) + ".";
        return md;
    }

    std::string stage_markdown(const detail::StageRef& ref) {
        if (!ref.stage)
            return code(ref.text) +
                   " is not a stage of this Dockerfile: the builder uses it as an image (or a "
                   "named "
                   "build context).";
        const size_t s = *ref.stage;
        const auto& stage = df_.stages[s];
        const Instruction& from = df_.instructions[stage.from_index];
        std::string md = "**Stage** " +
                         (stage.name ? code(stage.name->text) : code(std::to_string(s))) +
                         " (stage " + std::to_string(s) + ", line " +
                         std::to_string(human_line(from.range)) + ")\n\n";
        if (auto parent = model_.stages()[s].parent) {
            md +=
                "Builds on stage " +
                code(df_.stages[*parent].name ? df_.stages[*parent].name->text : stage.base) +
                " (line " +
                std::to_string(human_line(df_.instructions[df_.stages[*parent].from_index].range)) +
                ").";
        } else if (stage.base.empty()) {
            md += "No base image given.";
        } else {
            md += "Base image: " + code(stage.base);
            if (stage.base.find('$') != std::string::npos) {
                if (auto v = expanded(df_, stage.base, global_scope(model_)))
                    md += " (" + code(*v) + " with the default build arguments)";
            }
        }
        if (const auto* platform = from.flag("platform"); platform && platform->value)
            md += "\n\nPlatform: " + code(*platform->value);
        return md;
    }
};

std::optional<Hover> keyword_or_flag(const Instruction& ins, Position pos) {
    if (ins.kind != InstructionKind::Unknown && ins.keyword_range.contains(pos))
        return Hover{std::string(docs::instruction(ins.kind).markdown), ins.keyword_range};
    for (const auto& f : ins.flags) {
        if (!f.name_range.contains(pos)) continue;
        if (const auto* doc = docs::flag(ins.kind, f.name))
            return Hover{std::string(doc->markdown), f.name_range};
        return std::nullopt;
    }
    if (ins.kind == InstructionKind::Healthcheck && !ins.words.empty() &&
        ins.words[0].range.contains(pos)) {
        for (const auto& sub : docs::healthcheck_subcommands())
            if (strcasecmp(std::string(sub.name).c_str(), ins.words[0].text.c_str()) == 0)
                return Hover{"**HEALTHCHECK " + std::string(sub.name) +
                                 "**: " + std::string(sub.summary) + ".",
                             ins.words[0].range};
    }
    return std::nullopt;
}

}  // namespace

std::optional<Hover> hover(const Dockerfile& df, Position pos) {
    for (const auto& d : df.directives) {
        if (!d.range.contains(pos)) continue;
        if (const auto* doc = docs::directive(d.name))
            return Hover{std::string(doc->markdown), d.range};
        return std::nullopt;
    }
    auto lines = detail::instruction_lines(df);
    auto index = detail::instruction_at_line(lines, pos.line);
    if (!index) return std::nullopt;
    const Instruction& ins = df.instructions[*index];
    if (auto h = keyword_or_flag(ins, pos)) return h;
    if (ins.trigger)
        if (auto h = keyword_or_flag(*ins.trigger, pos)) return h;
    return HoverBuilder(df).at(pos);
}

}  // namespace envbuilder::language
