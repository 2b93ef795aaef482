// HEALTHCHECK [flags] CMD command | HEALTHCHECK NONE: the config's Healthcheck. Durations are
// read by syntax/go_duration (the same reader lint uses), in nanoseconds as Docker stores them.
#include <charconv>

#include "executor/image_config.h"
#include "executor/instructions/instructions.h"
#include "syntax/go_duration.h"
#include "syntax/json_array.h"
#include "syntax/json_text.h"

namespace envbuilder::executor::instructions {

namespace {

std::string upper_case(std::string text) {
    for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

// The command after CMD: a JSON array is exec form (CMD), anything else goes to the shell.
std::vector<std::string> test_of(const std::string& arguments) {
    size_t after = arguments.find_first_of(" \t");
    std::string command = after == std::string::npos ? "" : arguments.substr(after + 1);
    const size_t start = command.find_first_not_of(" \t");
    command = start == std::string::npos ? "" : command.substr(start);
    if (auto array = dockerfile::parse_json_string_array(command)) {
        std::vector<std::string> test{"CMD"};
        for (const auto& a : *array) test.push_back(a);
        return test;
    }
    return {"CMD-SHELL", command};
}

}  // namespace

Step healthcheck(StageContext& ctx, StageState& s, const Instruction& ins) {
    oci::Healthcheck check;
    const std::string first = ins.words.empty() ? "" : upper_case(ins.words[0].text);
    if (first == "NONE") {
        check.test = std::vector<std::string>{"NONE"};
    } else {
        if (first != "CMD") ctx.fail(ins, "HEALTHCHECK takes CMD <command> or NONE");
        check.test = test_of(ins.arguments);
        for (auto [flag_name, field] : {std::pair{"interval", &oci::Healthcheck::interval},
                                        {"timeout", &oci::Healthcheck::timeout},
                                        {"start-period", &oci::Healthcheck::start_period},
                                        {"start-interval", &oci::Healthcheck::start_interval}}) {
            const auto* flag = ins.flag(flag_name);
            if (!flag || !flag->value) continue;
            int64_t nanoseconds = 0;
            if (auto problem = dockerfile::parse_healthcheck_duration(*flag->value, nanoseconds))
                ctx.fail(ins, "--" + std::string(flag_name) + *problem);
            check.*field = nanoseconds;
        }
        if (const auto* retries = ins.flag("retries"); retries && retries->value) {
            const std::string& text = *retries->value;
            int32_t count = 0;
            auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), count);
            if (error != std::errc() || end != text.data() + text.size() || count < 0)
                ctx.fail(ins, "--retries takes a whole number of at least 0, not '" + text + "'");
            check.retries = count;
        }
    }
    config_of(s.image).healthcheck = check;
    return Step::config("HEALTHCHECK " + json_text(oci::to_json(check)));
}

}  // namespace envbuilder::executor::instructions
