#include "registry/http.h"

#include <curl/curl.h>

#include <cstdlib>
#include <mutex>

namespace envbuilder::registry {

namespace {

void global_init() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Transfer {
    CURL* curl;
    HttpResponse* response;
    const std::function<bool(std::string_view)>* sink;
    const HttpRequest* request;
    bool aborted = false;
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
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
        while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) value.remove_suffix(1);
        t->response->headers[name] = std::string(value);
    }
    return size * count;
}

size_t on_body(char* data, size_t size, size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    std::string_view chunk(data, size * count);
    long status = 0;
    curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
    if (t->sink && *t->sink) {
        // Only successful bodies are streamed; error bodies are kept for the message.
        if (status >= 200 && status < 300) {
            if (!(*t->sink)(chunk)) {
                t->aborted = true;
                return 0;
            }
            return chunk.size();
        }
    }
    if (t->response->body.size() < (1u << 20)) t->response->body.append(chunk);
    return chunk.size();
}

size_t on_read(char* buffer, size_t size, size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    return t->request->body_source(buffer, size * count);
}

}  // namespace

HttpResponse perform(const HttpRequest& request, const TlsOptions& tls, const std::function<bool(std::string_view)>& sink) {
    global_init();
    CURL* curl = curl_easy_init();
    if (!curl) throw HttpError("cannot create an HTTP handle");
    HttpResponse response;
    Transfer transfer{curl, &response, &sink, &request};
    curl_slist* headers = nullptr;
    for (const auto& h : request.headers) headers = curl_slist_append(headers, h.c_str());
    curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, request.follow_redirects ? 1L : 0L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 30L);
    // A stalled transfer (under 1 byte/s for 60 s) is a failure, whatever the size.
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, 60L);
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
                curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(*request.body_size));
        } else {
            curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.c_str());
            curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
        }
    }
    CURLcode rc = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    if (transfer.aborted) throw HttpError("transfer aborted");
    if (rc != CURLE_OK) throw HttpError(curl_easy_strerror(rc));
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
    static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
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
