#include "registry/http.h"

#include <sys/socket.h>

#include <curl/curl.h>

#include <chrono>
#include <cstdlib>
#include <mutex>

#include "registry/url_redaction.h"

namespace envbuilder::registry {

namespace {

// One share for every handle of the process: connections, TLS sessions and DNS answers are
// reused across requests and threads, so a pull of many blobs does not pay a handshake each.
class SharedState {
  public:
    SharedState() {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        share_ = curl_share_init();
        curl_share_setopt(share_, CURLSHOPT_LOCKFUNC, lock);
        curl_share_setopt(share_, CURLSHOPT_UNLOCKFUNC, unlock);
        curl_share_setopt(share_, CURLSHOPT_USERDATA, this);
        curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
        curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
        curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    }
    CURLSH* get() const { return share_; }

  private:
    static void lock(CURL*, curl_lock_data data, curl_lock_access, void* user) {
        static_cast<SharedState*>(user)->mutexes_[static_cast<size_t>(data) % kLocks].lock();
    }
    static void unlock(CURL*, curl_lock_data data, void* user) {
        static_cast<SharedState*>(user)->mutexes_[static_cast<size_t>(data) % kLocks].unlock();
    }
    static constexpr size_t kLocks = 8;
    CURLSH* share_;
    std::mutex mutexes_[kLocks];
};

// Never destroyed: handles may still be cleaned up by other threads while the process exits.
SharedState& shared_state() {
    static auto* state = new SharedState();
    return *state;
}

struct Transfer {
    CURL* curl;
    HttpResponse* response;
    const BodySink* sink;
    const HttpRequest* request;
    bool aborted = false;
    bool oversized = false;
};

size_t on_header(char* data, size_t size, size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    std::string_view line(data, size * count);
    if (line.rfind("HTTP/", 0) == 0) {
        t->response->headers.clear();  // a new response (after a redirect or 100 Continue)
        return size * count;
    }
    size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
        std::string name(line.substr(0, colon));
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
            value.remove_prefix(1);
        while (!value.empty() &&
               (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
            value.remove_suffix(1);
        t->response->headers[name] = std::string(value);
    }
    return size * count;
}

size_t on_body(char* data, size_t size, size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    std::string_view chunk(data, size * count);
    curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &t->response->status);
    const long status = t->response->status;
    if (t->sink && *t->sink && status >= 200 && status < 300) {
        // Only successful bodies are streamed; error bodies are kept for the message.
        if (!(*t->sink)(*t->response, chunk)) {
            t->aborted = true;
            return 0;
        }
        return chunk.size();
    }
    if (t->response->body.size() + chunk.size() > t->request->max_body) {
        t->oversized = true;
        return 0;
    }
    t->response->body.append(chunk);
    return chunk.size();
}

static_assert(kAbortBody == CURL_READFUNC_ABORT);

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    auto* t = static_cast<Transfer*>(user);
    return t->request->cancel && t->request->cancel->load() ? 1 : 0;
}

size_t on_read(char* buffer, size_t size, size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    return t->request->body_source(buffer, size * count);
}

// Sockets are made close-on-exec, so that no process the builder starts (a RUN step, git, a
// credential helper) inherits a live registry connection.
curl_socket_t open_cloexec_socket(void*, curlsocktype, curl_sockaddr* address) {
    return ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

}  // namespace

HttpResponse perform(const HttpRequest& request, const TlsOptions& tls, const BodySink& sink) {
    CURLSH* share = shared_state().get();
    CURL* curl = curl_easy_init();
    if (!curl) throw HttpError("cannot create an HTTP handle");
    HttpResponse response;
    Transfer transfer{curl, &response, &sink, &request};
    curl_slist* headers = nullptr;
    for (const auto& h : request.headers) headers = curl_slist_append(headers, h.c_str());
    curl_easy_setopt(curl, CURLOPT_SHARE, share);
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, open_cloexec_socket);
    // Large buffers: a layer moves in far fewer reads, writes and callbacks than with 16 KiB.
    curl_easy_setopt(curl, CURLOPT_BUFFERSIZE, 512L * 1024);
    curl_easy_setopt(curl, CURLOPT_UPLOAD_BUFFERSIZE, 2L * 1024 * 1024);
    curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
    if (request.cancel) {
        curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
        curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &transfer);
        curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    }
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, request.follow_redirects ? 1L : 0L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    // Neither a realm, a Location nor a mirror URL may lead to file://, ftp:// and the like.
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 30L);
    // A transfer slower than the limit for its whole interval fails, whatever its size; so does
    // one that outlives the deadline.
    const TransferLimits& limits = request.limits;
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT,
                     static_cast<long>(std::max<uint64_t>(1, limits.low_speed_bytes)));
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, std::max(1L, limits.low_speed_seconds));
    if (limits.deadline_seconds > 0)
        curl_easy_setopt(curl, CURLOPT_TIMEOUT, limits.deadline_seconds);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "envbuilder/0.1");
    // Redirects to blob storage must not carry the registry's Authorization header elsewhere.
    curl_easy_setopt(curl, CURLOPT_UNRESTRICTED_AUTH, 0L);
    if (!tls.verify) {
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
    } else if (!tls.ca_file.empty()) {
        curl_easy_setopt(curl, CURLOPT_CAINFO, tls.ca_file.c_str());
    }
    if (request.method == "HEAD") {
        curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    } else if (request.method != "GET") {
        curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
        if (request.body_source) {
            curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
            curl_easy_setopt(curl, CURLOPT_READFUNCTION, on_read);
            curl_easy_setopt(curl, CURLOPT_READDATA, &transfer);
            if (request.body_size)
                curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE,
                                 static_cast<curl_off_t>(*request.body_size));
        } else {
            curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.c_str());
            curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                             static_cast<curl_off_t>(request.body.size()));
        }
    }
    const auto started = std::chrono::steady_clock::now();
    CURLcode rc = curl_easy_perform(curl);
    const auto elapsed = std::chrono::steady_clock::now() - started;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
    curl_off_t connected_us = 0;
    curl_easy_getinfo(curl, CURLINFO_CONNECT_TIME_T, &connected_us);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    if (request.cancel && request.cancel->load()) throw Cancelled();
    auto failure = [&](const std::string& what) {
        HttpError error(what);
        error.status = response.status;
        return error;
    };
    if (transfer.oversized)
        throw failure("the response body is larger than " + std::to_string(request.max_body) +
                      " bytes");
    if (transfer.aborted) throw failure("transfer aborted");
    if (rc == CURLE_OPERATION_TIMEDOUT) {
        const std::string url = redact_userinfo(request.url);
        if (limits.deadline_seconds > 0 &&
            elapsed >=
                std::chrono::seconds(limits.deadline_seconds) - std::chrono::milliseconds(50))
            throw failure("the transfer of " + url + " did not finish within " +
                          std::to_string(limits.deadline_seconds) +
                          " s (the per-transfer deadline, --transfer-timeout)");
        if (connected_us == 0) throw failure("could not connect to " + url + " within 30 s");
        throw failure("the transfer of " + url + " stalled: less than " +
                      std::to_string(limits.low_speed_bytes) + " bytes/s for " +
                      std::to_string(limits.low_speed_seconds) + " s (--low-speed-limit " +
                      std::to_string(limits.low_speed_bytes) + "/" +
                      std::to_string(limits.low_speed_seconds) + ")");
    }
    if (rc != CURLE_OK) throw failure(curl_easy_strerror(rc));
    return response;
}

std::filesystem::path registry_ca_file(const std::string& host) {
    std::vector<std::filesystem::path> dirs;
    if (const char* d = std::getenv("ENVBUILDER_CERTS_DIR"); d && *d) dirs.emplace_back(d);
    dirs.emplace_back("/etc/docker/certs.d");
    for (const auto& dir : dirs) {
        auto ca = dir / host / "ca.crt";
        std::error_code ec;
        if (std::filesystem::is_regular_file(ca, ec)) return ca;
    }
    return {};
}

std::string base64_encode(std::string_view in) {
    static const char* alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    uint32_t buffer = 0;
    int bits = 0;
    for (unsigned char c : in) {
        buffer = (buffer << 8) | c;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out.push_back(alphabet[(buffer >> bits) & 63]);
        }
    }
    if (bits > 0) out.push_back(alphabet[(buffer << (6 - bits)) & 63]);
    while (out.size() % 4) out.push_back('=');
    return out;
}

}  // namespace envbuilder::registry
