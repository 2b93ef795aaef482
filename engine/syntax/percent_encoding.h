#pragma once
// Percent-encoding (RFC 3986) of text for URLs: the registry client's paths and queries and the
// language server's file:// URIs. At the bottom layer so that both the engine and the server use
// it.
#include <string>
#include <string_view>

namespace envbuilder::dockerfile {

// `text` with every byte outside the unreserved set (ALPHA, DIGIT, - _ . ~) and `also_keep`
// written as %XX (upper-case hex).
std::string percent_encode(std::string_view text, std::string_view also_keep = "");

}  // namespace envbuilder::dockerfile
