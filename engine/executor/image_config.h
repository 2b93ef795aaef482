#pragma once
// Reading and changing a stage's image config (OCI's shape, Docker's extensions kept), where the
// instructions meet it: environment, shell, the command forms.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "syntax/dockerfile_ast.h"

namespace envbuilder::executor {

// Docker's PATH for an image that sets none.
inline constexpr const char* kDefaultPath =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// The "config" object of an image config, made an object when it is missing or not one.
nlohmann::json& config_of(nlohmann::json& image);
// A string field of "config" ("User", "WorkingDir"), `fallback` when absent or not a string.
std::string config_string(const nlohmann::json& image, const char* field,
                          const std::string& fallback = "");
// An object field of "config" ("Labels", "ExposedPorts", "Volumes"), made an object when needed.
nlohmann::json& config_object(nlohmann::json& image, const char* field);

std::vector<std::string> env_of(const nlohmann::json& image);
std::optional<std::string> env_value(const nlohmann::json& image, const std::string& name);
void set_env(nlohmann::json& image, const std::string& name, const std::string& value);

// SHELL, or /bin/sh -c.
std::vector<std::string> shell_of(const nlohmann::json& image);
// RUN, CMD and ENTRYPOINT: the exec form as given, the shell form through SHELL.
std::vector<std::string> command_of(const nlohmann::json& image,
                                    const dockerfile::Instruction& ins);

// A history or config timestamp.
std::string rfc3339(int64_t seconds);

}  // namespace envbuilder::executor
