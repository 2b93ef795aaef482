// InvalidProtocol: the protocol after '/' in an EXPOSE port must be tcp, udp or sctp. BuildKit
// compares without case (and lowercases what it stores), so "80/TCP" is fine here; its casing is
// the ExposeProtoCasing build check's business.
#include "analysis/rules/instruction_checks.h"

namespace envbuilder::rules {

using namespace instruction_checks;

namespace {

void check(LintContext& ctx) {
    constexpr std::string_view kProtocols[] = {"tcp", "udp", "sctp"};
    ctx.each_of_kind(InstructionKind::Expose, [&](const Instruction& ins) {
        for (const auto& word : ins.words) {
            auto spec = split_expose_word(word.text, ctx.df.escape);
            if (!spec || !spec->proto) continue;
            std::string proto = lower(*spec->proto);
            if (proto == "tcp" || proto == "udp" || proto == "sctp") continue;
            std::string message = "unknown protocol '" + std::string(*spec->proto) + "'";
            Range r = word.range;
            std::optional<Fix> fix;
            if (spec->exact) {
                size_t b = spec->offset + spec->proto_begin;
                r = sub_range(ctx.df.source, word.range, word.text, b, b + spec->proto->size());
            }
            if (auto near = closest_match(proto, kProtocols)) {
                message += " (did you mean " + std::string(*near) + "?)";
                if (r != word.range)
                    fix = replace_fix("Change to " + std::string(*near), r, std::string(*near));
            }
            ctx.report(r, message + "; EXPOSE accepts tcp, udp or sctp", std::move(fix));
        }
    });
}

}  // namespace

const Rule invalid_protocol_rule = {
    {"InvalidProtocol", "An EXPOSE protocol is not tcp, udp or sctp", "", Severity::Error}, check};

}  // namespace envbuilder::rules
