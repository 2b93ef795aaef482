// InvalidFlagValue: a known flag whose value BuildKit rejects: booleans, HEALTHCHECK durations
// and retries, --chmod, FROM --platform, ADD --checksum and the shape of COPY --from. Values with a
// variable are left alone where BuildKit expands them (chmod, platform, checksum, from); the
// HEALTHCHECK and boolean flags are never expanded, so a `$` there is just wrong.
#include "analysis/rules/instruction_checks.h"
#include "syntax/file_mode.h"
#include "syntax/go_duration.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <limits>
#include <vector>

namespace envbuilder::rules {

using dockerfile::Instruction;
using dockerfile::InstructionKind;
using namespace instruction_checks;

namespace {

std::string in_quotes(std::string_view s) {
    return "'" + std::string(s) + "'";
}

constexpr std::array<std::string_view, 16> kKnownOS = {
    "aix", "android", "darwin", "dragonfly", "freebsd", "hurd",  "illumos", "ios",
    "js",  "linux",   "nacl",   "netbsd",    "openbsd", "plan9", "solaris", "windows"};
constexpr std::array<std::string_view, 32> kKnownArch = {
    "386",     "amd64",   "amd64p32", "arm",     "armbe",  "arm64",    "arm64be",   "ppc64",
    "ppc64le", "loong64", "mips",     "mipsle",  "mips64", "mips64le", "mips64p32", "mips64p32le",
    "ppc",     "riscv",   "riscv64",  "s390",    "s390x",  "sparc",    "sparc64",   "wasm",
    "i386",    "x86_64",  "x86-64",   "aarch64", "armhf",  "armel",    "zos",       "loongarch64"};

// containerd's platforms.Parse: os[/arch[/variant]], each part [A-Za-z0-9_.-]+ (the OS may carry
// a "(version)" suffix). A lone part must be a known OS or architecture.
std::optional<std::string> check_platform(std::string_view v) {
    const std::string hint = "; expected os[/arch[/variant]], e.g. linux/amd64 or linux/arm64/v8";
    std::vector<std::string_view> parts;
    size_t start = 0;
    while (true) {
        size_t slash = v.find('/', start);
        parts.push_back(v.substr(
            start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    if (parts.size() > 3) return "too many '/'-separated parts in platform " + in_quotes(v) + hint;
    for (size_t k = 0; k < parts.size(); ++k) {
        std::string_view p = parts[k];
        if (k == 0 && p.size() > 2 && p.back() == ')') {
            size_t open = p.find('(');
            if (open != std::string_view::npos && open > 0) p = p.substr(0, open);
        }
        if (p.empty()) return "empty part in platform " + in_quotes(v) + hint;
        for (char c : p)
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '-')
                return "invalid character '" + std::string(1, c) + "' in platform " + in_quotes(v) +
                       hint;
    }
    if (parts.size() == 1) {
        std::string p = lower(parts[0]);
        bool known = std::find(kKnownOS.begin(), kKnownOS.end(), p) != kKnownOS.end() ||
                     std::find(kKnownArch.begin(), kKnownArch.end(), p) != kKnownArch.end();
        if (!known) return "unknown operating system or architecture " + in_quotes(v) + hint;
    }
    return std::nullopt;
}

std::optional<std::string> check_checksum(std::string_view v) {
    size_t colon = v.find(':');
    std::string_view algorithm = v.substr(0, colon);
    size_t want = algorithm == "sha256"   ? 64
                  : algorithm == "sha384" ? 96
                  : algorithm == "sha512" ? 128
                                          : 0;
    if (colon == std::string_view::npos || want == 0)
        return "--checksum takes sha256:<64 hex>, sha384:<96 hex> or sha512:<128 hex>, not " +
               in_quotes(v);
    std::string_view hex = v.substr(colon + 1);
    for (char c : hex) {
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) continue;
        if (std::isxdigit(static_cast<unsigned char>(c)))
            return "--checksum digest must be lowercase hex";
        return "invalid character '" + std::string(1, c) +
               "' in --checksum digest (expected hex digits)";
    }
    if (hex.size() != want)
        return "a " + std::string(algorithm) + " checksum has " + std::to_string(want) +
               " hex digits, this one has " + std::to_string(hex.size());
    return std::nullopt;
}

// strconv.ParseInt(v, 10, 32).
std::optional<int64_t> parse_int32(std::string_view v) {
    bool negative = false;
    if (!v.empty() && (v[0] == '-' || v[0] == '+')) {
        negative = v[0] == '-';
        v.remove_prefix(1);
    }
    if (!is_digits(v)) return std::nullopt;
    int64_t n = 0;
    for (char c : v) {
        n = n * 10 + (c - '0');
        if (n > (int64_t{1} << 31)) return std::nullopt;
    }
    n = negative ? -n : n;
    if (n > std::numeric_limits<int32_t>::max() || n < std::numeric_limits<int32_t>::min())
        return std::nullopt;
    return n;
}

bool is_duration_flag(std::string_view name) {
    return name == "interval" || name == "timeout" || name == "start-period" ||
           name == "start-interval";
}

void check_instruction(LintContext& ctx, const Instruction& ins) {
    if (!flags_are_parsed(ins)) return;
    for (const dockerfile::Flag& flag : ins.flags) {
        const FlagSpec* spec = find_flag(ins.kind, flag.name);
        if (!spec || !flag.value || flag.value->empty()) continue;  // MissingFlagValue's job
        const std::string& v = *flag.value;
        auto dashed = [&] { return "--" + flag.name; };  // for messages only
        std::optional<std::string> problem;

        if (spec->type == FlagType::Bool) {
            std::string l = lower(v);
            if (l != "true" && l != "false")
                problem = dashed() + " takes true or false, not " + in_quotes(v);
        } else if (ins.kind == InstructionKind::Healthcheck && is_duration_flag(flag.name)) {
            // BuildKit (parseOptInterval): 0 means "use the default"; anything else must be at
            // least 1ms. Negative durations are below 1ms too.
            int64_t ns = 0;
            if (auto e = dockerfile::parse_healthcheck_duration(v, ns)) problem = dashed() + *e;
        } else if (ins.kind == InstructionKind::Healthcheck && flag.name == "retries") {
            // Current BuildKit parses --retries with ParseInt(v, 10, 32) and rejects only negative
            // numbers (0 means the default); older releases required at least 1. We follow the
            // current behaviour.
            auto n = parse_int32(v);
            if (!n)
                problem = "--retries takes a whole number, not " + in_quotes(v);
            else if (*n < 0)
                problem = "--retries cannot be negative (" + v + ")";
        } else if (flag.name == "chmod") {
            std::string why;
            if (!has_variable(v) && !dockerfile::FileMode::parse(v, &why)) problem = why;
        } else if (ins.kind == InstructionKind::From && flag.name == "platform") {
            if (!has_variable(v)) problem = check_platform(v);
        } else if (ins.kind == InstructionKind::Add && flag.name == "checksum") {
            if (!has_variable(v)) problem = check_checksum(v);
        } else if (ins.kind == InstructionKind::Copy && flag.name == "from") {
            if (!has_variable(v) && !std::isalnum(static_cast<unsigned char>(v[0])))
                problem =
                    "--from takes a stage name, a stage index or an image, which start with "
                    "a letter or digit, not " +
                    in_quotes(v);
        }
        if (problem) ctx.report(flag.value_range, std::move(*problem));
    }
}

void check(LintContext& ctx) {
    ctx.each_instruction([&](const Instruction& ins, size_t) { check_instruction(ctx, ins); },
                         /*with_triggers=*/true);
}

}  // namespace

const Rule invalid_flag_value_rule = {
    {"InvalidFlagValue", "A flag's value is not of the form the flag expects", "", Severity::Error},
    check};

}  // namespace envbuilder::rules
