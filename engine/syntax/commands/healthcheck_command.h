#pragma once
// HEALTHCHECK [flags] CMD command | HEALTHCHECK NONE: read once from the syntax tree for lint and
// the executor alike. BuildKit does not expand these flags, so their values are read as written.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "syntax/commands/command_error.h"

namespace envbuilder::dockerfile {

struct HealthcheckCommand {
    bool none = false;  // HEALTHCHECK NONE (its flags are not read, as in BuildKit)
    // Nanoseconds, as Docker stores them; unset when the flag is not given.
    std::optional<int64_t> interval, timeout, start_period, start_interval;
    std::optional<int32_t> retries;
    // The config's Test: {"NONE"}, {"CMD", args...} (exec form) or {"CMD-SHELL", command}.
    std::vector<std::string> test;
};

Parsed<HealthcheckCommand> parse_healthcheck_command(const Instruction& ins);

// --retries as BuildKit reads it (strconv.ParseInt(v, 10, 32)); negative counts are refused,
// 0 means the default. nullopt with `problem` set otherwise.
std::optional<int32_t> parse_retries(std::string_view text, std::string& problem);

}  // namespace envbuilder::dockerfile
