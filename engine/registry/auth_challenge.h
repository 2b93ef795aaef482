#pragma once
// `WWW-Authenticate` challenges from a registry: the scheme (Basic or Bearer) and its parameters
// (realm, service, scope, error). One header may hold several challenges.
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace envbuilder::registry {

struct AuthChallenge {
    std::string scheme;                         // lower case: "basic", "bearer"
    std::map<std::string, std::string> params;  // keys lower case, values unquoted
    std::string param(const std::string& key) const {
        auto it = params.find(key);
        return it == params.end() ? std::string() : it->second;
    }
};

std::vector<AuthChallenge> parse_auth_challenges(std::string_view header);

}  // namespace envbuilder::registry
