#pragma once
// Test support for hostile images: layers made entry by entry with libarchive (what no honest
// writer produces: bombs, links out of the root), OCI image layouts around them whose configs
// can lie (wrong diff_ids, too many or too few), and in-process builds on them, with the layers
// of the result read back for what they really hold.
#include <archive.h>
#include <archive_entry.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "executor/build.h"
#include "oci/blob_store.h"
#include "oci/digest.h"
#include "oci/layout.h"

namespace envbuilder::testing::images {

namespace fs = std::filesystem;
using nlohmann::json;

// A fresh directory under /tmp, removed with everything in it at the end of the test.
struct ScratchDir {
    fs::path path;
    explicit ScratchDir(const std::string& name)
        : path(fs::temp_directory_path() / ("eb-" + name + "-" + std::to_string(::getpid()) + "-" +
                                            std::to_string(counter()++))) {
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~ScratchDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    fs::path operator/(const std::string& sub) const { return path / sub; }
    static int& counter() {
        static int n = 0;
        return n;
    }
};

inline void write_text(const fs::path& path, const std::string& content) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
}

inline std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

struct LayerEntry {
    std::string name;
    mode_t type = AE_IFREG;
    std::string content;  // regular files
    uint64_t zeros = 0;   // regular files: this many zero bytes instead of `content`
    std::string symlink;  // AE_IFLNK
};

inline LayerEntry file_entry(std::string name, std::string content) {
    return {std::move(name), AE_IFREG, std::move(content), 0, {}};
}
inline LayerEntry zeros_entry(std::string name, uint64_t zeros) {
    return {std::move(name), AE_IFREG, {}, zeros, {}};
}
inline LayerEntry dir_entry(std::string name) {
    return {std::move(name), AE_IFDIR, {}, 0, {}};
}
inline LayerEntry link_entry(std::string name, std::string target) {
    return {std::move(name), AE_IFLNK, {}, 0, std::move(target)};
}

// Writes the entries as a tar (gzip-compressed when `gzip`), streaming the zeros.
inline void write_layer(const fs::path& out, const std::vector<LayerEntry>& entries,
                        bool gzip = true) {
    archive* a = archive_write_new();
    archive_write_set_format_pax_restricted(a);
    if (gzip) archive_write_add_filter_gzip(a);
    REQUIRE(archive_write_open_filename(a, out.c_str()) == ARCHIVE_OK);
    const std::string zero_block(1 << 20, '\0');
    for (const auto& e : entries) {
        archive_entry* entry = archive_entry_new();
        archive_entry_set_pathname(entry, e.name.c_str());
        archive_entry_set_filetype(entry, e.type);
        archive_entry_set_perm(entry, e.type == AE_IFDIR ? 0755 : 0644);
        archive_entry_set_mtime(entry, 1'600'000'000, 0);
        if (e.type == AE_IFLNK) archive_entry_set_symlink(entry, e.symlink.c_str());
        const uint64_t size = e.type == AE_IFREG ? (e.zeros ? e.zeros : e.content.size()) : 0;
        archive_entry_set_size(entry, static_cast<la_int64_t>(size));
        REQUIRE(archive_write_header(a, entry) == ARCHIVE_OK);
        if (e.zeros) {
            for (uint64_t left = e.zeros; left > 0;) {
                const size_t n = static_cast<size_t>(std::min<uint64_t>(left, zero_block.size()));
                REQUIRE(archive_write_data(a, zero_block.data(), n) == static_cast<la_ssize_t>(n));
                left -= n;
            }
        } else if (!e.content.empty()) {
            archive_write_data(a, e.content.data(), e.content.size());
        }
        archive_entry_free(entry);
    }
    REQUIRE(archive_write_close(a) == ARCHIVE_OK);
    archive_write_free(a);
}

// The digest of a layer's uncompressed tar, computed by gzip, not by us.
inline std::string uncompressed_digest(const fs::path& layer) {
    FILE* p = ::popen(("gzip -dc " + layer.string() + " | sha256sum").c_str(), "r");
    REQUIRE(p);
    char buf[128] = {};
    const size_t n = std::fread(buf, 1, 64, p);
    ::pclose(p);
    REQUIRE(n == 64);
    return "sha256:" + std::string(buf, 64);
}

struct LayoutLayer {
    fs::path file;                       // a gzip tar
    std::optional<std::string> diff_id;  // default: its true uncompressed digest
};

// Writes an OCI image layout at `dir` (tag "latest") with these layers; `extra_diff_ids` more
// diff_ids than layers in the config (negative: fewer); `config_padding` bytes of whitespace
// make the config large.
inline void write_layout(const fs::path& dir, const std::vector<LayoutLayer>& layers,
                         int extra_diff_ids = 0, size_t config_padding = 0) {
    auto layout = oci::ImageLayout::create(dir);
    json manifest_layers = json::array();
    json diff_ids = json::array();
    for (const auto& layer : layers) {
        auto digest = layout.blobs().put_bytes(read_text(layer.file));
        manifest_layers.push_back({{"mediaType", oci::kMediaTypeLayerGzip},
                                   {"digest", digest.str()},
                                   {"size", fs::file_size(layer.file)}});
        diff_ids.push_back(layer.diff_id ? *layer.diff_id : uncompressed_digest(layer.file));
    }
    for (int i = 0; i < extra_diff_ids; ++i) diff_ids.push_back(diff_ids.back());
    for (int i = 0; i > extra_diff_ids && !diff_ids.empty(); --i)
        diff_ids.erase(diff_ids.size() - 1);
    json config = {{"architecture", oci::host_platform().architecture},
                   {"os", "linux"},
                   {"config", {{"Env", {"PATH=/bin"}}}},
                   {"rootfs", {{"type", "layers"}, {"diff_ids", diff_ids}}}};
    const std::string config_text = config.dump() + std::string(config_padding, ' ');
    auto config_digest = layout.blobs().put_bytes(config_text);
    json manifest = {{"schemaVersion", 2},
                     {"mediaType", oci::kMediaTypeImageManifest},
                     {"config",
                      {{"mediaType", oci::kMediaTypeImageConfig},
                       {"digest", config_digest.str()},
                       {"size", config_text.size()}}},
                     {"layers", manifest_layers}};
    const std::string manifest_text = manifest.dump();
    oci::Descriptor d;
    d.media_type = oci::kMediaTypeImageManifest;
    d.digest = layout.blobs().put_bytes(manifest_text);
    d.size = manifest_text.size();
    d.annotations[oci::kAnnotationRefName] = "latest";
    layout.add_manifest(d);
}

struct BuildOutcome {
    std::optional<executor::BuiltImage> image;
    std::string error;  // the BuildError's message when the build failed
    std::vector<std::string> messages;
};

// Builds `dockerfile` (written into the context as Dockerfile) in this process.
inline BuildOutcome build_in_process(const fs::path& context, const std::string& dockerfile,
                                     const fs::path& cache_dir,
                                     executor::Snapshotter snapshotter = executor::Snapshotter::automatic,
                                     std::optional<layers::UnpackLimits> limits = std::nullopt) {
    write_text(context / "Dockerfile", dockerfile);
    executor::BuildRequest request;
    request.dockerfile = context / "Dockerfile";
    request.context = context;
    request.cache_dir = cache_dir;
    request.snapshotter = snapshotter;
    if (limits) request.unpack_limits = *limits;
    BuildOutcome outcome;
    request.on_event = [&](const executor::BuildEvent& e) {
        if (e.kind == executor::BuildEvent::Kind::message ||
            e.kind == executor::BuildEvent::Kind::warning)
            outcome.messages.push_back(e.text);
    };
    try {
        outcome.image = executor::build_image(request);
    } catch (const executor::BuildError& e) {
        outcome.error = e.what();
    }
    return outcome;
}

// Every regular file of the image's layers by path, with its content (later layers win).
inline std::map<std::string, std::string> files_in_layers(const executor::BuiltImage& image,
                                                          const fs::path& cache_dir) {
    oci::BlobStore store(cache_dir);
    std::map<std::string, std::string> files;
    for (const auto& layer : image.layers) {
        archive* a = archive_read_new();
        archive_read_support_filter_all(a);
        archive_read_support_format_tar(a);
        REQUIRE(archive_read_open_filename(a, store.path(layer.digest).c_str(), 65536) ==
                ARCHIVE_OK);
        archive_entry* entry;
        while (archive_read_next_header(a, &entry) == ARCHIVE_OK) {
            if (archive_entry_filetype(entry) != AE_IFREG) continue;
            std::string content;
            char buf[65536];
            for (la_ssize_t n; (n = archive_read_data(a, buf, sizeof buf)) > 0;)
                content.append(buf, static_cast<size_t>(n));
            std::string name = archive_entry_pathname(entry);
            if (name.rfind("./", 0) == 0) name.erase(0, 2);
            files[name] = content;
        }
        archive_read_free(a);
    }
    return files;
}

// True when any file of the image's layers holds `needle`.
inline bool layers_contain(const executor::BuiltImage& image, const fs::path& cache_dir,
                           const std::string& needle) {
    for (const auto& [name, content] : files_in_layers(image, cache_dir))
        if (content.find(needle) != std::string::npos) return true;
    return false;
}

}  // namespace envbuilder::testing::images
