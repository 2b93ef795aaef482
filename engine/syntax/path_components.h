#pragma once
// Splitting a slash-separated path into its components, the way the context's .dockerignore
// matcher, COPY's source expansion and the confined root lookups walk paths.
#include <string_view>
#include <vector>

namespace envbuilder::dockerfile {

// The '/'-separated components of `path`, without the empty ones (from "//" or a leading or
// trailing '/'), and without "." ones when `drop_dots`. ".." is kept: what it means is the
// caller's business. Views into `path`.
std::vector<std::string_view> path_components(std::string_view path, bool drop_dots = false);

}  // namespace envbuilder::dockerfile
