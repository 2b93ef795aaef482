#include "registry/client.h"

#include <chrono>
#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "oci/manifest.h"

namespace envbuilder::registry {

namespace {

std::string url_escape(const std::string& s) {
    static const char* digits = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == ':' || c == '/') {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(digits[c >> 4]);
            out.push_back(digits[c & 15]);
        }
    }
    return out;
}

bool retryable(long status) { return status == 429 || status >= 500; }

std::chrono::milliseconds backoff(int attempt, const HttpResponse* r) {
    if (r) {
        std::string retry_after = r->header("retry-after");
        if (!retry_after.empty() && std::all_of(retry_after.begin(), retry_after.end(), ::isdigit))
            return std::chrono::milliseconds(std::min(30, std::stoi(retry_after)) * 1000);
    }
    return std::chrono::milliseconds(250 << attempt);
}

}  // namespace

RegistryClient::RegistryClient(RegistryOptions options) : options_(std::move(options)) {}

void add_mirror(RegistryOptions& options, const std::string& value) {
    std::string registry = "docker.io", url = value;
    size_t eq = value.find('=');
    if (eq != std::string::npos) {
        registry = value.substr(0, eq);
        url = value.substr(eq + 1);
    }
    if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
        throw std::invalid_argument("--registry-mirror takes URL or REGISTRY=URL with an http:// or https:// URL, got '" +
                                    value + "'");
    while (!url.empty() && url.back() == '/') url.pop_back();
    if (registry == "index.docker.io" || registry == "registry-1.docker.io") registry = "docker.io";
    if (registry.empty()) throw std::invalid_argument("--registry-mirror: empty registry name in '" + value + "'");
    options.mirrors[registry].push_back(url);
}

RegistryClient::Endpoint RegistryClient::origin(const oci::Reference& ref) const {
    std::string host = ref.registry_host();
    bool insecure = options_.insecure_registries.count(ref.registry) || options_.insecure_registries.count(host);
    return Endpoint{std::string(insecure ? "http://" : "https://") + host, host, ref.registry, false};
}

std::vector<RegistryClient::Endpoint> RegistryClient::pull_endpoints(const oci::Reference& ref) const {
    std::vector<Endpoint> out;
    if (auto it = options_.mirrors.find(ref.registry); it != options_.mirrors.end()) {
        for (const std::string& url : it->second) {
            std::string rest = url.substr(url.find("://") + 3);
            std::string host = rest.substr(0, rest.find('/'));
            out.push_back(Endpoint{url, host, host, true});
        }
        if (!options_.mirror_fallback) return out;
    }
    out.push_back(origin(ref));
    return out;
}

template <typename F>
auto RegistryClient::from_any_source(const oci::Reference& ref, const std::string& what, F&& attempt) {
    std::string failures;
    for (const Endpoint& e : pull_endpoints(ref)) {
        try {
            return attempt(e);
        } catch (const std::exception& ex) {
            failures += "\n  " + std::string(e.mirror ? "mirror " : "registry ") + e.base + ": " + ex.what();
        }
    }
    throw RegistryError(what + " " + ref.repository + " failed from every source:" + failures);
}

TlsOptions RegistryClient::tls_for(const std::string& host) const {
    TlsOptions tls;
    tls.verify = !options_.insecure_registries.count(host);
    tls.ca_file = registry_ca_file(host);
    return tls;
}

void RegistryClient::fail(const oci::Reference& ref, const Endpoint& endpoint, const std::string& operation,
                          const HttpResponse& r) const {
    std::string detail;
    auto body = nlohmann::json::parse(r.body, nullptr, false);
    if (body.is_object() && body.contains("errors") && body["errors"].is_array() && !body["errors"].empty()) {
        const auto& e = body["errors"][0];
        detail = ": " + e.value("code", std::string()) + " " + e.value("message", std::string());
    }
    throw RegistryError(operation + " " + ref.repository + " on " + (endpoint.mirror ? endpoint.base : ref.registry) +
                        " failed with HTTP " + std::to_string(r.status) + detail);
}

bool RegistryClient::authorize(const oci::Reference& ref, const Endpoint& endpoint, const HttpResponse& response,
                               bool push, const std::string& operation) {
    const std::string& host = endpoint.host;
    HostAuth& auth = auth_[host];
    auto challenges = parse_auth_challenges(response.header("www-authenticate"));
    std::optional<Credentials> creds = options_.credentials.lookup(endpoint.credentials);
    for (const auto& c : challenges) {
        if (c.scheme == "basic") {
            if (!creds || creds->username.empty())
                throw RegistryError(operation + " " + ref.repository + " on " + ref.registry +
                                    ": the registry requires a login and no credentials are configured for it");
            if (auth.basic) return false;  // the credentials we sent were refused
            auth.basic = "Basic " + base64_encode(creds->username + ":" + creds->password);
            return true;
        }
        if (c.scheme == "bearer") {
            auth.bearer = c;
            std::string scope = "repository:" + ref.repository + (push ? ":pull,push" : ":pull");
            std::string url = c.param("realm");
            if (url.empty()) throw RegistryError(ref.registry + " sent a Bearer challenge without a realm");
            url += (url.find('?') == std::string::npos ? "?" : "&");
            if (!c.param("service").empty()) url += "service=" + url_escape(c.param("service")) + "&";
            url += "scope=" + url_escape(scope);
            HttpRequest token_request;
            token_request.url = url;
            if (creds && !creds->username.empty())
                token_request.headers.push_back("Authorization: Basic " +
                                                base64_encode(creds->username + ":" + creds->password));
            HttpResponse t = perform(token_request, tls_for(host));
            if (t.status == 401 || t.status == 403)
                throw RegistryError("the token service of " + ref.registry + " refused " +
                                    (creds ? describe(*creds) : std::string("anonymous access")) + " for " + scope);
            if (t.status != 200) fail(ref, endpoint, "token request for", t);
            auto j = nlohmann::json::parse(t.body, nullptr, false);
            std::string token = j.is_object() ? j.value("token", j.value("access_token", std::string())) : "";
            if (token.empty()) throw RegistryError("the token service of " + ref.registry + " answered without a token");
            std::string header = "Bearer " + token;
            if (auth.tokens[scope] == header) return false;  // a fresh token was refused too
            auth.tokens[scope] = header;
            return true;
        }
    }
    return false;
}

HttpResponse RegistryClient::send(const oci::Reference& ref, const Endpoint& endpoint, HttpRequest request,
                                  const std::string& operation, bool push,
                                  const std::function<bool(std::string_view)>& sink,
                                  const std::function<void()>& before_retry) {
    const std::string& host = endpoint.host;
    const std::vector<std::string> base_headers = request.headers;
    bool reauthorized = false;
    for (int attempt = 0;; ++attempt) {
        request.headers = base_headers;
        HostAuth& auth = auth_[host];
        std::string scope = "repository:" + ref.repository + (push ? ":pull,push" : ":pull");
        if (auto t = auth.tokens.find(scope); t != auth.tokens.end()) request.headers.push_back("Authorization: " + t->second);
        else if (auth.basic) request.headers.push_back("Authorization: " + *auth.basic);
        HttpResponse response;
        try {
            response = perform(request, tls_for(host), sink);
        } catch (const HttpError& e) {
            if (attempt + 1 >= options_.attempts)
                throw RegistryError(operation + " " + ref.repository + " on " +
                                    (endpoint.mirror ? endpoint.base : ref.registry) + " failed: " + e.what());
            std::this_thread::sleep_for(backoff(attempt, nullptr));
            if (before_retry) before_retry();
            continue;
        }
        if (response.status == 401 && !reauthorized) {
            reauthorized = true;
            if (authorize(ref, endpoint, response, push, operation)) {
                --attempt;  // an auth round trip is not a failed attempt
                if (before_retry) before_retry();
                continue;
            }
        }
        if (retryable(response.status) && attempt + 1 < options_.attempts) {
            std::this_thread::sleep_for(backoff(attempt, &response));
            if (before_retry) before_retry();
            continue;
        }
        return response;
    }
}

FetchedManifest RegistryClient::get_manifest(const oci::Reference& ref, const std::string& tag_or_digest) {
    const std::string op = "fetching the manifest of";
    return from_any_source(ref, op, [&](const Endpoint& e) {
        HttpRequest request;
        request.url = base_url(ref, e) + "/manifests/" + tag_or_digest;
        request.headers.push_back("Accept: " + oci::manifest_accept_header());
        HttpResponse r = send(ref, e, request, op, false);
        if (r.status != 200) fail(ref, e, op, r);
        FetchedManifest m{r.body, r.header("content-type"), oci::digest_of(r.body), e.mirror ? e.base : ref.registry};
        if (auto d = oci::parse_digest(tag_or_digest)) {
            if (oci::digest_of(r.body, d->algorithm) != *d)
                throw RegistryError("the manifest " + tag_or_digest + " of " + ref.repository + " from " + m.source +
                                    " does not match its digest");
            m.digest = *d;
        }
        return m;
    });
}

std::string RegistryClient::pull_blob(const oci::Reference& ref, const oci::Descriptor& blob, oci::BlobStore& store) {
    if (store.has(blob.digest)) return "cache";
    const std::string op = "pulling blob " + blob.digest.str() + " of";
    return from_any_source(ref, op, [&](const Endpoint& e) {
        HttpRequest request;
        request.url = base_url(ref, e) + "/blobs/" + blob.digest.str();
        std::unique_ptr<oci::BlobWriter> writer;
        auto reset = [&] {
            writer = std::make_unique<oci::BlobWriter>(store, blob.digest.algorithm, blob.digest, blob.size);
        };
        reset();
        HttpResponse r = send(ref, e, request, op, false,
                              [&](std::string_view chunk) {
                                  writer->write(chunk);
                                  return true;
                              },
                              reset);
        if (r.status != 200) fail(ref, e, op, r);
        writer->commit();
        return e.mirror ? e.base : ref.registry;
    });
}

bool RegistryClient::has_blob(const oci::Reference& ref, const oci::Digest& digest) {
    HttpRequest request;
    request.method = "HEAD";
    const Endpoint e = origin(ref);  // pushes, and what they check, never involve a mirror
    request.url = base_url(ref, e) + "/blobs/" + digest.str();
    HttpResponse r = send(ref, e, request, "checking blob " + digest.str() + " in", true);
    if (r.status == 200) return true;
    if (r.status == 404) return false;
    fail(ref, e, "checking blob " + digest.str() + " in", r);
}

bool RegistryClient::push_blob(const oci::Reference& ref, const oci::Descriptor& blob, const oci::BlobStore& store) {
    if (has_blob(ref, blob.digest)) return false;
    const std::string op = "uploading blob " + blob.digest.str() + " to";
    const Endpoint e = origin(ref);
    HttpRequest start;
    start.method = "POST";
    start.url = base_url(ref, e) + "/blobs/uploads/";
    HttpResponse s = send(ref, e, start, op, true);
    if (s.status != 202) fail(ref, e, op, s);
    std::string location = s.header("location");
    if (location.empty()) throw RegistryError(op + " " + ref.repository + ": the registry gave no upload location");
    if (location.rfind("http", 0) != 0) location = e.base + location;
    // Monolithic upload: the blob streams from the store, never whole in memory.
    auto file = std::make_shared<std::ifstream>(store.path(blob.digest), std::ios::binary);
    if (!*file) throw RegistryError(op + " " + ref.repository + ": blob missing from the local store");
    HttpRequest put;
    put.method = "PUT";
    put.url = location + (location.find('?') == std::string::npos ? "?" : "&") + "digest=" + url_escape(blob.digest.str());
    put.headers.push_back("Content-Type: application/octet-stream");
    put.body_size = blob.size;
    put.body_source = [file](char* buffer, size_t max) -> size_t {
        file->read(buffer, static_cast<std::streamsize>(max));
        return static_cast<size_t>(file->gcount());
    };
    HttpResponse p = send(ref, e, put, op, true, nullptr, [&] {
        file->clear();
        file->seekg(0);
    });
    if (p.status != 201) fail(ref, e, op, p);
    return true;
}

oci::Digest RegistryClient::push_manifest(const oci::Reference& ref, const std::string& tag_or_digest,
                                          const std::string& body, const std::string& media_type) {
    const Endpoint e = origin(ref);
    HttpRequest put;
    put.method = "PUT";
    put.url = base_url(ref, e) + "/manifests/" + tag_or_digest;
    put.headers.push_back("Content-Type: " + media_type);
    put.body = body;
    HttpResponse r = send(ref, e, put, "pushing the manifest of", true);
    if (r.status != 201 && r.status != 200) fail(ref, e, "pushing the manifest of", r);
    oci::Digest digest = oci::digest_of(body);
    if (auto reported = oci::parse_digest(r.header("docker-content-digest")); reported && *reported != digest)
        throw RegistryError("the registry " + ref.registry + " stored the manifest of " + ref.repository +
                            " under digest " + reported->str() + ", not " + digest.str());
    return digest;
}

}  // namespace envbuilder::registry
