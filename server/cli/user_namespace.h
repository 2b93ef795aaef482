#pragma once
// Rootless builds: a normal user's `envbuilder build` runs again inside a new user namespace
// where it is root, so the executor can create its RUN namespaces, unpack layers and own files.
// Other uids come from the user's /etc/subuid and /etc/subgid ranges through newuidmap and
// newgidmap; without a range only the user's own id is mapped (as root), and that is said.
#include <ostream>
#include <string>
#include <vector>

namespace envbuilder::cli {

// True when this process is the re-executed one, inside its user namespace.
bool inside_build_user_namespace();

// Runs `envbuilder <argv...>` again in a new user namespace and returns its exit status.
int rerun_in_user_namespace(const std::vector<std::string>& argv, std::ostream& err);

}  // namespace envbuilder::cli
