#include "oci/docker_archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <unistd.h>

#include <fstream>
#include <memory>

#include <nlohmann/json.hpp>

#include "syntax/json_text.h"

namespace envbuilder::oci {

namespace fs = std::filesystem;

namespace {

struct ArchiveCloser {
    void operator()(archive* a) const { archive_write_free(a); }
};

void add_entry(archive* out, const std::string& name, uint64_t size,
               const std::function<void(const std::function<void(const char*, size_t)>&)>& body) {
    std::unique_ptr<archive_entry, decltype(&archive_entry_free)> entry(archive_entry_new(),
                                                                        archive_entry_free);
    archive_entry_set_pathname(entry.get(), name.c_str());
    archive_entry_set_filetype(entry.get(), AE_IFREG);
    archive_entry_set_perm(entry.get(), 0644);
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(size));
    if (archive_write_header(out, entry.get()) != ARCHIVE_OK)
        throw std::runtime_error("cannot write " + name + ": " + archive_error_string(out));
    body([&](const char* data, size_t n) {
        if (archive_write_data(out, data, n) != static_cast<la_ssize_t>(n))
            throw std::runtime_error("cannot write " + name + ": " + archive_error_string(out));
    });
}

void add_blob(archive* out, const std::string& name, const Descriptor& d, const BlobStore& store) {
    std::ifstream in(store.path(d.digest), std::ios::binary);
    if (!in) throw std::runtime_error("blob " + d.digest.str() + " is not in the store");
    add_entry(out, name, d.size, [&](const auto& write) {
        std::string buffer(1 << 20, '\0');
        while (in) {
            in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
            if (in.gcount() > 0) write(buffer.data(), static_cast<size_t>(in.gcount()));
        }
    });
}

}  // namespace

void write_docker_archive(const fs::path& path, const StoredImage& image, const BlobStore& store,
                          const std::vector<std::string>& repo_tags) {
    const Descriptor& config = image.config;
    fs::path temp = path;
    temp += ".partial-" + std::to_string(::getpid());
    std::unique_ptr<archive, ArchiveCloser> out(archive_write_new());
    archive_write_set_format_pax_restricted(out.get());
    if (archive_write_open_filename(out.get(), temp.c_str()) != ARCHIVE_OK)
        throw std::runtime_error("cannot create " + temp.string() + ": " +
                                 archive_error_string(out.get()));
    try {
        nlohmann::json manifest = {{"Config", config.digest.hex + ".json"},
                                   {"RepoTags", repo_tags},
                                   {"Layers", nlohmann::json::array()}};
        add_blob(out.get(), config.digest.hex + ".json", config, store);
        for (const auto& layer : image.layers) {
            // Layers go in as stored (compressed or not): docker and podman load detect it.
            std::string name = layer.digest.hex + "/layer.tar";
            add_blob(out.get(), name, layer, store);
            manifest["Layers"].push_back(name);
        }
        std::string text = json_text(nlohmann::json::array({manifest}));
        add_entry(out.get(), "manifest.json", text.size(),
                  [&](const auto& write) { write(text.data(), text.size()); });
        if (archive_write_close(out.get()) != ARCHIVE_OK)
            throw std::runtime_error("cannot finish " + temp.string() + ": " +
                                     archive_error_string(out.get()));
    } catch (...) {
        out.reset();
        std::error_code ec;
        fs::remove(temp, ec);
        throw;
    }
    out.reset();
    fs::rename(temp, path);
}

}  // namespace envbuilder::oci
