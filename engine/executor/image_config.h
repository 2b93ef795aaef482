#pragma once
// What the instructions make of a stage's image config (oci/image_config.h): the environment,
// the shell, the command forms.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "oci/image_config.h"
#include "syntax/dockerfile_ast.h"

namespace envbuilder::executor {

// Docker's PATH for an image that sets none.
inline constexpr const char* kDefaultPath =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// The config's execution parameters, made present (an empty object) when absent or null, for an
// instruction to change.
oci::ContainerConfig& config_of(oci::ImageConfig& image);
// User and WorkingDir as RUN, COPY and WORKDIR read them: `fallback` when unset.
std::string user_of(const oci::ImageConfig& image);
std::string working_dir_of(const oci::ImageConfig& image, const std::string& fallback = "");

std::vector<std::string> env_of(const oci::ImageConfig& image);
std::optional<std::string> env_value(const oci::ImageConfig& image, const std::string& name);
void set_env(oci::ImageConfig& image, const std::string& name, const std::string& value);

// SHELL, or /bin/sh -c.
std::vector<std::string> shell_of(const oci::ImageConfig& image);
// RUN, CMD and ENTRYPOINT: the exec form as given, the shell form through SHELL.
std::vector<std::string> command_of(const oci::ImageConfig& image,
                                    const dockerfile::Instruction& ins);

// A history or config timestamp.
std::string rfc3339(int64_t seconds);

}  // namespace envbuilder::executor
