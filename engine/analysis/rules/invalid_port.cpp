// InvalidPort: each EXPOSE port is a number 0-65535 or a range low-high with high >= low, as
// BuildKit's port parsing requires. Words with a variable are expanded at build time and skipped;
// words with ':' (host IP or host-port mapping) are the ExposeInvalidFormat build check's.
#include "analysis/rules/instruction_checks.h"

namespace envbuilder::rules {

using dockerfile::Instruction;
using dockerfile::InstructionKind;
using namespace instruction_checks;

namespace {

std::optional<uint32_t> port_number(std::string_view s) {
    if (!is_digits(s) || s.size() > 5) return std::nullopt;
    uint32_t n = 0;
    for (char c : s) n = n * 10 + static_cast<uint32_t>(c - '0');
    if (n > 65535) return std::nullopt;
    return n;
}

// An error text for a bad port spec, or nullopt.
std::optional<std::string> port_problem(std::string_view port) {
    const std::string q = "'" + std::string(port) + "'";
    if (port.empty()) return "no port number before '/'";
    size_t dash = port.find('-');
    if (dash == std::string_view::npos) {
        if (port_number(port)) return std::nullopt;
        return is_digits(port)
                   ? "port " + q + " is out of range (0-65535)"
                   : q + " is not a port number (expected 0-65535 or a range such as 8000-8010)";
    }
    auto low = port_number(port.substr(0, dash));
    auto high = port_number(port.substr(dash + 1));
    if (!low || !high)
        return "invalid port range " + q + ": expected <low>-<high> with both in 0-65535";
    if (*high < *low) return "invalid port range " + q + ": the end is below the start";
    return std::nullopt;
}

void check(LintContext& ctx) {
    ctx.each_instruction(
        [&](const Instruction& ins, size_t) {
            if (ins.kind != InstructionKind::Expose) return;
            for (const auto& word : ins.words) {
                auto spec = split_expose_word(word.text, ctx.df.escape);
                if (!spec) continue;
                auto problem = port_problem(spec->port);
                if (!problem) continue;
                Range r = word.range;
                if (spec->exact) {
                    size_t b = spec->offset + spec->port_begin;
                    // An empty port ("/tcp") points at the '/'.
                    size_t e = spec->port.empty() ? b + 1 : b + spec->port.size();
                    r = sub_range(ctx.df.source, word.range, word.text, b,
                                  std::min(e, word.text.size()));
                }
                ctx.report(r, std::move(*problem));
            }
        },
        /*with_triggers=*/true);
}

}  // namespace

const Rule invalid_port_rule = {
    {"InvalidPort", "An EXPOSE port is not a number or range within 0-65535", "", Severity::Error},
    check};

}  // namespace envbuilder::rules
