#include "syntax/commands/healthcheck_command.h"

#include <cctype>
#include <limits>

#include "syntax/go_duration.h"
#include "syntax/json_array.h"

namespace envbuilder::dockerfile {

namespace {

bool is_none(const Instruction& ins) {
    if (ins.words.empty()) return false;
    std::string first = ins.words[0].text;
    for (char& c : first) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return first == "NONE";
}

// strconv.ParseInt(v, 10, 32).
std::optional<int64_t> parse_int32(std::string_view v) {
    bool negative = false;
    if (!v.empty() && (v[0] == '-' || v[0] == '+')) {
        negative = v[0] == '-';
        v.remove_prefix(1);
    }
    if (v.empty()) return std::nullopt;
    int64_t n = 0;
    for (char c : v) {
        if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
        n = n * 10 + (c - '0');
        if (n > (int64_t{1} << 31)) return std::nullopt;
    }
    n = negative ? -n : n;
    if (n > std::numeric_limits<int32_t>::max() || n < std::numeric_limits<int32_t>::min())
        return std::nullopt;
    return n;
}

// The command after CMD: a JSON array is exec form (CMD), anything else goes to the shell.
std::vector<std::string> test_of(const std::string& arguments) {
    size_t after = arguments.find_first_of(" \t");
    std::string command = after == std::string::npos ? "" : arguments.substr(after + 1);
    const size_t start = command.find_first_not_of(" \t");
    command = start == std::string::npos ? "" : command.substr(start);
    if (auto array = parse_json_string_array(command)) {
        std::vector<std::string> test = {"CMD"};
        test.insert(test.end(), array->begin(), array->end());
        return test;
    }
    return {"CMD-SHELL", command};
}

}  // namespace

std::optional<int32_t> parse_retries(std::string_view text, std::string& problem) {
    auto n = parse_int32(text);
    if (!n) {
        problem = "--retries takes a whole number, not '" + std::string(text) + "'";
        return std::nullopt;
    }
    if (*n < 0) {
        problem = "--retries cannot be negative (" + std::string(text) + ")";
        return std::nullopt;
    }
    return static_cast<int32_t>(*n);
}

Parsed<HealthcheckCommand> parse_healthcheck_command(const Instruction& ins) {
    Parsed<HealthcheckCommand> out;
    HealthcheckCommand& check = out.value;
    if (is_none(ins)) {
        check.none = true;
        check.test = {"NONE"};
        return out;
    }
    std::string first = ins.words.empty() ? "" : ins.words[0].text;
    for (char& c : first) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    const bool cmd = first == "CMD";
    if (!cmd) {
        CommandError e;
        e.kind = CommandError::Kind::arguments;
        e.range = ins.words.empty() ? ins.arguments_range : ins.words[0].range;
        e.message = "HEALTHCHECK takes CMD <command> or NONE";
        e.value = first;
        out.errors.push_back(std::move(e));
    }
    read_flags(ins, out.errors, [&](const Flag& flag, bool) {
        const std::string& v = *flag.value;
        const RawValue raw{v, flag.value_range};
        std::string problem;
        if (flag.name == "retries") {
            check.retries = parse_retries(v, problem);
        } else {
            // BuildKit's parseOptInterval: 0 means "use the default"; anything else must be at
            // least 1ms.
            int64_t ns = 0;
            if (auto e = parse_healthcheck_duration(v, ns))
                problem = "--" + flag.name + *e;
            else
                (flag.name == "interval"       ? check.interval
                 : flag.name == "timeout"      ? check.timeout
                 : flag.name == "start-period" ? check.start_period
                                               : check.start_interval) = ns;
        }
        if (!problem.empty()) out.errors.push_back(value_error(flag.name, raw, v, problem));
    });
    if (cmd) check.test = test_of(ins.arguments);
    return out;
}

}  // namespace envbuilder::dockerfile
