#pragma once
// The OCI distribution API client: manifests and blobs pulled into the blob store with
// verification, blobs and manifests pushed, with Basic and Bearer auth (challenges, tokens cached
// per scope, scope widened to pull,push for pushes, refresh on 401) and retries with backoff on
// connection errors, 5xx and 429. Errors name the registry, the repository, the operation and
// the HTTP status; credentials never appear in them (nor the userinfo of any URL).
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "oci/blob_store.h"
#include "oci/layout.h"
#include "oci/reference.h"
#include "registry/auth_challenge.h"
#include "registry/credentials.h"
#include "registry/http.h"
#include "registry/transfer_events.h"
#include "registry/url_redaction.h"

namespace envbuilder::registry {

// Every registry error passes through redact_userinfo: whatever URL a message names, a password
// written into it never reaches the user.
class RegistryError : public std::runtime_error {
  public:
    explicit RegistryError(const std::string& message)
        : std::runtime_error(redact_userinfo(message)) {}
};

struct RegistryOptions {
    // Hosts ("host" or "host:port") where plain HTTP or unverified TLS is allowed; a token realm
    // over plain HTTP gets credentials only when its own host is named here.
    std::set<std::string> insecure_registries;
    CredentialStore credentials;
    int attempts = 3;  // per request, for retryable failures
    // Pull-through mirrors by registry ("docker.io" for Docker Hub), tried in order before the
    // registry itself; values are URLs like "https://mirror.example.com" or "http://host:5000".
    std::map<std::string, std::vector<std::string>> mirrors;
    bool mirror_fallback = true;  // false: never pull from the origin when mirrors are configured
    // Blobs larger than this are uploaded in PATCH chunks of this size, each retried on its own
    // from where the registry says it stands; smaller ones in one PUT.
    uint64_t chunk_size = 64u << 20;
    int parallel_pulls = 4;  // blobs moved at once by pull_blobs and push_blobs
    // Every request: slower than limits.low_speed_bytes per limits.low_speed_seconds, or longer
    // than limits.deadline_seconds, fails (and is retried like a dropped connection).
    TransferLimits limits;
    // The longest wait before a retry, whatever a registry's Retry-After asks for.
    std::chrono::seconds max_retry_wait{60};
    // Told what the user should know but is no failure: a capped Retry-After, credentials sent
    // over plain HTTP to a realm named insecure. Unset: written to stderr.
    std::function<void(const std::string&)> on_warning;
    TransferObserver on_transfer;
    // Set (from any thread) to cancel every transfer of this client within a fraction of a second.
    std::shared_ptr<std::atomic<bool>> cancel;
};

// Parses one --registry-mirror value: "URL" (for Docker Hub) or "REGISTRY=URL".
// Throws std::invalid_argument with what was expected.
void add_mirror(RegistryOptions& options, const std::string& value);

struct FetchedManifest {
    std::string body;
    std::string media_type;
    oci::Digest digest;
    std::string source;  // which mirror or registry served it
};

// What a HEAD of a manifest says without its body.
struct ManifestHead {
    oci::Digest digest;
    std::string media_type;
    uint64_t size = 0;
    std::string source;
};

enum class PushOutcome { uploaded, already_present, mounted };

class RegistryClient {
  public:
    explicit RegistryClient(RegistryOptions options);

    // GET by tag or digest; a manifest fetched by digest is verified against it.
    FetchedManifest get_manifest(const oci::Reference& ref, const std::string& tag_or_digest);
    // HEAD by tag: the digest a tag points at, cheaply; nullopt when no source reports one.
    std::optional<ManifestHead> head_manifest(const oci::Reference& ref,
                                              const std::string& tag_or_digest);
    // Pulls a blob into the store, verifying digest and size as it streams; a dropped connection
    // resumes with a Range request where the source honours it. Concurrent pulls of one blob into
    // one store (threads or processes) download it once. Returns the source that served it
    // ("cache" when the store had it).
    std::string pull_blob(const oci::Reference& ref, const oci::Descriptor& blob,
                          oci::BlobStore& store);
    // Pulls several blobs, up to options.parallel_pulls at once; returns each one's source in
    // order. The first failure is thrown once the transfers under way have ended.
    std::vector<std::string> pull_blobs(const oci::Reference& ref,
                                        const std::vector<oci::Descriptor>& blobs,
                                        oci::BlobStore& store);
    bool has_blob(const oci::Reference& ref, const oci::Digest& digest);
    // Uploads a blob from the store unless the registry has it already; mounts it from another
    // repository of the same registry where this client has seen it there.
    PushOutcome push_blob(const oci::Reference& ref, const oci::Descriptor& blob,
                          const oci::BlobStore& store);
    // Pushes several blobs, up to options.parallel_pulls at once (an image's layers, before its
    // manifest). The first failure is thrown once the transfers under way have ended.
    std::vector<PushOutcome> push_blobs(const oci::Reference& ref,
                                        const std::vector<oci::Descriptor>& blobs,
                                        const oci::BlobStore& store);
    // Tells the client that `repository` of `registry` holds a blob (e.g. a base image's layer),
    // so that a push elsewhere in that registry can mount it instead of uploading it.
    void remember_blob(const oci::Reference& ref, const oci::Digest& digest);
    // PUTs a manifest under a tag (or its digest) and returns the digest the registry reports.
    oci::Digest push_manifest(const oci::Reference& ref, const std::string& tag_or_digest,
                              const std::string& body, const std::string& media_type);

  private:
    // Where a request goes: the registry itself or one of its mirrors.
    struct Endpoint {
        std::string base;         // scheme://[userinfo@]host[/path], as given
        std::string shown;        // base for messages and events: userinfo redacted
        std::string host;         // host[:port], for TLS options and the auth state
        std::string credentials;  // the key to look credentials up under
        bool mirror = false;
    };

    struct HostAuth {
        std::optional<std::string> basic;           // "Basic ..." once the registry asked for Basic
        std::map<std::string, std::string> tokens;  // scope -> "Bearer ..."
        std::optional<AuthChallenge> bearer;        // the registry's Bearer challenge
    };

    // How one request is sent: whether it needs push rights, an extra scope (a mount's source),
    // a streaming sink, and a hook that may adjust the request before every attempt.
    struct SendOptions {
        bool push = false;
        std::string extra_scope;
        BodySink sink;
        std::function<void(HttpRequest&, int attempt)> before_attempt;
        // Asked when a transfer fails after its body started: true when the body is whole anyway
        // (a lying Content-Length with the connection closed early), so that the response counts.
        std::function<bool()> body_complete;
        int attempts = 0;  // 0: options_.attempts
    };

    RegistryOptions options_;
    std::mutex mutex_;       // guards auth_, known_blobs_ and observer calls
    std::mutex warn_mutex_;  // one warning at a time (taken with or without mutex_ held)
    std::map<std::string, HostAuth> auth_;
    std::map<std::string, std::map<std::string, std::string>>
        known_blobs_;  // registry -> digest -> repository

    Endpoint origin(const oci::Reference& ref) const;
    std::vector<Endpoint> pull_endpoints(const oci::Reference& ref) const;
    std::string base_url(const oci::Reference& ref, const Endpoint& e) const {
        return e.base + "/v2/" + ref.repository;
    }
    TlsOptions tls_for(const std::string& host) const;
    bool named_insecure(const std::string& authority) const;
    // Who serves a request through `e`, for messages and events: the mirror or the registry.
    static std::string source_of(const oci::Reference& ref, const Endpoint& e) {
        return e.mirror ? e.shown : ref.registry;
    }
    void warn(const std::string& message);
    // Sleeps before a retry (cancellable), saying so when the registry's wish was not followed.
    void wait_before_retry(int attempt, const HttpResponse* response);
    // The token request for a Bearer challenge, and the rules on where credentials may go.
    HttpRequest token_request(const oci::Reference& ref, const AuthChallenge& challenge,
                              const std::string& scope, const std::optional<Credentials>& creds);
    HttpResponse send(const oci::Reference& ref, const Endpoint& endpoint, HttpRequest request,
                      const std::string& operation, const SendOptions& how);
    static std::string scope_of(const oci::Reference& ref, const SendOptions& how);
    bool authorize(const oci::Reference& ref, const Endpoint& endpoint,
                   const HttpResponse& challenge, const std::string& scope,
                   const std::string& operation);
    void emit(const TransferEvent& event);
    void upload(const oci::Reference& ref, const Endpoint& e, std::string location,
                const oci::Descriptor& blob, const oci::BlobStore& store,
                const std::string& operation);
    std::string absolute(const Endpoint& e, const std::string& location) const;
    [[noreturn]] void fail(const oci::Reference& ref, const Endpoint& endpoint,
                           const std::string& operation, const HttpResponse& r) const;
    // Runs a pull operation against each endpoint in turn; the error lists every source and why.
    template <typename F>
    auto from_any_source(const oci::Reference& ref, const std::string& what, F&& attempt);
};

}  // namespace envbuilder::registry
