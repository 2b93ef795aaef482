// Document symbols: the outline of a Dockerfile, one node per stage holding its instructions.
#include "language/dockerfile_features.h"

namespace envbuilder::language {

using dockerfile::Dockerfile;
using dockerfile::Instruction;
using dockerfile::InstructionKind;

namespace {

constexpr size_t kSummaryLength = 40;

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

// Appends `text` with whitespace runs collapsed, stopping after `limit` bytes at a character
// boundary; returns false when it had to cut.
bool append_collapsed(std::string& out, std::string_view text, size_t limit) {
    for (char c : text) {
        if (is_space(c)) {
            if (!out.empty() && out.back() != ' ') out.push_back(' ');
            continue;
        }
        // Only cut before the first byte of a UTF-8 sequence, never inside one.
        if (out.size() >= limit && (static_cast<unsigned char>(c) & 0xC0) != 0x80) return false;
        out.push_back(c);
    }
    return true;
}

// "RUN apt-get update && apt-get install …": the keyword and the start of what follows it.
std::string instruction_name(const Instruction& ins) {
    std::string text;
    for (const auto& flag : ins.flags)
        text += "--" + flag.name + (flag.value ? "=" + *flag.value : "") + " ";
    text += ins.arguments;
    std::string rest;
    const bool complete = append_collapsed(rest, text, kSummaryLength);
    while (!rest.empty() && rest.back() == ' ') rest.pop_back();
    std::string name = ins.keyword;
    if (!rest.empty()) name += " " + rest;
    if (!complete) name += "…";
    return name;
}

DocumentSymbol instruction_symbol(const Instruction& ins) {
    DocumentSymbol s;
    s.name = instruction_name(ins);
    s.kind = ins.kind == InstructionKind::Arg || ins.kind == InstructionKind::Env
                 ? SymbolKind::Variable
                 : SymbolKind::Instruction;
    s.range = ins.range;
    s.selection_range = ins.keyword_range;
    return s;
}

}  // namespace

std::vector<DocumentSymbol> document_symbols(const Dockerfile& df) {
    std::vector<DocumentSymbol> out;
    for (const auto& d : df.directives)
        out.push_back({d.name, d.value, SymbolKind::Directive, d.range, d.range, {}});
    for (size_t i : df.global_instructions) out.push_back(instruction_symbol(df.instructions[i]));
    for (size_t s = 0; s < df.stages.size(); ++s) {
        const auto& stage = df.stages[s];
        const Instruction& from = df.instructions[stage.from_index];
        DocumentSymbol sym;
        sym.kind = SymbolKind::Stage;
        if (stage.name) {
            sym.name = stage.name->text;
            sym.detail = stage.base;
            sym.selection_range = stage.name->range;
        } else {
            sym.name = "stage " + std::to_string(s) + (stage.base.empty() ? "" : ": " + stage.base);
            sym.selection_range = stage.base.empty() ? from.keyword_range : stage.base_range;
        }
        sym.range = from.range;
        for (size_t i : stage.instructions) {
            sym.children.push_back(instruction_symbol(df.instructions[i]));
            sym.range.end = df.instructions[i].range.end;
        }
        out.push_back(std::move(sym));
    }
    return out;
}

}  // namespace envbuilder::language
