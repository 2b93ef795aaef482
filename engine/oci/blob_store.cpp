#include "oci/blob_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

namespace envbuilder::oci {

namespace fs = std::filesystem;

namespace {
std::string random_suffix() {
    static thread_local std::mt19937_64 rng{std::random_device{}() ^ static_cast<uint64_t>(::getpid())};
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
    return buf;
}

// Closes the descriptor and removes the temporary file unless it was handed over.
struct TempFile {
    fs::path path;
    int fd = -1;
    bool keep = false;
    ~TempFile() {
        if (fd >= 0) ::close(fd);
        if (!keep) {
            std::error_code ec;
            fs::remove(path, ec);
        }
    }
};
}  // namespace

BlobStore::BlobStore(fs::path root) : root_(std::move(root)) {}

fs::path BlobStore::path(const Digest& d) const { return root_ / "blobs" / d.algorithm / d.hex; }

bool BlobStore::has(const Digest& d) const {
    std::error_code ec;
    return fs::is_regular_file(path(d), ec);
}

std::optional<uint64_t> BlobStore::size(const Digest& d) const {
    std::error_code ec;
    auto n = fs::file_size(path(d), ec);
    if (ec) return std::nullopt;
    return n;
}

void BlobStore::put(const Digest& expected, const ChunkSource& source, std::optional<uint64_t> expected_size) {
    ingest(source, expected.algorithm, &expected, expected_size);
}

Digest BlobStore::put(const ChunkSource& source, std::string_view algorithm) {
    return ingest(source, algorithm, nullptr, std::nullopt);
}

Digest BlobStore::put_bytes(std::string_view bytes) {
    bool sent = false;
    return put([&]() -> std::string {
        if (sent) return {};
        sent = true;
        return std::string(bytes);
    });
}

Digest BlobStore::ingest(const ChunkSource& source, std::string_view algorithm, const Digest* expected,
                         std::optional<uint64_t> expected_size) {
    // Temporary files live inside the store so the final rename stays on one filesystem.
    fs::path tmp_dir = root_ / "ingest";
    std::error_code ec;
    fs::create_directories(tmp_dir, ec);
    if (ec) throw StoreError("cannot create " + tmp_dir.string() + ": " + ec.message());
    TempFile tmp;
    tmp.path = tmp_dir / ("blob-" + random_suffix());
    tmp.fd = ::open(tmp.path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (tmp.fd < 0) throw StoreError("cannot create " + tmp.path.string() + ": " + std::strerror(errno));

    Digester digester(algorithm);
    for (std::string chunk = source(); !chunk.empty(); chunk = source()) {
        digester.update(chunk);
        if (expected_size && digester.size() > *expected_size)
            throw StoreError("blob is larger than the " + std::to_string(*expected_size) + " bytes announced");
        size_t written = 0;
        while (written < chunk.size()) {
            ssize_t n = ::write(tmp.fd, chunk.data() + written, chunk.size() - written);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) throw StoreError("cannot write " + tmp.path.string() + ": " + std::strerror(errno));
            written += static_cast<size_t>(n);
        }
    }
    Digest actual = digester.finish();
    if (expected && actual != *expected)
        throw StoreError("content does not match its digest: expected " + expected->str() + ", got " + actual.str());
    if (expected_size && digester.size() != *expected_size)
        throw StoreError("blob has " + std::to_string(digester.size()) + " bytes, " + std::to_string(*expected_size) +
                         " were announced");
    if (::fsync(tmp.fd) != 0) throw StoreError("cannot flush " + tmp.path.string() + ": " + std::strerror(errno));
    ::close(tmp.fd);
    tmp.fd = -1;

    fs::path final_path = path(actual);
    fs::create_directories(final_path.parent_path(), ec);
    if (ec) throw StoreError("cannot create " + final_path.parent_path().string() + ": " + ec.message());
    // rename() replaces atomically; a concurrent writer of the same blob wrote the same bytes.
    if (::rename(tmp.path.c_str(), final_path.c_str()) != 0)
        throw StoreError("cannot move blob into place at " + final_path.string() + ": " + std::strerror(errno));
    tmp.keep = true;
    return actual;
}

std::string BlobStore::read(const Digest& d) const {
    std::ifstream in(path(d), std::ios::binary);
    if (!in) throw StoreError("blob " + d.str() + " is not in the store at " + root_.string());
    std::stringstream s;
    s << in.rdbuf();
    std::string content = s.str();
    // Stored blobs were verified on the way in; re-checking small ones guards against tampering.
    if (digest_of(content, d.algorithm) != d) throw StoreError("blob " + d.str() + " is corrupt in " + root_.string());
    return content;
}

}  // namespace envbuilder::oci
