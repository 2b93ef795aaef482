#include "syntax/commands/run_command.h"

#include <array>

#include "syntax/suggestions.h"

namespace envbuilder::dockerfile {

namespace {

// BuildKit's commands_runnetwork.go and commands_runsecurity.go: an exact match of one of
// `allowed`, else an error naming them, with the closest as a suggestion.
template <size_t N>
std::optional<size_t> read_choice(const Flag& flag, const std::array<std::string_view, N>& allowed,
                                  std::string_view what, std::vector<CommandError>& errors) {
    const std::string& v = *flag.value;
    for (size_t i = 0; i < N; ++i)
        if (v == allowed[i]) return i;
    std::string expected;
    for (size_t i = 0; i < N; ++i) {
        if (i) expected += i + 1 == N ? " or " : ", ";
        expected += allowed[i];
    }
    std::string message = "unknown " + std::string(what) + " '" + v + "' for RUN --" + flag.name;
    std::string lowered = v;
    for (char& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    CommandError e = value_error(flag.name, {v, flag.value_range}, v, "");
    if (auto near = closest_match(lowered, allowed)) {
        message += " (did you mean " + std::string(*near) + "?)";
        e.suggestion = std::string(*near);
    }
    e.message = message + "; expected " + expected;
    errors.push_back(std::move(e));
    return std::nullopt;
}

}  // namespace

Parsed<RunCommand> parse_run_command(const Instruction& ins) {
    Parsed<RunCommand> out;
    RunCommand& run = out.value;
    read_flags(ins, out.errors, [&](const Flag& flag, bool) {
        if (flag.name == "mount") {
            run.mounts.push_back({*flag.value, flag.value_range});
        } else if (flag.name == "device") {
            run.devices.push_back({*flag.value, flag.value_range});
        } else if (flag.name == "network") {
            static constexpr std::array<std::string_view, 3> kNetworks = {"default", "none",
                                                                          "host"};
            if (auto i = read_choice(flag, kNetworks, "network mode", out.errors))
                run.network = static_cast<RunNetwork>(*i);
        } else if (flag.name == "security") {
            static constexpr std::array<std::string_view, 2> kModes = {"sandbox", "insecure"};
            if (auto i = read_choice(flag, kModes, "security mode", out.errors))
                run.security = static_cast<RunSecurity>(*i);
        }
    });
    run.exec_form = ins.is_exec_form();
    if (ins.json)
        for (const auto& w : *ins.json) run.exec.push_back(w.text);
    run.shell = ins.arguments;
    run.heredocs = ins.heredocs;
    run.heredoc_script = !run.exec_form && ins.heredocs.size() == 1 && ins.words.size() == 1;
    return out;
}

Parsed<RunMount> parse_run_mount_value(const RawValue& raw, const std::string* expanded) {
    Parsed<RunMount> out;
    const std::string_view text = expanded ? std::string_view(*expanded) : raw.text;
    ParsedMount parsed = parse_run_mount(text, /*unexpanded=*/!expanded);
    out.value = std::move(parsed.mount);
    for (const auto& problem : parsed.problems)
        out.errors.push_back(
            value_error("mount", raw, text, problem.message, problem.begin, problem.end));
    return out;
}

}  // namespace envbuilder::dockerfile
