#include "syntax/path_components.h"

namespace envbuilder::dockerfile {

std::vector<std::string_view> path_components(std::string_view path, bool drop_dots) {
    std::vector<std::string_view> out;
    size_t begin = 0;
    while (begin <= path.size()) {
        size_t end = path.find('/', begin);
        if (end == std::string_view::npos) end = path.size();
        std::string_view part = path.substr(begin, end - begin);
        if (!part.empty() && !(drop_dots && part == ".")) out.push_back(part);
        begin = end + 1;
    }
    return out;
}

}  // namespace envbuilder::dockerfile
