#pragma once
// devcontainer.json's build.options: the docker build flags that mean something to envbuilder
// are applied; any other is refused by name, never ignored.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "devcontainer/model.h"

namespace envbuilder::cli {

struct DockerBuildOptions {
    std::map<std::string, std::string> build_args;  // --build-arg K=V
    std::optional<std::string> target;              // --target
    std::map<std::string, std::string> labels;      // --label K=V
    std::optional<std::string> platform;            // --platform
    bool no_cache = false;                          // --no-cache
    std::string network;                            // --network none|host|default
};

// Throws std::runtime_error "FILE:LINE:COL: build.options: …" for a flag that is not understood.
DockerBuildOptions parse_build_options(const std::vector<devcontainer::Text>& options,
                                       const std::string& file_label);

}  // namespace envbuilder::cli
