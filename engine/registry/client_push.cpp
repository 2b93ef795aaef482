// The registry client's uploads: blobs (skipped when the registry has them, mounted across
// repositories, sent in chunks that resume) and manifests.
#include <fcntl.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "registry/client.h"
#include "registry/client_support.h"

namespace envbuilder::registry {

using detail::for_each_parallel;
using detail::retryable;
using detail::url_escape;

namespace {

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
