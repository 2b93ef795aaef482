#pragma once
// file:// URIs as editors send them, to and from filesystem paths.
#include <filesystem>
#include <optional>
#include <string>

namespace envbuilder::lsp {

// The path of a file: URI (percent-decoded), or nullopt for other schemes.
std::optional<std::filesystem::path> uri_to_path(const std::string& uri);
std::string path_to_uri(const std::filesystem::path& path);

}  // namespace envbuilder::lsp
