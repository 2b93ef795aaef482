#pragma once
// HTTP for the registry client, on libcurl with OpenSSL. TLS is verified against the system CAs
// plus a registry's own CA (Docker's certs.d convention) unless the registry was explicitly marked
// insecure. Bodies stream through callbacks so that layers never sit whole in memory.
#include <atomic>
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
    std::string body;                            // only when no sink was given
    std::string header(const std::string& name) const {
        auto it = headers.find(name);
        return it == headers.end() ? std::string() : it->second;
    }
};

// When a transfer counts as failed although bytes still move (libcurl's low-speed limit and
// overall timeout): a blob trickling at 64 B/s fails instead of taking days.
struct TransferLimits {
    uint64_t low_speed_bytes = 1024;  // fewer bytes per second than this ...
    long low_speed_seconds = 30;      // ... for this long fails the transfer
    long deadline_seconds = 3600;     // the longest one request may take; 0: no limit
};

struct HttpRequest {
    std::string method = "GET";
    std::string url;
    std::vector<std::string> headers;  // "Name: value"
    std::string body;                  // request body for PUT/POST/PATCH (small)
    // Streams a large request body instead of `body`: fills up to `max` bytes, 0 at the end,
    // kAbortBody when the source failed.
    std::function<size_t(char* buffer, size_t max)> body_source;
    std::optional<uint64_t> body_size;
    bool follow_redirects = true;
    TransferLimits limits;
    // Bodies kept in memory (no sink: manifests, tokens, error bodies) larger than this fail the
    // transfer instead of growing without bound; 4 MiB is Distribution's manifest limit.
    size_t max_body = 4u << 20;
    // Set from another thread to abort the transfer within a fraction of a second.
    const std::atomic<bool>* cancel = nullptr;
};

inline constexpr size_t kAbortBody = 0x10000000;

struct TlsOptions {
    bool verify = true;             // false only for registries named insecure
    std::filesystem::path ca_file;  // extra CA for this registry, if any
};

class HttpError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
    long status = 0;  // the response's status when one had begun to arrive, else 0
};

// The transfer was cancelled on request; never retried, never turned into a fallback.
class Cancelled : public std::runtime_error {
  public:
    Cancelled() : std::runtime_error("cancelled") {}
};

// Receives a 2xx response body as it arrives; `head` holds the status and every header by then.
// Returning false aborts the transfer.
using BodySink = std::function<bool(const HttpResponse& head, std::string_view chunk)>;

// Performs one request (http and https only, redirects too). With `sink`, response body bytes of a
// 2xx answer go to it as they arrive; other bodies are kept (up to max_body) for the error message.
// Throws HttpError for transport failures (DNS, connection, TLS, stalls, oversized bodies), never
// for HTTP error statuses.
HttpResponse perform(const HttpRequest& request, const TlsOptions& tls,
                     const BodySink& sink = nullptr);

// The per-registry CA file by Docker's convention: <dir>/<host>/ca.crt in $ENVBUILDER_CERTS_DIR or
// /etc/docker/certs.d; empty when there is none.
std::filesystem::path registry_ca_file(const std::string& host);

std::string base64_encode(std::string_view in);

}  // namespace envbuilder::registry
