// InvalidImageReference: the image named by FROM, or by a COPY --from that is neither a stage nor
// a stage index (BuildKit then pulls it as an image), must be a valid reference. FROM is expanded
// with the global ARGs first (their defaults, overridden by LintOptions::build_args), and checked
// only when every variable it uses has a value: otherwise the image is decided at build time.
#include "analysis/rules/instruction_checks.h"

#include <map>
#include <unordered_set>

#include "oci/reference.h"
#include "syntax/expansion.h"

namespace envbuilder::rules {

using dockerfile::Instruction;
using dockerfile::InstructionKind;
using namespace instruction_checks;

namespace {

// The global ARGs (before the first FROM) with a value, each default expanded with the ones
// declared before it, as BuildKit evaluates them.
std::map<std::string, std::string, std::less<>> global_args(const LintContext& ctx) {
    std::map<std::string, std::string, std::less<>> values;
    dockerfile::VariableLookup lookup = [&](std::string_view name) -> const std::string* {
        auto it = values.find(name);
        return it == values.end() ? nullptr : &it->second;
    };
    for (size_t index : ctx.df.global_instructions) {
        const Instruction& ins = ctx.df.instructions[index];
        if (ins.kind != InstructionKind::Arg) continue;
        for (const auto& kv : ins.pairs) {
            auto given = ctx.options.build_args.find(kv.key);
            if (given != ctx.options.build_args.end()) {
                values[kv.key] = given->second;
            } else if (kv.value) {
                values[kv.key] = dockerfile::expand(*kv.value, lookup, ctx.df.escape).value;
            } else {
                values.erase(kv.key);
            }
        }
    }
    return values;
}

Range error_range(const LintContext& ctx, const Range& whole, std::string_view raw, size_t offset) {
    if (raw.empty()) return whole;
    size_t begin = std::min(offset, raw.size() - 1);
    return sub_range(ctx.df.source, whole, raw, begin, raw.size());
}

using ArgValues = std::map<std::string, std::string, std::less<>>;

// Checks the base image of stage `i`; `earlier` holds the lower-cased names of the stages above.
void check_base(LintContext& ctx, size_t i, const std::unordered_set<std::string>& earlier,
                std::optional<ArgValues>& args) {
    const Instruction& from = ctx.df.instructions[ctx.df.stages[i].from_index];
    if (from.words.empty()) return;
    const auto& word = from.words[0];
    std::string image = word.text;
    bool expanded = false;
    if (word.text.find_first_of("$'\"") != std::string::npos ||
        word.text.find(ctx.df.escape) != std::string::npos) {
        if (!args) args = global_args(ctx);  // built on first need
        dockerfile::VariableLookup lookup = [&](std::string_view name) -> const std::string* {
            auto it = args->find(name);
            return it == args->end() ? nullptr : &it->second;
        };
        dockerfile::Expansion e = dockerfile::expand(word.text, lookup, ctx.df.escape);
        // Syntax errors are UnterminatedQuote's and UnsupportedModifier's; an empty result is
        // the InvalidDefaultArgInFrom build check's.
        if (e.error || !e.unset.empty() || e.value.empty()) return;
        expanded = e.value != word.text;
        image = std::move(e.value);
    }
    // An earlier stage of that name is used as the base instead of an image (BuildKit compares
    // stage names without case).
    if (image == "scratch" || earlier.count(lower(image))) return;
    auto result = oci::parse_reference(image);
    const oci::ReferenceError* err = oci::get_error(result);
    if (!err) return;
    std::string message = "invalid image reference '" + image + "'";
    if (expanded) message += " (from " + word.text + ")";
    message += ": " + err->message;
    if (lower(image) == "scratch") message += " (the empty base image is spelled 'scratch')";
    Range r = expanded ? word.range : error_range(ctx, word.range, word.text, err->offset);
    ctx.report(r, std::move(message));
}

void check_from(LintContext& ctx) {
    std::optional<ArgValues> args;
    std::unordered_set<std::string> earlier;
    for (size_t i = 0; i < ctx.df.stages.size(); ++i) {
        check_base(ctx, i, earlier, args);
        if (const auto& name = ctx.df.stages[i].name) earlier.insert(lower(name->text));
    }
}

void check_copy_from(LintContext& ctx) {
    std::unordered_set<std::string> stages;  // lower-cased, as BuildKit looks them up
    for (const auto& stage : ctx.df.stages)
        if (stage.name) stages.insert(lower(stage.name->text));
    ctx.each_instruction(
        [&](const Instruction& ins, size_t) {
            if (ins.kind != InstructionKind::Copy) return;
            for (const dockerfile::Flag& flag : ins.flags) {
                if (flag.name != "from" || !flag.value || flag.value->empty()) continue;
                const std::string& v = *flag.value;
                // Variables are resolved per stage at build time; a leading symbol is
                // InvalidFlagValue's; digits are a stage index; a name is a stage.
                if (has_variable(v) || !std::isalnum(static_cast<unsigned char>(v[0])) ||
                    is_digits(v) || stages.count(lower(v)))
                    continue;
                auto result = oci::parse_reference(v);
                const oci::ReferenceError* err = oci::get_error(result);
                if (!err) continue;
                auto raw = single_line_text(ctx.df.source, flag.value_range);
                Range r = raw && *raw == v ? error_range(ctx, flag.value_range, v, err->offset)
                                           : flag.value_range;
                ctx.report(r, "--from=" + v +
                                  " names no stage of this Dockerfile, so it is read as an image "
                                  "reference, which is invalid: " +
                                  err->message);
            }
        },
        /*with_triggers=*/true);
}

void check(LintContext& ctx) {
    check_from(ctx);
    check_copy_from(ctx);
}

}  // namespace

const Rule invalid_image_reference_rule = {
    {"InvalidImageReference", "An image reference in FROM or COPY --from is malformed", "",
     Severity::Error},
    check};

}  // namespace envbuilder::rules
