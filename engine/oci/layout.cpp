#include "oci/layout.h"

#include <fstream>
#include <sstream>

#include "oci/document_limits.h"
#include "syntax/json_text.h"

namespace envbuilder::oci {

namespace fs = std::filesystem;
using nlohmann::json;

json to_json(const Descriptor& d) {
    json j = {{"mediaType", d.media_type}, {"digest", d.digest.str()}, {"size", d.size}};
    if (!d.annotations.empty()) j["annotations"] = d.annotations;
    if (d.platform) j["platform"] = *d.platform;
    return j;
}

Descriptor descriptor_from_json(const json& j) {
    if (!j.is_object()) throw std::runtime_error("a descriptor must be a JSON object");
    Descriptor d;
    if (!j.contains("mediaType") || !j["mediaType"].is_string()) throw std::runtime_error("descriptor without a mediaType");
    d.media_type = j["mediaType"];
    std::string problem;
    auto digest = j.contains("digest") && j["digest"].is_string() ? parse_digest(j["digest"].get<std::string>(), &problem)
                                                                   : std::nullopt;
    if (!digest) throw std::runtime_error("descriptor digest is invalid: " + (problem.empty() ? "missing" : problem));
    d.digest = *digest;
    if (!j.contains("size") || !j["size"].is_number_unsigned()) throw std::runtime_error("descriptor without a size");
    d.size = j["size"];
    if (j.contains("annotations") && j["annotations"].is_object())
        for (const auto& [k, v] : j["annotations"].items())
            if (v.is_string()) d.annotations[k] = v;
    if (j.contains("platform")) d.platform = j["platform"];
    return d;
}

ImageLayout ImageLayout::create(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir / "blobs", ec);
    if (ec) throw StoreError("cannot create " + (dir / "blobs").string() + ": " + ec.message());
    if (!fs::exists(dir / "oci-layout")) {
        std::ofstream(dir / "oci-layout") << R"({"imageLayoutVersion":"1.0.0"})";
    }
    if (fs::exists(dir / "index.json")) return open(dir);
    ImageLayout layout(dir);
    layout.write_index();
    return layout;
}

ImageLayout ImageLayout::open(const fs::path& dir) {
    if (!fs::exists(dir / "oci-layout"))
        throw StoreError(dir.string() + " is not an OCI image layout: no oci-layout file");
    json version = json::parse(read_document_file(dir / "oci-layout"), nullptr, false);
    if (!version.is_object() || version.value("imageLayoutVersion", "") != "1.0.0")
        throw StoreError(dir.string() + "/oci-layout: expected imageLayoutVersion 1.0.0");
    if (!fs::exists(dir / "index.json"))
        throw StoreError(dir.string() + " is not an OCI image layout: no index.json");
    json index = json::parse(read_document_file(dir / "index.json"), nullptr, false);
    if (!index.is_object() || !index.contains("manifests") || !index["manifests"].is_array())
        throw StoreError(dir.string() + "/index.json: expected an image index with a manifests array");
    ImageLayout layout(dir);
    for (const auto& m : index["manifests"]) {
        try {
            layout.manifests_.push_back(descriptor_from_json(m));
        } catch (const std::runtime_error& e) {
            throw StoreError(dir.string() + "/index.json: " + e.what());
        }
    }
    return layout;
}

void ImageLayout::add_manifest(const Descriptor& manifest) {
    auto ref = manifest.annotations.find(kAnnotationRefName);
    if (ref != manifest.annotations.end()) {
        std::erase_if(manifests_, [&](const Descriptor& d) {
            auto r = d.annotations.find(kAnnotationRefName);
            return r != d.annotations.end() && r->second == ref->second;
        });
    }
    manifests_.push_back(manifest);
    write_index();
}

std::optional<Descriptor> ImageLayout::find(const std::string& ref_name) const {
    for (const auto& d : manifests_) {
        auto r = d.annotations.find(kAnnotationRefName);
        if (r != d.annotations.end() && r->second == ref_name) return d;
    }
    return std::nullopt;
}

void ImageLayout::write_index() const {
    json manifests = json::array();
    for (const auto& d : manifests_) manifests.push_back(to_json(d));
    json index = {{"schemaVersion", 2}, {"mediaType", kMediaTypeImageIndex}, {"manifests", manifests}};
    // index.json is replaced atomically so a reader sees the old or the new index, never half.
    fs::path tmp = dir_ / ".index.json.tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << json_text(index, 2) << '\n';
        if (!out) throw StoreError("cannot write " + tmp.string());
    }
    fs::rename(tmp, dir_ / "index.json");
}

}  // namespace envbuilder::oci
