#pragma once
// `envbuilder pull REF [--oci-layout DIR]`, `envbuilder push OCI-LAYOUT-DIR REF` and
// `envbuilder inspect REF`, with --registry-mirror,
// --no-mirror-fallback, --insecure-registry, --platform and --cache-dir.
#include <iosfwd>
#include <string>
#include <vector>

namespace envbuilder::cli {

int run_pull(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int run_push(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int run_inspect(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace envbuilder::cli
