#include "registry/url_redaction.h"

#include <cctype>

namespace envbuilder::registry {

namespace {

// Where the authority of a URL ends (RFC 3986 §3.2: at "/", "?" or "#"); whitespace and quotes
// also end it, since the URL may sit inside a message.
bool ends_authority(char c) {
    return c == '/' || c == '?' || c == '#' || c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
           c == '\'' || c == '"' || c == '<' || c == '>';
}

}  // namespace

std::string redact_userinfo(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    size_t i = 0;
    while (i < text.size()) {
        size_t scheme_end = text.find("://", i);
        if (scheme_end == std::string_view::npos) break;
        const size_t authority = scheme_end + 3;
        size_t end = authority;
        while (end < text.size() && !ends_authority(text[end])) ++end;
        // The last '@' of the authority ends the userinfo (a password may itself hold '@').
        size_t at = text.substr(authority, end - authority).rfind('@');
        out.append(text.substr(i, authority - i));
        if (at != std::string_view::npos) {
            out.append("***");
            out.append(text.substr(authority + at, end - authority - at));
        } else {
            out.append(text.substr(authority, end - authority));
        }
        i = end;
    }
    out.append(text.substr(std::min(i, text.size())));
    return out;
}

std::string url_authority(std::string_view url) {
    size_t scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) return {};
    std::string_view rest = url.substr(scheme_end + 3);
    size_t end = 0;
    while (end < rest.size() && !ends_authority(rest[end])) ++end;
    rest = rest.substr(0, end);
    if (size_t at = rest.rfind('@'); at != std::string_view::npos) rest.remove_prefix(at + 1);
    std::string host(rest);
    for (char& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return host;
}

}  // namespace envbuilder::registry
