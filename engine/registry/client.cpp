#include "registry/client.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <exception>
#include <fstream>
#include <functional>
#include <iostream>
#include <thread>

#include <nlohmann/json.hpp>

#include "oci/manifest.h"
#include "registry/retry_after.h"

namespace envbuilder::registry {

namespace {

std::string url_escape(const std::string& s) {
    static const char* digits = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == ':' ||
            c == '/') {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(digits[c >> 4]);
            out.push_back(digits[c & 15]);
        }
    }
    return out;
}

bool retryable(long status) {
    return status == 429 || status >= 500;
}

// "bytes 100-199/1000" (Content-Range of a 206) -> 100; nullopt when it is not that shape.
std::optional<uint64_t> range_start(const std::string& content_range) {
    size_t space = content_range.find(' ');
    if (content_range.rfind("bytes", 0) != 0 || space == std::string::npos) return std::nullopt;
    try {
        return std::stoull(content_range.substr(space + 1));
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

// An upload's "Range: 0-N" header -> the N+1 bytes the registry holds (0 when absent). Distribution
// also says "0-0" for an empty upload; chunks are never one byte long, so that reads as empty.
uint64_t upload_offset(const std::string& range) {
    size_t dash = range.find('-');
    if (dash == std::string::npos) return 0;
    try {
        uint64_t last = std::stoull(range.substr(dash + 1));
        return last == 0 ? 0 : last + 1;
    } catch (const std::exception&) {
        return 0;
    }
}

// A file of the blob store read from any offset, for request bodies that may restart.
class BlobFile {
  public:
    explicit BlobFile(const std::filesystem::path& path)
        : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}
    ~BlobFile() {
        if (fd_ >= 0) ::close(fd_);
    }
    BlobFile(const BlobFile&) = delete;
    BlobFile& operator=(const BlobFile&) = delete;
    bool ok() const { return fd_ >= 0; }
    // A body source for `length` bytes from `offset`.
    std::function<size_t(char*, size_t)> reader(uint64_t offset, uint64_t length) const {
        auto position = std::make_shared<uint64_t>(offset);
        const uint64_t end = offset + length;
        int fd = fd_;
        return [fd, position, end](char* buffer, size_t max) -> size_t {
            size_t want = static_cast<size_t>(std::min<uint64_t>(max, end - *position));
            if (want == 0) return 0;
            ssize_t n;
            do n = ::pread(fd, buffer, want, static_cast<off_t>(*position));
            while (n < 0 && errno == EINTR);
            if (n <= 0) return kAbortBody;
            *position += static_cast<uint64_t>(n);
            return static_cast<size_t>(n);
        };
    }

  private:
    int fd_;
};

}  // namespace

RegistryClient::RegistryClient(RegistryOptions options) : options_(std::move(options)) {}

void RegistryClient::warn(const std::string& message) {
    const std::string shown = redact_userinfo(message);
    std::lock_guard lock(warn_mutex_);
    if (options_.on_warning)
        options_.on_warning(shown);
    else
        std::cerr << "warning: " << shown << std::endl;
}

void RegistryClient::wait_before_retry(int attempt, const HttpResponse* response) {
    RetryDelay delay = retry_delay(attempt, response ? response->header("retry-after") : "",
                                   options_.max_retry_wait);
    if (!delay.note.empty()) warn(delay.note);
    // In slices, so that a cancelled build does not sit out a long Retry-After.
    const auto until = std::chrono::steady_clock::now() + delay.wait;
    while (std::chrono::steady_clock::now() < until) {
        if (options_.cancel && options_.cancel->load()) throw Cancelled();
        std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
            std::chrono::milliseconds(100), until - std::chrono::steady_clock::now()));
    }
}

void RegistryClient::emit(const TransferEvent& event) {
    if (!options_.on_transfer) return;
    std::lock_guard lock(mutex_);
    options_.on_transfer(event);
}

std::string RegistryClient::absolute(const Endpoint& e, const std::string& location) const {
    if (location.rfind("http://", 0) == 0 || location.rfind("https://", 0) == 0) return location;
    // A relative Location resolves against the registry's origin (scheme://host), not its path.
    size_t host_end = e.base.find('/', e.base.find("://") + 3);
    return (host_end == std::string::npos ? e.base : e.base.substr(0, host_end)) + location;
}

void RegistryClient::remember_blob(const oci::Reference& ref, const oci::Digest& digest) {
    std::lock_guard lock(mutex_);
    known_blobs_[ref.registry][digest.str()] = ref.repository;
}

void add_mirror(RegistryOptions& options, const std::string& value) {
    std::string registry = "docker.io", url = value;
    size_t eq = value.find('=');
    if (eq != std::string::npos) {
        registry = value.substr(0, eq);
        url = value.substr(eq + 1);
    }
    if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
        throw std::invalid_argument(
            "--registry-mirror takes URL or REGISTRY=URL with an http:// or https:// URL, got '" +
            redact_userinfo(value) + "'");
    if (url_authority(url).empty())
        throw std::invalid_argument("--registry-mirror: no host in '" + redact_userinfo(value) +
                                    "'");
    while (!url.empty() && url.back() == '/') url.pop_back();
    if (registry == "index.docker.io" || registry == "registry-1.docker.io") registry = "docker.io";
    if (registry.empty())
        throw std::invalid_argument("--registry-mirror: empty registry name in '" +
                                    redact_userinfo(value) + "'");
    options.mirrors[registry].push_back(url);
}

RegistryClient::Endpoint RegistryClient::origin(const oci::Reference& ref) const {
    std::string host = ref.registry_host();
    bool insecure = options_.insecure_registries.count(ref.registry) ||
                    options_.insecure_registries.count(host);
    std::string base = std::string(insecure ? "http://" : "https://") + host;
    return Endpoint{base, base, host, ref.registry, false};
}

std::vector<RegistryClient::Endpoint> RegistryClient::pull_endpoints(
    const oci::Reference& ref) const {
    std::vector<Endpoint> out;
    if (auto it = options_.mirrors.find(ref.registry); it != options_.mirrors.end()) {
        for (const std::string& url : it->second) {
            // Userinfo in the URL authenticates to the mirror (libcurl sends it there alone) and
            // is never shown; the host alone keys TLS, auth state and credentials.
            std::string host = url_authority(url);
            out.push_back(Endpoint{url, redact_userinfo(url), host, host, true});
        }
        if (!options_.mirror_fallback) return out;
    }
    out.push_back(origin(ref));
    return out;
}

template <typename F>
auto RegistryClient::from_any_source(const oci::Reference& ref, const std::string& what,
                                     F&& attempt) {
    std::string failures;
    for (const Endpoint& e : pull_endpoints(ref)) {
        try {
            return attempt(e);
        } catch (const Cancelled&) {
            throw;
        } catch (const std::exception& ex) {
            failures += "\n  " + std::string(e.mirror ? "mirror " : "registry ") + e.shown + ": " +
                        redact_userinfo(ex.what());
        }
    }
    throw RegistryError(what + " " + ref.repository + " failed from every source:" + failures);
}

bool RegistryClient::named_insecure(const std::string& authority) const {
    return options_.insecure_registries.count(authority) > 0;
}

TlsOptions RegistryClient::tls_for(const std::string& host) const {
    TlsOptions tls;
    tls.verify = !named_insecure(host);
    tls.ca_file = registry_ca_file(host);
    return tls;
}

void RegistryClient::fail(const oci::Reference& ref, const Endpoint& endpoint,
                          const std::string& operation, const HttpResponse& r) const {
    std::string detail;
    auto body = nlohmann::json::parse(r.body, nullptr, false);
    if (body.is_object() && body.contains("errors") && body["errors"].is_array() &&
        !body["errors"].empty()) {
        const auto& e = body["errors"][0];
        if (e.is_object())
            detail =
                ": " + e.value("code", std::string()) + " " + e.value("message", std::string());
    }
    throw RegistryError(operation + " " + ref.repository + " on " + source_of(ref, endpoint) +
                        " failed with HTTP " + std::to_string(r.status) + detail);
}

std::string RegistryClient::scope_of(const oci::Reference& ref, const SendOptions& how) {
    std::string scope = "repository:" + ref.repository + (how.push ? ":pull,push" : ":pull");
    if (!how.extra_scope.empty()) scope += " " + how.extra_scope;
    return scope;
}

// The credentials go to the registry's own host (Basic) and to its token realm, wherever that is
// (auth.docker.io serves docker.io), but only over TLS verified as for any registry: over plain
// HTTP a password or refresh token would be readable on the way, so a realm on http:// gets them
// only when its host was named insecure, and with a warning. Anonymous token requests carry no
// secret and go anywhere the registry points. Credentialed requests never follow redirects: a 307
// would replay the POSTed refresh token to wherever it points.
HttpRequest RegistryClient::token_request(const oci::Reference& ref, const AuthChallenge& c,
                                          const std::string& scope,
                                          const std::optional<Credentials>& creds) {
    const std::string realm = c.param("realm");
    const std::string realm_host = url_authority(realm);
    const bool https = realm.rfind("https://", 0) == 0;
    if ((!https && realm.rfind("http://", 0) != 0) || realm_host.empty())
        throw RegistryError(ref.registry + " sent a Bearer challenge whose realm '" + realm +
                            "' is not an http(s) URL");
    // One scope parameter per scope, as Docker sends them.
    auto scope_params = [&] {
        std::string out;
        for (size_t begin = 0; begin < scope.size();) {
            size_t end = scope.find(' ', begin);
            if (end == std::string::npos) end = scope.size();
            out += "&scope=" + url_escape(scope.substr(begin, end - begin));
            begin = end + 1;
        }
        return out;
    };
    HttpRequest request;
    request.limits = options_.limits;
    request.cancel = options_.cancel.get();
    request.url = realm + (realm.find('?') == std::string::npos ? "?" : "&");
    if (!c.param("service").empty()) request.url += "service=" + url_escape(c.param("service"));
    request.url += scope_params();
    const bool with_secret = creds && (!creds->identity_token.empty() || !creds->username.empty());
    if (!with_secret) return request;
    if (!https) {
        if (!named_insecure(realm_host))
            throw RegistryError(
                "the registry " + ref.registry + " asks for a token from " + realm +
                " over plain HTTP; " + describe(*creds) +
                " are not sent there, as anyone on the way could read them. Fix: have the "
                "registry announce an https:// realm, or, only if the network to " +
                realm_host + " is trusted, pass --insecure-registry " + realm_host);
        warn("sending " + describe(*creds) + " of " + ref.registry + " to the token service " +
             realm + " over plain HTTP, because " + realm_host +
             " is named insecure (--insecure-registry)");
    }
    request.follow_redirects = false;
    if (!creds->identity_token.empty()) {
        // An identity token is a refresh token: exchanged with a POST (OAuth2).
        request.method = "POST";
        request.url = realm;
        request.headers.push_back("Content-Type: application/x-www-form-urlencoded");
        request.body = "grant_type=refresh_token&client_id=envbuilder&refresh_token=" +
                       url_escape(creds->identity_token) +
                       "&service=" + url_escape(c.param("service")) + scope_params();
    } else {
        request.headers.push_back("Authorization: Basic " +
                                  base64_encode(creds->username + ":" + creds->password));
    }
    return request;
}

// Called with mutex_ held.
bool RegistryClient::authorize(const oci::Reference& ref, const Endpoint& endpoint,
                               const HttpResponse& response, const std::string& scope,
                               const std::string& operation) {
    const std::string& host = endpoint.host;
    HostAuth& auth = auth_[host];
    auto challenges = parse_auth_challenges(response.header("www-authenticate"));
    std::optional<Credentials> creds = options_.credentials.lookup(endpoint.credentials);
    for (const auto& c : challenges) {
        if (c.scheme == "basic") {
            if (!creds || creds->username.empty())
                throw RegistryError(
                    operation + " " + ref.repository + " on " + ref.registry +
                    ": the registry requires a login and no credentials are configured for it");
            std::string header = "Basic " + base64_encode(creds->username + ":" + creds->password);
            if (auth.basic == header) return false;  // the credentials we sent were refused
            auth.basic = header;
            return true;
        }
        if (c.scheme == "bearer") {
            auth.bearer = c;
            if (c.param("realm").empty())
                throw RegistryError(ref.registry + " sent a Bearer challenge without a realm");
            HttpRequest request = token_request(ref, c, scope, creds);
            HttpResponse t;
            try {
                t = perform(request, tls_for(url_authority(request.url)));
            } catch (const HttpError& e) {
                throw RegistryError("the token service " + c.param("realm") + " of " +
                                    ref.registry + " failed: " + e.what());
            }
            if (t.status == 401 || t.status == 403)
                throw RegistryError("the token service of " + ref.registry + " refused " +
                                    (creds ? describe(*creds) : std::string("anonymous access")) +
                                    " for " + scope);
            if (t.status != 200) fail(ref, endpoint, "token request for", t);
            auto j = nlohmann::json::parse(t.body, nullptr, false);
            std::string token;
            if (j.is_object()) {
                if (j.contains("token") && j["token"].is_string())
                    token = j["token"];
                else if (j.contains("access_token") && j["access_token"].is_string())
                    token = j["access_token"];
            }
            if (token.empty())
                throw RegistryError("the token service of " + ref.registry +
                                    " answered without a token");
            std::string header = "Bearer " + token;
            if (auth.tokens[scope] == header) return false;  // a fresh token was refused too
            auth.tokens[scope] = header;
            return true;
        }
    }
    return false;
}

HttpResponse RegistryClient::send(const oci::Reference& ref, const Endpoint& endpoint,
                                  HttpRequest request, const std::string& operation,
                                  const SendOptions& how) {
    const std::string& host = endpoint.host;
    const std::vector<std::string> base_headers = request.headers;
    const std::string scope = scope_of(ref, how);
    const int attempts = how.attempts > 0 ? how.attempts : options_.attempts;
    request.limits = options_.limits;
    request.cancel = options_.cancel.get();
    bool reauthorized = false;
    for (int attempt = 0;; ++attempt) {
        request.headers = base_headers;
        // The credentials this attempt sends; another thread may replace them meanwhile.
        auto current_authorization = [&]() -> std::string {
            HostAuth& auth = auth_[host];
            if (auto t = auth.tokens.find(scope); t != auth.tokens.end()) return t->second;
            return auth.basic.value_or("");
        };
        std::string sent_authorization;
        {
            std::lock_guard lock(mutex_);
            sent_authorization = current_authorization();
        }
        if (!sent_authorization.empty())
            request.headers.push_back("Authorization: " + sent_authorization);
        if (how.before_attempt) how.before_attempt(request, attempt);
        HttpResponse response;
        try {
            response = perform(request, tls_for(host), how.sink);
        } catch (const HttpError& e) {
            if (how.body_complete && e.status >= 200 && e.status < 300 && how.body_complete()) {
                HttpResponse whole;
                whole.status = e.status;
                return whole;
            }
            if (attempt + 1 >= attempts)
                throw RegistryError(operation + " " + ref.repository + " on " +
                                    source_of(ref, endpoint) + " failed: " + e.what());
            wait_before_retry(attempt, nullptr);
            continue;
        }
        if (response.status == 401 && !reauthorized) {
            reauthorized = true;
            bool retry;
            {
                std::lock_guard lock(mutex_);
                // When a concurrent request has authorized since this one was sent, use that.
                retry = current_authorization() != sent_authorization ||
                        authorize(ref, endpoint, response, scope, operation);
            }
            if (retry) {
                --attempt;  // an auth round trip is not a failed attempt
                continue;
            }
        }
        if (retryable(response.status) && attempt + 1 < attempts) {
            wait_before_retry(attempt, &response);
            continue;
        }
        return response;
    }
}

FetchedManifest RegistryClient::get_manifest(const oci::Reference& ref,
                                             const std::string& tag_or_digest) {
    const std::string op = "fetching the manifest of";
    return from_any_source(ref, op, [&](const Endpoint& e) {
        HttpRequest request;
        request.url = base_url(ref, e) + "/manifests/" + tag_or_digest;
        request.headers.push_back("Accept: " + oci::manifest_accept_header());
        HttpResponse r = send(ref, e, request, op, {});
        if (r.status != 200) fail(ref, e, op, r);
        FetchedManifest m{r.body, r.header("content-type"), oci::digest_of(r.body),
                          source_of(ref, e)};
        if (auto d = oci::parse_digest(tag_or_digest)) {
            if (oci::digest_of(r.body, d->algorithm) != *d)
                throw RegistryError("the manifest " + tag_or_digest + " of " + ref.repository +
                                    " from " + m.source + " does not match its digest");
            m.digest = *d;
        }
        return m;
    });
}

std::optional<ManifestHead> RegistryClient::head_manifest(const oci::Reference& ref,
                                                          const std::string& tag_or_digest) {
    const std::string op = "resolving the manifest of";
    try {
        return from_any_source(ref, op, [&](const Endpoint& e) -> std::optional<ManifestHead> {
            HttpRequest request;
            request.method = "HEAD";
            request.url = base_url(ref, e) + "/manifests/" + tag_or_digest;
            request.headers.push_back("Accept: " + oci::manifest_accept_header());
            HttpResponse r = send(ref, e, request, op, {});
            if (r.status != 200) fail(ref, e, op, r);
            auto digest = oci::parse_digest(r.header("docker-content-digest"));
            if (!digest) return std::nullopt;
            ManifestHead head{*digest, r.header("content-type"), 0, source_of(ref, e)};
            try {
                head.size = std::stoull(r.header("content-length"));
            } catch (const std::exception&) {
            }
            return head;
        });
    } catch (const RegistryError&) {
        return std::nullopt;  // a GET will say what is wrong, with the body's details
    }
}

std::string RegistryClient::pull_blob(const oci::Reference& ref, const oci::Descriptor& blob,
                                      oci::BlobStore& store) {
    auto finished_from_cache = [&] {
        emit({TransferEvent::Kind::finished, TransferEvent::Direction::pull, blob.digest, blob.size,
              blob.size, "cache", TransferEvent::Outcome::cached});
        return std::string("cache");
    };
    if (store.has(blob.digest)) return finished_from_cache();
    // One download per blob and store: a second puller waits here and then finds it present.
    oci::BlobLock lock(store, blob.digest);
    if (store.has(blob.digest)) return finished_from_cache();
    const std::string op = "pulling blob " + blob.digest.str() + " of";
    return from_any_source(ref, op, [&](const Endpoint& e) {
        const std::string source = source_of(ref, e);
        auto writer =
            std::make_unique<oci::BlobWriter>(store, blob.digest.algorithm, blob.digest, blob.size);
        uint64_t reported = 0;
        bool first_chunk = true;
        emit({TransferEvent::Kind::started,
              TransferEvent::Direction::pull,
              blob.digest,
              blob.size,
              0,
              source,
              {}});
        HttpRequest request;
        request.url = base_url(ref, e) + "/blobs/" + blob.digest.str();
        SendOptions how;
        // After a dropped connection, ask only for what is missing.
        how.before_attempt = [&](HttpRequest& r, int) {
            first_chunk = true;
            if (writer->written() > 0)
                r.headers.push_back("Range: bytes=" + std::to_string(writer->written()) + "-");
        };
        how.sink = [&](const HttpResponse& head, std::string_view chunk) {
            if (first_chunk) {
                first_chunk = false;
                if (head.status == 206) {
                    // Partial content must start where the file ends, or it cannot be appended:
                    // start over, and ask for the whole blob on the next attempt.
                    if (range_start(head.header("content-range")) != writer->written()) {
                        writer = std::make_unique<oci::BlobWriter>(store, blob.digest.algorithm,
                                                                   blob.digest, blob.size);
                        return false;
                    }
                } else if (writer->written() > 0) {
                    // The source ignored the Range header and sends the whole blob again.
                    writer = std::make_unique<oci::BlobWriter>(store, blob.digest.algorithm,
                                                               blob.digest, blob.size);
                }
            }
            writer->write(chunk);
            if (writer->written() - reported >= (1u << 20)) {
                reported = writer->written();
                emit({TransferEvent::Kind::progress,
                      TransferEvent::Direction::pull,
                      blob.digest,
                      blob.size,
                      reported,
                      source,
                      {}});
            }
            return true;
        };
        // Every byte arrived although the connection broke (a Content-Length larger than the
        // body): no Range request for nothing (answered 416); commit() verifies the digest.
        how.body_complete = [&] { return writer->written() == blob.size; };
        HttpResponse r = send(ref, e, request, op, how);
        if (r.status != 200 && r.status != 206) fail(ref, e, op, r);
        writer->commit();
        if (!e.mirror) remember_blob(ref, blob.digest);
        emit({TransferEvent::Kind::finished, TransferEvent::Direction::pull, blob.digest, blob.size,
              blob.size, source, TransferEvent::Outcome::transferred});
        return source;
    });
}

namespace {

// Runs work(i) for i in [0, count) on up to `parallel` threads (this one included). After a
// failure no new item starts; the first failure is rethrown once all threads are done.
void for_each_parallel(size_t count, int parallel, const std::function<void(size_t)>& work) {
    std::atomic<size_t> next{0};
    std::atomic<bool> failed{false};
    std::exception_ptr first_error;
    std::mutex error_mutex;
    auto worker = [&] {
        for (size_t i; !failed && (i = next++) < count;) {
            try {
                work(i);
            } catch (...) {
                std::lock_guard lock(error_mutex);
                if (!first_error) first_error = std::current_exception();
                failed = true;
            }
        }
    };
    const size_t threads = std::min<size_t>(count, static_cast<size_t>(std::max(1, parallel)));
    std::vector<std::thread> pool;
    for (size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
    worker();
    for (auto& t : pool) t.join();
    if (first_error) std::rethrow_exception(first_error);
}

}  // namespace

std::vector<std::string> RegistryClient::pull_blobs(const oci::Reference& ref,
                                                    const std::vector<oci::Descriptor>& blobs,
                                                    oci::BlobStore& store) {
    std::vector<std::string> sources(blobs.size());
    for_each_parallel(blobs.size(), options_.parallel_pulls,
                      [&](size_t i) { sources[i] = pull_blob(ref, blobs[i], store); });
    return sources;
}

std::vector<PushOutcome> RegistryClient::push_blobs(const oci::Reference& ref,
                                                    const std::vector<oci::Descriptor>& blobs,
                                                    const oci::BlobStore& store) {
    // The same blob twice (two identical layers) is uploaded once, its outcome given to both.
    std::vector<size_t> first_of(blobs.size());
    std::vector<size_t> distinct;
    for (size_t i = 0; i < blobs.size(); ++i) {
        first_of[i] = i;
        for (size_t j : distinct)
            if (blobs[j].digest == blobs[i].digest) first_of[i] = j;
        if (first_of[i] == i) distinct.push_back(i);
    }
    std::vector<PushOutcome> outcomes(blobs.size());
    for_each_parallel(distinct.size(), options_.parallel_pulls, [&](size_t k) {
        outcomes[distinct[k]] = push_blob(ref, blobs[distinct[k]], store);
    });
    for (size_t i = 0; i < blobs.size(); ++i) outcomes[i] = outcomes[first_of[i]];
    return outcomes;
}

bool RegistryClient::has_blob(const oci::Reference& ref, const oci::Digest& digest) {
    HttpRequest request;
    request.method = "HEAD";
    const Endpoint e = origin(ref);  // pushes, and what they check, never involve a mirror
    request.url = base_url(ref, e) + "/blobs/" + digest.str();
    SendOptions how;
    how.push = true;
    HttpResponse r = send(ref, e, request, "checking blob " + digest.str() + " in", how);
    if (r.status == 200) return true;
    if (r.status == 404) return false;
    fail(ref, e, "checking blob " + digest.str() + " in", r);
}

PushOutcome RegistryClient::push_blob(const oci::Reference& ref, const oci::Descriptor& blob,
                                      const oci::BlobStore& store) {
    const Endpoint e = origin(ref);
    auto finished = [&](TransferEvent::Outcome outcome, const std::string& source) {
        remember_blob(ref, blob.digest);
        emit({TransferEvent::Kind::finished, TransferEvent::Direction::push, blob.digest, blob.size,
              blob.size, source, outcome});
    };
    if (has_blob(ref, blob.digest)) {
        finished(TransferEvent::Outcome::already_present, ref.registry);
        return PushOutcome::already_present;
    }
    const std::string op = "uploading blob " + blob.digest.str() + " to";
    std::string mount_from;
    {
        std::lock_guard lock(mutex_);
        if (auto reg = known_blobs_.find(ref.registry); reg != known_blobs_.end())
            if (auto repo = reg->second.find(blob.digest.str());
                repo != reg->second.end() && repo->second != ref.repository)
                mount_from = repo->second;
    }
    HttpRequest start;
    start.method = "POST";
    start.url = base_url(ref, e) + "/blobs/uploads/";
    SendOptions how;
    how.push = true;
    if (!mount_from.empty()) {
        // A cross-repository mount: the registry links the blob it has instead of receiving it.
        start.url += "?mount=" + url_escape(blob.digest.str()) + "&from=" + url_escape(mount_from);
        how.extra_scope = "repository:" + mount_from + ":pull";
    }
    HttpResponse s = send(ref, e, start, op, how);
    if (s.status == 201 && !mount_from.empty()) {
        finished(TransferEvent::Outcome::mounted, mount_from);
        return PushOutcome::mounted;
    }
    if (s.status != 202) fail(ref, e, op, s);
    std::string location = s.header("location");
    if (location.empty())
        throw RegistryError(op + " " + ref.repository + ": the registry gave no upload location");
    upload(ref, e, absolute(e, location), blob, store, op);
    finished(TransferEvent::Outcome::transferred, ref.registry);
    return PushOutcome::uploaded;
}

// Sends a blob's bytes to an upload session: one PUT for a small blob; PATCH chunks for a large
// one, where a failed chunk is resumed from the offset the registry reports; then the closing PUT.
void RegistryClient::upload(const oci::Reference& ref, const Endpoint& e, std::string location,
                            const oci::Descriptor& blob, const oci::BlobStore& store,
                            const std::string& op) {
    BlobFile file(store.path(blob.digest));
    if (!file.ok())
        throw RegistryError(op + " " + ref.repository + ": blob missing from the local store");
    SendOptions how;
    how.push = true;
    auto with_digest = [&](const std::string& url) {
        return url + (url.find('?') == std::string::npos ? "?" : "&") +
               "digest=" + url_escape(blob.digest.str());
    };
    emit({TransferEvent::Kind::started,
          TransferEvent::Direction::push,
          blob.digest,
          blob.size,
          0,
          ref.registry,
          {}});
    uint64_t offset = 0;
    if (blob.size > options_.chunk_size) {
        int failures = 0;
        while (offset < blob.size) {
            const uint64_t length = std::min<uint64_t>(options_.chunk_size, blob.size - offset);
            HttpRequest patch;
            patch.method = "PATCH";
            patch.url = location;
            patch.headers = {"Content-Type: application/octet-stream",
                             "Content-Range: " + std::to_string(offset) + "-" +
                                 std::to_string(offset + length - 1)};
            patch.body_size = length;
            patch.body_source = file.reader(offset, length);
            SendOptions once = how;
            once.attempts = 1;  // a failed chunk is resumed below, from where the registry stands
            HttpResponse r;
            std::string problem;
            try {
                r = send(ref, e, patch, op, once);
            } catch (const RegistryError& error) {
                problem = error.what();
            }
            if (problem.empty() && r.status == 202) {
                if (!r.header("location").empty()) location = absolute(e, r.header("location"));
                offset += length;
                failures = 0;
                emit({TransferEvent::Kind::progress,
                      TransferEvent::Direction::push,
                      blob.digest,
                      blob.size,
                      offset,
                      ref.registry,
                      {}});
                continue;
            }
            if (problem.empty() && !retryable(r.status)) fail(ref, e, op, r);
            if (++failures >= options_.attempts) {
                if (!problem.empty()) throw RegistryError(problem);
                fail(ref, e, op, r);
            }
            wait_before_retry(failures - 1, problem.empty() ? &r : nullptr);
            // Ask the registry how much of the upload it holds, and go on from there.
            HttpRequest status;
            status.url = location;
            HttpResponse st = send(ref, e, status, op, how);
            if (st.status != 204 && st.status != 200)
                fail(ref, e, "resuming the upload of blob " + blob.digest.str() + " to", st);
            if (!st.header("location").empty()) location = absolute(e, st.header("location"));
            offset = upload_offset(st.header("range"));
        }
        HttpRequest close;
        close.method = "PUT";
        close.url = with_digest(location);
        close.headers.push_back("Content-Type: application/octet-stream");
        HttpResponse c = send(ref, e, close, op, how);
        if (c.status != 201) fail(ref, e, op, c);
        return;
    }
    // Monolithic upload: the blob streams from the store, never whole in memory.
    HttpRequest put;
    put.method = "PUT";
    put.url = with_digest(location);
    put.headers.push_back("Content-Type: application/octet-stream");
    put.body_size = blob.size;
    how.before_attempt = [&](HttpRequest& r, int) { r.body_source = file.reader(0, blob.size); };
    HttpResponse p = send(ref, e, put, op, how);
    if (p.status != 201) fail(ref, e, op, p);
}

oci::Digest RegistryClient::push_manifest(const oci::Reference& ref,
                                          const std::string& tag_or_digest, const std::string& body,
                                          const std::string& media_type) {
    const Endpoint e = origin(ref);
    HttpRequest put;
    put.method = "PUT";
    put.url = base_url(ref, e) + "/manifests/" + tag_or_digest;
    put.headers.push_back("Content-Type: " + media_type);
    put.body = body;
    SendOptions how;
    how.push = true;
    HttpResponse r = send(ref, e, put, "pushing the manifest of", how);
    if (r.status != 201 && r.status != 200) fail(ref, e, "pushing the manifest of", r);
    oci::Digest digest = oci::digest_of(body);
    if (auto reported = oci::parse_digest(r.header("docker-content-digest"));
        reported && *reported != digest)
        throw RegistryError("the registry " + ref.registry + " stored the manifest of " +
                            ref.repository + " under digest " + reported->str() + ", not " +
                            digest.str());
    return digest;
}

}  // namespace envbuilder::registry
