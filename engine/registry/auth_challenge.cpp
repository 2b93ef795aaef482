#include "registry/auth_challenge.h"

#include <cctype>

namespace envbuilder::registry {

namespace {
bool is_token_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("!#$%&'*+-.^_`|~/").find(c) != std::string_view::npos;
}
std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}
}  // namespace

// RFC 7235: challenge = scheme [ 1*SP ( token68 / #auth-param ) ], challenges separated by commas,
// auth-param = token "=" ( token / quoted-string ). A new challenge starts where a token is not
// followed by "=".
std::vector<AuthChallenge> parse_auth_challenges(std::string_view h) {
    std::vector<AuthChallenge> out;
    size_t i = 0;
    auto skip_space = [&] {
        while (i < h.size() && (h[i] == ' ' || h[i] == '\t' || h[i] == ',')) ++i;
    };
    auto read_token = [&] {
        size_t b = i;
        while (i < h.size() && is_token_char(h[i])) ++i;
        return std::string(h.substr(b, i - b));
    };
    while (true) {
        skip_space();
        if (i >= h.size()) break;
        std::string token = read_token();
        if (token.empty()) {
            ++i;  // stray character: skip it rather than loop
            continue;
        }
        size_t save = i;
        while (i < h.size() && (h[i] == ' ' || h[i] == '\t')) ++i;
        if (i < h.size() && h[i] == '=' && !out.empty()) {
            ++i;
            while (i < h.size() && (h[i] == ' ' || h[i] == '\t')) ++i;
            std::string value;
            if (i < h.size() && h[i] == '"') {
                ++i;
                while (i < h.size() && h[i] != '"') {
                    if (h[i] == '\\' && i + 1 < h.size()) ++i;
                    value.push_back(h[i++]);
                }
                if (i < h.size()) ++i;
            } else {
                value = read_token();
            }
            out.back().params[lower(token)] = value;
        } else {
            i = save;
            out.push_back(AuthChallenge{lower(token), {}});
        }
    }
    return out;
}

}  // namespace envbuilder::registry
