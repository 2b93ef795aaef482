#pragma once
// `envbuilder build`: a workspace's devcontainer (or a Dockerfile) built by the embedded executor,
// then pushed and/or written as an OCI layout.
#include <ostream>
#include <string>
#include <vector>

namespace envbuilder::cli {

int run_build(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace envbuilder::cli
