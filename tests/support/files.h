#pragma once
// Reading a whole file, for the tests that compare file contents (the live tests' helpers and the
// sandbox tests).
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace envbuilder::testing {

// The bytes of `p`; empty when it cannot be read.
inline std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace envbuilder::testing
