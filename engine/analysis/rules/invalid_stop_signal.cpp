// InvalidStopSignal: STOPSIGNAL takes what moby's signal.ParseSignal accepts on Linux: a signal
// number, or a name from its Linux signal table with or without the SIG prefix, in any case
// (ParseSignal upper-cases the name before the lookup). We also require numbers to be 1-64, the
// Linux signal range, which ParseSignal itself does not check but the runtime does.
#include "analysis/rules/instruction_checks.h"

#include <algorithm>
#include <array>
#include <vector>

#include "syntax/dockerfile_parser.h"

namespace envbuilder::rules {

using dockerfile::Instruction;
using dockerfile::InstructionKind;
using namespace instruction_checks;

namespace {

constexpr std::array<std::string_view, 34> kNames = {
    "ABRT", "ALRM",   "BUS",  "CHLD",   "CLD",   "CONT", "FPE",  "HUP",  "ILL",
    "INT",  "IO",     "IOT",  "KILL",   "PIPE",  "POLL", "PROF", "PWR",  "QUIT",
    "SEGV", "STKFLT", "STOP", "SYS",    "TERM",  "TRAP", "TSTP", "TTIN", "TTOU",
    "URG",  "USR1",   "USR2", "VTALRM", "WINCH", "XCPU", "XFSZ"};

// RTMIN, RTMIN+1..RTMIN+15, RTMAX-14..RTMAX-1, RTMAX, as in moby's signal_linux.go.
bool is_realtime(std::string_view s) {
    auto offset = [](std::string_view rest, int max) {
        if (rest.empty()) return true;
        if (!is_digits(rest) || rest.size() > 2 || rest[0] == '0') return false;
        int n = 0;
        for (char c : rest) n = n * 10 + (c - '0');
        return n >= 1 && n <= max;
    };
    if (s.starts_with("RTMIN")) {
        std::string_view rest = s.substr(5);
        return rest.empty() || (rest[0] == '+' && offset(rest.substr(1), 15) && rest.size() > 1);
    }
    if (s.starts_with("RTMAX")) {
        std::string_view rest = s.substr(5);
        return rest.empty() || (rest[0] == '-' && offset(rest.substr(1), 14) && rest.size() > 1);
    }
    return false;
}

void check(LintContext& ctx) {
    ctx.each_instruction(
        [&](const Instruction& ins, size_t) {
            // Zero or several words are ArgumentCount's; a variable is resolved at build time.
            if (ins.kind != InstructionKind::Stopsignal || ins.words.size() != 1) return;
            const auto& word = ins.words[0];
            if (has_variable(word.text)) return;
            std::string value = dockerfile::unquote(word.text, ctx.df.escape);
            std::string_view digits = value;
            if (!digits.empty() && digits[0] == '+')
                digits.remove_prefix(1);  // Go's Atoi allows it
            if (is_digits(digits)) {
                bool ok = digits.size() <= 2 && digits != "0" && digits != "00";
                if (ok) {
                    int n = 0;
                    for (char c : digits) n = n * 10 + (c - '0');
                    ok = n >= 1 && n <= 64;
                }
                if (!ok)
                    ctx.report(word.range, "signal number " + value +
                                               " is out of range: Linux signals are 1-64");
                return;
            }
            std::string name = upper(value);
            if (name.starts_with("SIG")) name.erase(0, 3);
            if (std::find(kNames.begin(), kNames.end(), name) != kNames.end() || is_realtime(name))
                return;
            std::string message = "unknown signal '" + value + "'";
            std::optional<Fix> fix;
            if (auto near = closest_match(name, kNames)) {
                std::string suggestion = "SIG" + std::string(*near);
                message += " (did you mean " + suggestion + "?)";
                fix = replace_fix("Change to " + suggestion, word.range, suggestion);
            }
            ctx.report(word.range,
                       message + "; expected a name such as SIGTERM or SIGQUIT, or a number 1-64",
                       std::move(fix));
        },
        /*with_triggers=*/true);
}

}  // namespace

const Rule invalid_stop_signal_rule = {
    {"InvalidStopSignal", "STOPSIGNAL names no known signal", "", Severity::Error}, check};

}  // namespace envbuilder::rules
