#include "oci/manifest.h"

#include <sys/utsname.h>

#include <cctype>

#include <nlohmann/json.hpp>

#include "syntax/json_bounded.h"

namespace envbuilder::oci {

using nlohmann::json;

std::string manifest_accept_header() {
    return std::string(kMediaTypeImageIndex) + ", " + kDockerManifestList + ", " + kMediaTypeImageManifest + ", " +
           kDockerManifestV2;
}

std::string Platform::str() const {
    std::string s = os + "/" + architecture;
    if (!variant.empty()) s += "/" + variant;
    return s;
}

namespace {
void normalize(Platform& p) {
    if (p.architecture == "x86_64" || p.architecture == "x86-64") p.architecture = "amd64";
    if (p.architecture == "aarch64") {
        p.architecture = "arm64";
    }
    if (p.architecture == "armhf") {
        p.architecture = "arm";
        if (p.variant.empty()) p.variant = "v7";
    }
    if (p.architecture == "armel") {
        p.architecture = "arm";
        if (p.variant.empty()) p.variant = "v6";
    }
    if (p.architecture == "arm64" && (p.variant.empty() || p.variant == "8")) p.variant = "v8";
    if (p.architecture == "arm" && p.variant.empty()) p.variant = "v7";
    if (p.architecture == "arm" && p.variant.size() == 1) p.variant = "v" + p.variant;
}
}  // namespace

std::optional<Platform> parse_platform(std::string_view text, std::string* problem) {
    std::vector<std::string> parts;
    size_t start = 0;
    while (start <= text.size()) {
        size_t slash = text.find('/', start);
        if (slash == std::string_view::npos) slash = text.size();
        parts.emplace_back(text.substr(start, slash - start));
        start = slash + 1;
    }
    for (auto& p : parts)
        for (auto& c : p) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (text.find(',') != std::string_view::npos) {
        if (problem)
            *problem = "one platform at a time (os/architecture[/variant]); got the list '" +
                       std::string(text) + "'";
        return std::nullopt;
    }
    for (const auto& part : parts)
        for (char c : part)
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.') {
                if (problem)
                    *problem = "a platform is written os/architecture[/variant], e.g. "
                               "linux/arm64; got '" +
                               std::string(text) + "'";
                return std::nullopt;
            }
    Platform p;
    if (parts.size() == 1 && !parts[0].empty()) {
        p.architecture = parts[0];
    } else if (parts.size() == 2 || parts.size() == 3) {
        p.os = parts[0];
        p.architecture = parts[1];
        if (parts.size() == 3) p.variant = parts[2];
    }
    if (p.os.empty() || p.architecture.empty() || (parts.size() == 3 && p.variant.empty())) {
        if (problem) *problem = "a platform is written os/architecture[/variant], e.g. linux/arm64; got '" + std::string(text) + "'";
        return std::nullopt;
    }
    normalize(p);
    return p;
}

Platform host_platform() {
    utsname u{};
    uname(&u);
    Platform p;
    p.architecture = u.machine;
    normalize(p);
    return p;
}

namespace {
ManifestError error(std::string message) { return ManifestError{std::move(message)}; }

// A platform field that is absent or not a string (a hostile index) reads as empty.
std::string string_field(const json& object, const char* name) {
    auto field = object.find(name);
    return field != object.end() && field->is_string() ? field->get<std::string>() : std::string();
}
}  // namespace

ManifestDocument parse_manifest_document(std::string_view body, std::string_view content_type) {
    json j = parse_json_bounded(body);
    if (j.is_discarded() || !j.is_object())
        return error("the manifest is not a JSON object (or nests deeper than " +
                     std::to_string(kMaxForeignJsonDepth) + " levels)");
    // A registry's document is foreign input: each field's type is checked before it is read.
    std::string media_type(content_type);
    if (auto field = j.find("mediaType"); field != j.end()) {
        if (!field->is_string()) return error("the manifest's \"mediaType\" must be a string");
        media_type = field->get<std::string>();
    }
    if (auto semicolon = media_type.find(';'); semicolon != std::string::npos) media_type.resize(semicolon);
    long long schema = 0;
    if (auto field = j.find("schemaVersion"); field != j.end()) {
        if (!field->is_number_integer()) return error("the manifest's \"schemaVersion\" must be an integer");
        schema = field->get<long long>();
    }
    if (schema == 1 || media_type == kDockerManifestV1 || media_type == kDockerManifestV1Signed)
        return error("Docker image manifest schema 1 is not supported (it is deprecated and has no "
                     "content-addressable config); push the image again with a current client to get schema 2");
    if (schema != 2) return error("unsupported manifest schemaVersion " + std::to_string(schema) + " (expected 2)");
    try {
        if (j.contains("manifests")) {
            if (media_type.empty()) media_type = kMediaTypeImageIndex;
            if (media_type != kMediaTypeImageIndex && media_type != kDockerManifestList)
                return error("a document with \"manifests\" must be an image index, not " + media_type);
            Index index{media_type, {}};
            if (!j["manifests"].is_array()) return error("\"manifests\" must be an array");
            for (const auto& m : j["manifests"]) index.manifests.push_back(descriptor_from_json(m));
            return index;
        }
        if (media_type.empty()) media_type = kMediaTypeImageManifest;
        if (media_type != kMediaTypeImageManifest && media_type != kDockerManifestV2)
            return error("unsupported manifest media type '" + media_type + "'");
        if (!j.contains("config")) return error("the image manifest has no config");
        Manifest manifest{media_type, descriptor_from_json(j["config"]), {}};
        if (!j.contains("layers") || !j["layers"].is_array()) return error("the image manifest has no layers array");
        for (const auto& l : j["layers"]) manifest.layers.push_back(descriptor_from_json(l));
        return manifest;
    } catch (const std::exception& e) {
        return error(std::string("invalid manifest: ") + e.what());
    }
}

std::optional<Descriptor> select_platform(const Index& index, const Platform& wanted, std::string* problem) {
    std::string available;
    for (const auto& m : index.manifests) {
        if (!m.platform || !m.platform->is_object()) continue;
        Platform p;
        p.os = string_field(*m.platform, "os");
        p.architecture = string_field(*m.platform, "architecture");
        p.variant = string_field(*m.platform, "variant");
        normalize(p);
        if (p.os == "unknown") continue;  // attestation manifests
        if (!available.empty()) available += ", ";
        available += p.str();
        if (p.os == wanted.os && p.architecture == wanted.architecture &&
            (wanted.variant.empty() || p.variant == wanted.variant))
            return m;
    }
    if (problem)
        *problem = "no manifest for " + wanted.str() + " in the index" + (available.empty() ? "" : " (it has " + available + ")");
    return std::nullopt;
}

}  // namespace envbuilder::oci
