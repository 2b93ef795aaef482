#include "oci/reference.h"

#include <cctype>
#include <optional>

namespace envbuilder::oci {

namespace {

// Grammar (distribution/reference):
//   reference      := name [ ":" tag ] [ "@" digest ]
//   name           := [domain '/'] path-component ['/' path-component]*
//   domain         := host [':' port]       host := domain-name | '[' IPv6 ']'
//   domain-comp    := [a-zA-Z0-9] | [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]
//   path-component := [a-z0-9]+ (separator [a-z0-9]+)*   separator := [_.] | __ | [-]+
//   tag            := [\w][\w.-]{0,127}
//   digest         := algorithm ':' hex      (sha256: 64, sha384: 96, sha512: 128 lower hex)
// Hand-written rather than regex so that every error says where and what was expected.

bool is_lower_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
bool is_alnum(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
}
bool is_word(char c) {
    return is_alnum(c) || c == '_';
}
bool is_lower_hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}
bool is_upper(char c) {
    return c >= 'A' && c <= 'Z';
}

std::string describe(char c) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f) return "a non-printable or non-ASCII character";
    if (c == ' ') return "a space";
    return std::string("'") + c + "'";
}

ReferenceError error(size_t offset, std::string message) {
    return {std::move(message), offset};
}

// Validates one path component that starts at `base` in the input.
std::optional<ReferenceError> check_path_component(std::string_view comp, size_t base) {
    if (comp.empty())
        return error(base, "empty path component: expected a name between '/' separators");
    if (!is_lower_alnum(comp.front()))
        return error(base, "path component must start with a lowercase letter or digit, not " +
                               describe(comp.front()));
    size_t i = 0;
    while (i < comp.size()) {
        char c = comp[i];
        if (is_lower_alnum(c)) {
            ++i;
            continue;
        }
        size_t sep = i;
        if (c == '.') {
            ++i;
        } else if (c == '_') {
            ++i;
            if (i < comp.size() && comp[i] == '_') ++i;  // "__"
        } else if (c == '-') {
            while (i < comp.size() && comp[i] == '-') ++i;  // "-", "--", ...
        } else {
            return error(base + i, "invalid character " + describe(c) +
                                       " in repository name (allowed: a-z, 0-9, '.', '_', '-')");
        }
        if (i >= comp.size())
            return error(base + sep, "path component cannot end with a separator ('" +
                                         std::string(comp.substr(sep, i - sep)) + "')");
        if (!is_lower_alnum(comp[i]))
            return error(base + i, "expected a lowercase letter or digit after separator '" +
                                       std::string(comp.substr(sep, i - sep)) + "', found " +
                                       describe(comp[i]));
    }
    return std::nullopt;
}

std::optional<ReferenceError> check_domain(std::string_view domain, size_t base) {
    size_t i = 0;
    if (!domain.empty() && domain.front() == '[') {
        size_t close = domain.find(']');
        if (close == std::string_view::npos)
            return error(base, "missing ']' after the IPv6 address of the registry");
        std::string_view ip = domain.substr(1, close - 1);
        if (ip.empty()) return error(base + 1, "empty IPv6 address in the registry");
        for (size_t k = 0; k < ip.size(); ++k) {
            char c = ip[k];
            if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.')
                return error(base + 1 + k, "invalid character " + describe(c) +
                                               " in the registry's IPv6 address");
        }
        i = close + 1;
    } else {
        // domain-name: components separated by '.'.
        size_t comp_start = 0;
        while (true) {
            size_t k = comp_start;
            while (k < domain.size() && domain[k] != '.' && domain[k] != ':') ++k;
            std::string_view comp = domain.substr(comp_start, k - comp_start);
            if (comp.empty())
                return error(base + comp_start, "empty component in registry host name");
            for (size_t j = 0; j < comp.size(); ++j) {
                char c = comp[j];
                if (!is_alnum(c) && c != '-')
                    return error(base + comp_start + j,
                                 "invalid character " + describe(c) + " in registry host name");
            }
            if (comp.front() == '-' || comp.back() == '-') {
                size_t at = comp.front() == '-' ? comp_start : k - 1;
                return error(base + at,
                             "registry host name components cannot start or end with '-'");
            }
            if (k < domain.size() && domain[k] == '.') {
                comp_start = k + 1;
                continue;
            }
            i = k;
            break;
        }
    }
    if (i == domain.size()) return std::nullopt;
    if (domain[i] != ':')
        return error(base + i, "expected ':' and a port after the registry host, found " +
                                   describe(domain[i]));
    std::string_view port = domain.substr(i + 1);
    if (port.empty())
        return error(base + i + 1, "expected a port number after ':' in the registry");
    for (size_t k = 0; k < port.size(); ++k)
        if (!std::isdigit(static_cast<unsigned char>(port[k])))
            return error(base + i + 1 + k,
                         "registry port must be a number, found " + describe(port[k]));
    return std::nullopt;
}

std::optional<ReferenceError> check_tag(std::string_view tag, size_t base) {
    if (tag.empty()) return error(base, "expected a tag after ':'");
    if (!is_word(tag.front()))
        return error(base,
                     "tag must start with a letter, digit or '_', not " + describe(tag.front()));
    for (size_t k = 1; k < tag.size(); ++k) {
        char c = tag[k];
        if (!is_word(c) && c != '.' && c != '-')
            return error(base + k, "invalid character " + describe(c) +
                                       " in tag (allowed: letters, digits, '_', '.', '-')");
    }
    if (tag.size() > 128)
        return error(base + 128,
                     "tag is " + std::to_string(tag.size()) + " characters long; the limit is 128");
    return std::nullopt;
}

std::optional<ReferenceError> check_digest(std::string_view digest, size_t base) {
    size_t colon = digest.find(':');
    if (digest.empty() || colon == std::string_view::npos)
        return error(base,
                     "expected a digest 'algorithm:hex' after '@', e.g. sha256:<64 hex digits>");
    std::string_view algorithm = digest.substr(0, colon);
    std::string_view hex = digest.substr(colon + 1);
    size_t want = 0;
    if (algorithm == "sha256")
        want = 64;
    else if (algorithm == "sha384")
        want = 96;
    else if (algorithm == "sha512")
        want = 128;
    else
        return error(base, "unsupported digest algorithm '" + std::string(algorithm) +
                               "' (expected sha256, sha384 or sha512)");
    for (size_t k = 0; k < hex.size(); ++k) {
        if (!is_lower_hex(hex[k])) {
            std::string what = std::isxdigit(static_cast<unsigned char>(hex[k]))
                                   ? "digest hex must be lowercase"
                                   : "invalid character " + describe(hex[k]) + " in digest";
            return error(base + colon + 1 + k, what);
        }
    }
    if (hex.size() != want)
        return error(base + colon + 1, "a " + std::string(algorithm) + " digest has " +
                                           std::to_string(want) + " hex digits, this one has " +
                                           std::to_string(hex.size()));
    return std::nullopt;
}

}  // namespace

std::string Reference::name() const {
    return registry + "/" + repository;
}

std::string Reference::str() const {
    std::string s = name();
    if (!tag.empty()) s += ":" + tag;
    if (!digest.empty()) s += "@" + digest;
    return s;
}

std::string Reference::familiar_name() const {
    if (registry != kDockerHubRegistry) return name();
    constexpr std::string_view library = "library/";
    std::string_view repo = repository;
    if (repo.starts_with(library) && repo.find('/', library.size()) == std::string_view::npos)
        return std::string(repo.substr(library.size()));
    return repository;
}

std::string Reference::familiar() const {
    std::string s = familiar_name();
    if (!tag.empty()) s += ":" + tag;
    if (!digest.empty()) s += "@" + digest;
    return s;
}

std::string Reference::registry_host() const {
    return registry == kDockerHubRegistry ? "registry-1.docker.io" : registry;
}

ReferenceResult parse_reference(std::string_view text) {
    if (text.empty())
        return error(0, "empty image reference: expected a name such as 'alpine:3.20'");

    Reference ref;
    std::string_view name = text;
    size_t at = text.find('@');
    if (at != std::string_view::npos) {
        name = text.substr(0, at);
        ref.digest = std::string(text.substr(at + 1));  // checked last: errors come left to right
    }
    if (name.empty()) return error(0, "expected a repository name before '@'");

    // A ':' after the last '/' starts the tag; one before it belongs to the registry's port.
    size_t last_slash = name.rfind('/');
    size_t colon = name.find(':', last_slash == std::string_view::npos ? 0 : last_slash + 1);
    if (colon != std::string_view::npos) {
        std::string_view tag = name.substr(colon + 1);
        if (auto e = check_tag(tag, colon + 1)) return *e;
        ref.tag = std::string(tag);
        name = name.substr(0, colon);
        if (name.empty()) return error(0, "expected a repository name before ':'");
    }

    // Docker's domain detection: the first component is a registry when it contains '.' or ':',
    // is "localhost", or has upper-case letters (repository names cannot).
    std::string_view domain, remainder = name;
    size_t remainder_base = 0;
    size_t slash = name.find('/');
    if (slash != std::string_view::npos) {
        std::string_view first = name.substr(0, slash);
        bool has_upper = false;
        for (char c : first) has_upper = has_upper || is_upper(c);
        if (first.find_first_of(".:") != std::string_view::npos || first == "localhost" ||
            has_upper) {
            domain = first;
            remainder = name.substr(slash + 1);
            remainder_base = slash + 1;
            if (auto e = check_domain(domain, 0)) return *e;
        }
    }
    if (remainder.empty())
        return error(remainder_base, "expected a repository name after the registry");

    // A bare 64-hex string is an image ID, which Docker refuses as a name.
    if (domain.empty() && remainder.size() == 64 && at == std::string_view::npos &&
        colon == std::string_view::npos) {
        bool all_hex = true;
        for (char c : remainder) all_hex = all_hex && is_lower_hex(c);
        if (all_hex)
            return error(0,
                         "a 64-character hexadecimal string is an image ID, not a repository name");
    }

    for (size_t k = 0; k < remainder.size(); ++k)
        if (is_upper(remainder[k]))
            return error(remainder_base + k, "repository name must be lowercase");

    size_t comp_start = 0;
    while (true) {
        size_t end = remainder.find('/', comp_start);
        std::string_view comp = remainder.substr(
            comp_start, end == std::string_view::npos ? std::string_view::npos : end - comp_start);
        if (auto e = check_path_component(comp, remainder_base + comp_start)) return *e;
        if (end == std::string_view::npos) break;
        comp_start = end + 1;
    }

    if (at != std::string_view::npos)
        if (auto e = check_digest(ref.digest, at + 1)) return *e;

    if (domain.empty() || domain == "index.docker.io")
        ref.registry = std::string(kDockerHubRegistry);
    else
        ref.registry = std::string(domain);
    ref.repository = std::string(remainder);
    if (ref.registry == kDockerHubRegistry && remainder.find('/') == std::string_view::npos)
        ref.repository = "library/" + ref.repository;

    if (ref.name().size() > kMaxNameLength)
        return error(0, "repository name is " + std::to_string(ref.name().size()) +
                            " characters long once normalized; the limit is " +
                            std::to_string(kMaxNameLength));

    if (ref.tag.empty() && ref.digest.empty()) ref.tag = "latest";
    return ref;
}

}  // namespace envbuilder::oci
