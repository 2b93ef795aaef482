#include "syntax/commands/stopsignal_command.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "syntax/suggestions.h"

namespace envbuilder::dockerfile {

namespace {

constexpr std::array<std::string_view, 34> kNames = {
    "ABRT", "ALRM",   "BUS",  "CHLD",   "CLD",   "CONT", "FPE",  "HUP",  "ILL",
    "INT",  "IO",     "IOT",  "KILL",   "PIPE",  "POLL", "PROF", "PWR",  "QUIT",
    "SEGV", "STKFLT", "STOP", "SYS",    "TERM",  "TRAP", "TSTP", "TTIN", "TTOU",
    "URG",  "USR1",   "USR2", "VTALRM", "WINCH", "XCPU", "XFSZ"};

bool is_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
    });
}

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

}  // namespace

Parsed<StopsignalCommand> parse_stopsignal_command(const Instruction& ins) {
    Parsed<StopsignalCommand> out;
    read_flags(ins, out.errors, [](const Flag&, bool) {});
    out.value.signal = {ins.arguments, ins.arguments_range};
    return out;
}

Parsed<std::string> parse_stop_signal(const RawValue& raw, const std::string& text) {
    Parsed<std::string> out;
    out.value = text;
    std::string_view digits = text;
    if (!digits.empty() && digits[0] == '+') digits.remove_prefix(1);  // Go's Atoi allows it
    if (is_digits(digits)) {
        bool ok = digits.size() <= 2 && digits != "0" && digits != "00";
        if (ok) {
            int n = 0;
            for (char c : digits) n = n * 10 + (c - '0');
            ok = n >= 1 && n <= 64;
        }
        if (!ok)
            out.errors.push_back(
                value_error("", raw, text,
                            "signal number " + text + " is out of range: Linux signals are 1-64"));
        return out;
    }
    std::string name = text;
    for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (name.starts_with("SIG")) name.erase(0, 3);
    if (std::find(kNames.begin(), kNames.end(), name) != kNames.end() || is_realtime(name))
        return out;
    std::string message = "unknown signal '" + text + "'";
    CommandError e = value_error("", raw, text, "");
    if (auto near = closest_match(name, kNames)) {
        e.suggestion = "SIG" + std::string(*near);
        message += " (did you mean " + *e.suggestion + "?)";
    }
    e.message = message + "; expected a name such as SIGTERM or SIGQUIT, or a number 1-64";
    out.errors.push_back(std::move(e));
    return out;
}

}  // namespace envbuilder::dockerfile
