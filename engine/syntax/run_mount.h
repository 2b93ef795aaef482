#pragma once
// RUN --mount=<csv>: read once, the way BuildKit's parseMount reads it, for lint (which reports
// every problem where it is) and the executor (which mounts what it says) alike.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace envbuilder::dockerfile {

struct RunMount {
    std::string type = "bind";  // bind, cache, tmpfs, secret or ssh (lower case)
    std::optional<std::string> from, source, target, id, sharing, env, size;
    std::optional<uint32_t> mode, uid, gid;
    bool readonly = false;   // ro / readonly
    bool readwrite = false;  // rw / readwrite
    bool required = false;
};

// What is wrong, at [begin, end) of the value; `exact` is false when the offsets point at a whole
// quoted CSV field rather than at the text inside it.
struct MountProblem {
    std::string message;
    size_t begin = 0, end = 0;
};

struct ParsedMount {
    RunMount mount;
    std::vector<MountProblem> problems;  // empty: the mount is valid
};

// `unexpanded`: the value is as written in the Dockerfile, so a field value holding a variable
// is not checked (BuildKit expands it later); the executor passes expanded values.
ParsedMount parse_run_mount(std::string_view value, bool unexpanded = false);

}  // namespace envbuilder::dockerfile
