#include "lsp/uri.h"

#include "syntax/percent_encoding.h"

namespace envbuilder::lsp {

namespace {
int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
}  // namespace

std::optional<std::filesystem::path> uri_to_path(const std::string& uri) {
    const std::string scheme = "file://";
    if (uri.compare(0, scheme.size(), scheme) != 0) return std::nullopt;
    std::string rest = uri.substr(scheme.size());
    // file://host/path: only the local host (empty or "localhost") is a path on this machine.
    size_t slash = rest.find('/');
    if (slash == std::string::npos) return std::nullopt;
    std::string host = rest.substr(0, slash);
    if (!host.empty() && host != "localhost") return std::nullopt;
    rest.erase(0, slash);
    std::string out;
    for (size_t i = 0; i < rest.size(); ++i) {
        if (rest[i] == '%' && i + 2 < rest.size() && hex(rest[i + 1]) >= 0 &&
            hex(rest[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hex(rest[i + 1]) * 16 + hex(rest[i + 2])));
            i += 2;
        } else {
            out.push_back(rest[i]);
        }
    }
    return std::filesystem::path(out);
}

std::string path_to_uri(const std::filesystem::path& path) {
    return "file://" + dockerfile::percent_encode(path.generic_string(), "/");
}

}  // namespace envbuilder::lsp
