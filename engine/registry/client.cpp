#include "registry/client.h"

#include <chrono>
#include <iostream>
#include <thread>

#include <nlohmann/json.hpp>

#include "oci/manifest.h"
#include "registry/client_support.h"
#include "registry/retry_after.h"

namespace envbuilder::registry {

using detail::for_each_parallel;
using detail::retryable;
using detail::url_escape;

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

}  // namespace envbuilder::registry
