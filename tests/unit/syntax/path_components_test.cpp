#include <catch2/catch.hpp>

#include "syntax/path_components.h"

using envbuilder::dockerfile::path_components;
using Parts = std::vector<std::string_view>;

TEST_CASE("path components: empty ones dropped, '.' on request, '..' kept", "[syntax][path]") {
    CHECK(path_components("/a//b/") == Parts{"a", "b"});
    CHECK(path_components("a/./../b") == Parts{"a", ".", "..", "b"});
    CHECK(path_components("a/./../b", true) == Parts{"a", "..", "b"});
    CHECK(path_components("./", true).empty());
    CHECK(path_components("").empty());
    CHECK(path_components("/").empty());
    CHECK(path_components("name") == Parts{"name"});
}
