// The registry client's downloads: manifests (by tag or digest, HEAD too) and blobs, streamed
// into the blob store with Range resumption, several at a time.
#include <nlohmann/json.hpp>

#include "oci/manifest.h"
#include "registry/client.h"
#include "registry/client_support.h"

namespace envbuilder::registry {

using detail::for_each_parallel;
using detail::retryable;
using detail::url_escape;

namespace {

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

}  // namespace

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

std::vector<std::string> RegistryClient::pull_blobs(const oci::Reference& ref,
                                                    const std::vector<oci::Descriptor>& blobs,
                                                    oci::BlobStore& store) {
    std::vector<std::string> sources(blobs.size());
    for_each_parallel(blobs.size(), options_.parallel_pulls,
                      [&](size_t i) { sources[i] = pull_blob(ref, blobs[i], store); });
    return sources;
}

}  // namespace envbuilder::registry
