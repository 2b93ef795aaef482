#include "features/fetch.h"

#include <unistd.h>

#include <fstream>
#include <stdexcept>

#include "features/local_feature.h"
#include "layers/apply.h"
#include "oci/manifest.h"
#include "oci/reference.h"
#include "registry/http.h"
#include "registry/url_redaction.h"

namespace envbuilder::features {

namespace fs = std::filesystem;

namespace {

// "host:port" of "https://user@host:port/path".
std::string url_authority(const std::string& url) {
    size_t start = url.find("://");
    start = start == std::string::npos ? 0 : start + 3;
    std::string authority = url.substr(start, url.find_first_of("/?#", start) - start);
    size_t at = authority.rfind('@');
    return at == std::string::npos ? authority : authority.substr(at + 1);
}

}  // namespace

FeatureFetcher::FeatureFetcher(registry::RegistryClient& client, oci::BlobStore& store,
                               fs::path cache_dir, const std::atomic<bool>* cancel)
    : client_(client), store_(store), cache_dir_(std::move(cache_dir)), cancel_(cancel) {}

std::shared_ptr<const ResolvedFeature> FeatureFetcher::fetch(const FeatureRef& ref) {
    switch (ref.kind) {
        case SourceKind::LocalFolder:
            return read_feature_folder(ref.folder);
        case SourceKind::Oci:
            return fetch_oci(ref);
        case SourceKind::Tarball:
            return fetch_tarball(ref);
    }
    throw std::runtime_error("feature " + ref.user_id + ": unknown source");
}

fs::path FeatureFetcher::unpacked(const oci::Digest& blob, const std::string& label) {
    const fs::path folder = cache_dir_ / "features" / (blob.algorithm + "-" + blob.hex);
    if (fs::is_directory(folder)) return folder;
    fs::create_directories(folder.parent_path());
    const fs::path temporary = folder.string() + ".tmp-" + std::to_string(::getpid());
    fs::remove_all(temporary);
    fs::create_directories(temporary);
    layers::ApplyOptions options;
    options.privileged = false;  // a feature's files are installed by us, owned by root, later
    options.label = label;
    try {
        layers::apply_layer(store_.path(blob), temporary, options);
    } catch (const std::exception& e) {
        fs::remove_all(temporary);
        throw std::runtime_error("feature " + label +
                                 ": its archive cannot be unpacked: " + e.what());
    }
    std::error_code ec;
    fs::rename(temporary, folder, ec);
    if (ec) {
        fs::remove_all(temporary);  // another build unpacked the same blob first
        if (!fs::is_directory(folder))
            throw std::runtime_error("feature " + label + ": " + ec.message());
    }
    return folder;
}

std::shared_ptr<const ResolvedFeature> FeatureFetcher::fetch_oci(const FeatureRef& ref) {
    const std::string name = ref.collection() + "/" + ref.name;
    auto parsed =
        oci::parse_reference(name + (ref.digest.empty() ? ":" + ref.tag : "@" + ref.digest));
    if (auto* e = oci::get_error(parsed))
        throw std::runtime_error("feature " + ref.user_id + ": " + e->message);
    const oci::Reference& reference = std::get<oci::Reference>(parsed);
    registry::FetchedManifest fetched;
    try {
        fetched = client_.get_manifest(reference, ref.digest.empty() ? ref.tag : ref.digest);
    } catch (const std::exception& e) {
        throw std::runtime_error("feature " + ref.user_id + " cannot be fetched: " + e.what());
    }
    auto document = oci::parse_manifest_document(fetched.body, fetched.media_type);
    const auto* manifest = std::get_if<oci::Manifest>(&document);
    if (!manifest)
        throw std::runtime_error("feature " + ref.user_id + ": " +
                                 (std::holds_alternative<oci::Index>(document)
                                      ? std::string("is an image index, not a feature artifact")
                                      : std::get<oci::ManifestError>(document).message));
    const oci::Descriptor* layer = nullptr;
    for (const auto& l : manifest->layers)
        if (l.media_type == kFeatureLayerTar || l.media_type == kFeatureLayerTgz) layer = &l;
    if (!layer)
        throw std::runtime_error("feature " + ref.user_id + ": its manifest has no layer of type " +
                                 std::string(kFeatureLayerTar) +
                                 "; is it a Dev Container Feature?");
    try {
        client_.pull_blob(reference, *layer, store_);
    } catch (const std::exception& e) {
        throw std::runtime_error("feature " + ref.user_id +
                                 ": its archive cannot be fetched: " + e.what());
    }
    auto local = read_feature_folder(unpacked(layer->digest, ref.user_id));
    auto resolved = std::make_shared<ResolvedFeature>(*local);
    resolved->manifest_digest = fetched.digest.str();
    return resolved;
}

std::shared_ptr<const ResolvedFeature> FeatureFetcher::fetch_tarball(const FeatureRef& ref) {
    const std::string shown = registry::redact_userinfo(ref.url);
    oci::BlobWriter writer(store_, "sha256", std::nullopt, std::nullopt);
    registry::HttpRequest request;
    request.url = ref.url;
    request.cancel = cancel_;
    // Always verified; a private CA is trusted the way a registry's is (certs.d/<host>/ca.crt).
    registry::TlsOptions tls;
    tls.ca_file = registry::registry_ca_file(url_authority(ref.url));
    registry::HttpResponse response;
    try {
        response = registry::perform(
            request, tls, [&](const registry::HttpResponse& head, std::string_view chunk) {
                if (head.status >= 200 && head.status < 300) writer.write(chunk);
                return true;
            });
    } catch (const std::exception& e) {
        throw std::runtime_error("feature " + shown + " cannot be fetched: " + e.what());
    }
    if (response.status < 200 || response.status >= 300)
        throw std::runtime_error("feature " + shown + " cannot be fetched: HTTP " +
                                 std::to_string(response.status));
    const oci::Digest blob = writer.commit();
    auto local = read_feature_folder(unpacked(blob, shown));
    auto resolved = std::make_shared<ResolvedFeature>(*local);
    resolved->manifest_digest = blob.str();
    return resolved;
}

}  // namespace envbuilder::features
