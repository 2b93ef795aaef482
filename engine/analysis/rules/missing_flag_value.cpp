// MissingFlagValue: value-taking flags given bare (`--from`) or empty (`--from=`), and boolean
// flags given `--link=` (BuildKit accepts `--link` alone but not an empty value).
#include "analysis/rules/instruction_checks.h"

namespace envbuilder::rules {

using dockerfile::Instruction;
using namespace instruction_checks;

namespace {

// What the value looks like, for the message.
const char* example(std::string_view flag) {
    if (flag == "platform") return "--platform=linux/amd64";
    if (flag == "from") return "--from=<stage or image>";
    if (flag == "chown") return "--chown=<user>[:<group>]";
    if (flag == "chmod") return "--chmod=0644";
    if (flag == "checksum") return "--checksum=sha256:<hex>";
    if (flag == "exclude") return "--exclude=<pattern>";
    if (flag == "mount") return "--mount=type=cache,target=<path>";
    if (flag == "network") return "--network=default|none|host";
    if (flag == "security") return "--security=sandbox|insecure";
    if (flag == "device") return "--device=<name>";
    if (flag == "retries") return "--retries=3";
    return nullptr;  // durations
}

void check_instruction(LintContext& ctx, const Instruction& ins) {
    if (!flags_are_parsed(ins)) return;
    for (const dockerfile::Flag& flag : ins.flags) {
        const FlagSpec* spec = find_flag(ins.kind, flag.name);
        if (!spec) continue;
        if (spec->type == FlagType::Bool) {
            if (flag.value && flag.value->empty()) {
                const std::string dashed = "--" + flag.name;
                ctx.report(flag.range,
                           dashed + "= has an empty value: write " + dashed + ", " + dashed +
                               "=true or " + dashed + "=false",
                           replace_fix("Change to " + dashed, flag.range, dashed));
            }
            continue;
        }
        if (flag.value && !flag.value->empty()) continue;
        const std::string dashed = "--" + flag.name;
        const char* ex = example(flag.name);
        std::string hint = ex ? std::string(ex) : dashed + "=<duration>, e.g. " + dashed + "=30s";
        ctx.report(flag.range,
                   (flag.value ? dashed + "= has an empty value" : dashed + " needs a value") +
                       ": " + hint);
    }
}

void check(LintContext& ctx) {
    ctx.each_instruction([&](const Instruction& ins, size_t) { check_instruction(ctx, ins); },
                         /*with_triggers=*/true);
}

}  // namespace

const Rule missing_flag_value_rule = {
    {"MissingFlagValue", "A flag that needs a value has none", "", Severity::Error}, check};

}  // namespace envbuilder::rules
