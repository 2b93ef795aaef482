#include "analysis/rules/rule.h"

namespace envbuilder::rules {
namespace {
// A key is suspicious when one of its underscore-separated parts is a secret word, unless another
// part marks it as harmless (a public key, a file path, a version).
bool looks_secret(std::string_view key) {
    static const char* deny[] = {"apikey", "auth", "credential", "credentials", "key",
                                 "password", "pword", "passwd", "secret", "token"};
    static const char* allow[] = {"public", "file", "version"};
    bool denied = false, allowed = false;
    std::string k = lower(key);
    size_t start = 0;
    while (start <= k.size()) {
        size_t end = k.find('_', start);
        if (end == std::string::npos) end = k.size();
        std::string_view part(k.data() + start, end - start);
        for (const char* d : deny) denied |= part == d;
        for (const char* a : allow) allowed |= part == a;
        start = end + 1;
    }
    return denied && !allowed;
}

void check(LintContext& ctx) {
    for (const auto& stage : ctx.df.stages) {
        for (size_t i : stage.instructions) {
            const auto& ins = ctx.df.instructions[i];
            if (ins.kind != dockerfile::InstructionKind::Arg && ins.kind != dockerfile::InstructionKind::Env) continue;
            for (const auto& kv : ins.pairs) {
                if (!looks_secret(kv.key)) continue;
                ctx.report(kv.key_range, "Do not use ARG or ENV instructions for sensitive data (" +
                                             upper(ins.keyword) + " \"" + kv.key +
                                             "\"): it stays in the image history; use a secret mount instead");
            }
        }
    }
}
}  // namespace
extern const Rule secrets_used_in_arg_or_env{
    {"SecretsUsedInArgOrEnv", "Sensitive data should not be passed through ARG or ENV",
     ENVBUILDER_BUILD_CHECK_URL("secrets-used-in-arg-or-env"), Severity::Warning, true},
    check};
}  // namespace envbuilder::rules
