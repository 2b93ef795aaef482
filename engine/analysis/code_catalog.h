#pragma once
// Every diagnostic code the engine can produce, with a one-line description: the Dockerfile
// rules (from their catalogs), the parsers' syntax codes and the devcontainer codes. Used where a
// code must be explained on its own (SARIF rule entries, editor documentation).
#include <string>
#include <string_view>

namespace envbuilder {

struct CodeInfo {
    std::string code;
    std::string description;
    std::string url;  // empty when the code has no page
};

// nullptr-free: an unknown code gets a generic description.
CodeInfo describe_code(std::string_view code);

}  // namespace envbuilder
