#pragma once
// HTTP for the registry client, on libcurl with OpenSSL. TLS is verified against the system CAs
// plus a registry's own CA (Docker's certs.d convention) unless the registry was explicitly marked
// insecure. Bodies stream through callbacks so that layers never sit whole in memory.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace envbuilder::registry {

struct HttpResponse {
    long status = 0;
    std::map<std::string, std::string> headers;  // names lower case; last value wins
    std::string body;                           // only when no sink was given
    std::string header(const std::string& name) const {
        auto it = headers.find(name);
        return it == headers.end() ? std::string() : it->second;
    }
};

struct HttpRequest {
    std::string method = "GET";
    std::string url;
    std::vector<std::string> headers;   // "Name: value"
    std::string body;                   // request body for PUT/POST/PATCH (small)
    // Streams a large request body instead of `body`: fills up to `max` bytes, 0 at the end.
    std::function<size_t(char* buffer, size_t max)> body_source;
    std::optional<uint64_t> body_size;
    bool follow_redirects = true;
};

struct TlsOptions {
    bool verify = true;                // false only for registries named insecure
    std::filesystem::path ca_file;     // extra CA for this registry, if any
};

class HttpError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Performs one request. With `sink`, response body bytes of a 2xx answer go to it as they arrive
// (a sink returning false aborts the transfer). Throws HttpError for transport failures (DNS,
// connection, TLS, timeouts), never for HTTP error statuses.
HttpResponse perform(const HttpRequest& request, const TlsOptions& tls,
                     const std::function<bool(std::string_view)>& sink = nullptr);

// The per-registry CA file by Docker's convention: <dir>/<host>/ca.crt in $ENVBUILDER_CERTS_DIR or
// /etc/docker/certs.d; empty when there is none.
std::filesystem::path registry_ca_file(const std::string& host);

std::string base64_encode(std::string_view in);

}  // namespace envbuilder::registry
