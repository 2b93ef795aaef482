#include "syntax/commands/from_command.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace envbuilder::dockerfile {

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

std::optional<std::string> platform_problem(std::string_view v) {
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
        std::string p(parts[0]);
        for (char& c : p) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        bool known = std::find(kKnownOS.begin(), kKnownOS.end(), p) != kKnownOS.end() ||
                     std::find(kKnownArch.begin(), kKnownArch.end(), p) != kKnownArch.end();
        if (!known) return "unknown operating system or architecture " + in_quotes(v) + hint;
    }
    return std::nullopt;
}

}  // namespace

Parsed<FromCommand> parse_from_command(const Instruction& ins) {
    Parsed<FromCommand> out;
    FromCommand& from = out.value;
    read_flags(ins, out.errors, [&](const Flag& flag, bool) {
        if (flag.name != "platform") return;
        from.platform = RawValue{*flag.value, flag.value_range};
        auto platform = parse_platform_value(*from.platform);
        for (auto& e : platform.errors) out.errors.push_back(std::move(e));
    });
    if (!ins.words.empty()) from.image = {ins.words[0].text, ins.words[0].range};
    if (ins.words.size() >= 3) from.stage_name = ins.words[2];
    return out;
}

Parsed<std::string> parse_platform_value(const RawValue& raw, const std::string* expanded) {
    return parse_text_value("platform", raw, expanded, platform_problem);
}

}  // namespace envbuilder::dockerfile
