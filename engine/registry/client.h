#pragma once
// The OCI distribution API client: manifests and blobs pulled into the blob store with
// verification, blobs and manifests pushed, with Basic and Bearer auth (challenges, tokens cached
// per scope, scope widened to pull,push for pushes, refresh on 401) and retries with backoff on
// connection errors, 5xx and 429. Errors name the registry, the repository, the operation and
// the HTTP status; credentials never appear in them.
#include <map>
#include <set>
#include <string>

#include "oci/blob_store.h"
#include "oci/layout.h"
#include "oci/reference.h"
#include "registry/auth_challenge.h"
#include "registry/credentials.h"
#include "registry/http.h"

namespace envbuilder::registry {

class RegistryError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct RegistryOptions {
    std::set<std::string> insecure_registries;  // hosts where plain HTTP or unverified TLS is allowed
    CredentialStore credentials;
    int attempts = 3;  // per request, for retryable failures
    // Pull-through mirrors by registry ("docker.io" for Docker Hub), tried in order before the
    // registry itself; values are URLs like "https://mirror.example.com" or "http://host:5000".
    std::map<std::string, std::vector<std::string>> mirrors;
    bool mirror_fallback = true;  // false: never pull from the origin when mirrors are configured
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

class RegistryClient {
public:
    explicit RegistryClient(RegistryOptions options);

    // GET by tag or digest; a manifest fetched by digest is verified against it.
    FetchedManifest get_manifest(const oci::Reference& ref, const std::string& tag_or_digest);
    // Pulls a blob into the store, verifying digest and size as it streams. Returns the source
    // that served it ("cache" when the store had it).
    std::string pull_blob(const oci::Reference& ref, const oci::Descriptor& blob, oci::BlobStore& store);
    bool has_blob(const oci::Reference& ref, const oci::Digest& digest);
    // Uploads a blob from the store unless the registry has it already. Returns true when uploaded.
    bool push_blob(const oci::Reference& ref, const oci::Descriptor& blob, const oci::BlobStore& store);
    // PUTs a manifest under a tag (or its digest) and returns the digest the registry reports.
    oci::Digest push_manifest(const oci::Reference& ref, const std::string& tag_or_digest, const std::string& body,
                              const std::string& media_type);

private:
    // Where a request goes: the registry itself or one of its mirrors.
    struct Endpoint {
        std::string base;         // scheme://host[/path]
        std::string host;         // for TLS options and the auth state
        std::string credentials;  // the key to look credentials up under
        bool mirror = false;
    };

    struct HostAuth {
        std::optional<std::string> basic;           // "Basic ..." once the registry asked for Basic
        std::map<std::string, std::string> tokens;  // scope -> "Bearer ..."
        std::optional<AuthChallenge> bearer;        // the registry's Bearer challenge
    };

    RegistryOptions options_;
    std::map<std::string, HostAuth> auth_;

    Endpoint origin(const oci::Reference& ref) const;
    std::vector<Endpoint> pull_endpoints(const oci::Reference& ref) const;
    std::string base_url(const oci::Reference& ref, const Endpoint& e) const { return e.base + "/v2/" + ref.repository; }
    TlsOptions tls_for(const std::string& host) const;
    HttpResponse send(const oci::Reference& ref, const Endpoint& endpoint, HttpRequest request,
                      const std::string& operation, bool push,
                      const std::function<bool(std::string_view)>& sink = nullptr,
                      const std::function<void()>& before_retry = nullptr);
    bool authorize(const oci::Reference& ref, const Endpoint& endpoint, const HttpResponse& challenge, bool push,
                   const std::string& operation);
    [[noreturn]] void fail(const oci::Reference& ref, const Endpoint& endpoint, const std::string& operation,
                           const HttpResponse& r) const;
    // Runs a pull operation against each endpoint in turn; the error lists every source and why.
    template <typename F>
    auto from_any_source(const oci::Reference& ref, const std::string& what, F&& attempt);
};

}  // namespace envbuilder::registry
