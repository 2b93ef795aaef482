#pragma once
// The first instruction of a Dockerfile line, kept alive with its parse, for the typed
// instruction tests.
#include <string>

#include "syntax/dockerfile_parser.h"

namespace envbuilder::dockerfile::testing {

struct OneInstruction {
    Dockerfile df;
    const Instruction& ins() const { return df.instructions.at(0); }
};

inline OneInstruction parse_line(const std::string& text) {
    return OneInstruction{parse(text + "\n")};
}

// Columns [first, last) of line 0.
inline Range columns(uint32_t first, uint32_t last) {
    return {{0, first}, {0, last}};
}

}  // namespace envbuilder::dockerfile::testing
