#include "oci/blob_store.h"

#include <fcntl.h>
#include <sys/file.h>
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
    static thread_local std::mt19937_64 rng{std::random_device{}() ^
                                            static_cast<uint64_t>(::getpid())};
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
    return buf;
}

}  // namespace

BlobStore::BlobStore(fs::path root) : root_(std::move(root)) {}

fs::path BlobStore::path(const Digest& d) const {
    return root_ / "blobs" / d.algorithm / d.hex;
}

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

void BlobStore::put(const Digest& expected, const ChunkSource& source,
                    std::optional<uint64_t> expected_size) {
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

Digest BlobStore::ingest(const ChunkSource& source, std::string_view algorithm,
                         const Digest* expected, std::optional<uint64_t> expected_size) {
    BlobWriter writer(*this, algorithm, expected ? std::optional<Digest>(*expected) : std::nullopt,
                      expected_size);
    for (std::string chunk = source(); !chunk.empty(); chunk = source()) writer.write(chunk);
    return writer.commit();
}

BlobWriter::BlobWriter(const BlobStore& store, std::string_view algorithm,
                       std::optional<Digest> expected, std::optional<uint64_t> expected_size)
    : store_(store),
      expected_(std::move(expected)),
      expected_size_(expected_size),
      digester_(algorithm) {
    // Temporary files live inside the store so the final rename stays on one filesystem.
    fs::path tmp_dir = store_.root() / "ingest";
    std::error_code ec;
    fs::create_directories(tmp_dir, ec);
    if (ec) throw StoreError("cannot create " + tmp_dir.string() + ": " + ec.message());
    temp_ = tmp_dir / ("blob-" + random_suffix());
    fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd_ < 0) throw StoreError("cannot create " + temp_.string() + ": " + std::strerror(errno));
    // Held until the writer ends (or dies): tells remove_abandoned_temporaries this file is live.
    ::flock(fd_, LOCK_EX);
}

BlobWriter::~BlobWriter() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) {
        std::error_code ec;
        fs::remove(temp_, ec);
    }
}

void BlobWriter::write(std::string_view chunk) {
    digester_.update(chunk);
    if (expected_size_ && digester_.size() > *expected_size_)
        throw StoreError("blob is larger than the " + std::to_string(*expected_size_) +
                         " bytes announced");
    size_t written = 0;
    while (written < chunk.size()) {
        ssize_t n = ::write(fd_, chunk.data() + written, chunk.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw StoreError("cannot write " + temp_.string() + ": " + std::strerror(errno));
        written += static_cast<size_t>(n);
    }
}

Digest BlobWriter::commit() {
    const uint64_t size = digester_.size();
    Digest actual = digester_.finish();
    if (expected_ && actual != *expected_)
        throw StoreError("content does not match its digest: expected " + expected_->str() +
                         ", got " + actual.str());
    if (expected_size_ && size != *expected_size_)
        throw StoreError("blob has " + std::to_string(size) + " bytes, " +
                         std::to_string(*expected_size_) + " were announced");
    if (::fsync(fd_) != 0)
        throw StoreError("cannot flush " + temp_.string() + ": " + std::strerror(errno));
    ::close(fd_);
    fd_ = -1;
    fs::path final_path = store_.path(actual);
    std::error_code ec;
    fs::create_directories(final_path.parent_path(), ec);
    if (ec)
        throw StoreError("cannot create " + final_path.parent_path().string() + ": " +
                         ec.message());
    // rename() replaces atomically; a concurrent writer of the same blob wrote the same bytes.
    if (::rename(temp_.c_str(), final_path.c_str()) != 0)
        throw StoreError("cannot move blob into place at " + final_path.string() + ": " +
                         std::strerror(errno));
    committed_ = true;
    return actual;
}

void BlobStore::import_from(const BlobStore& other, const Digest& d) {
    if (has(d)) return;
    fs::path target = path(d);
    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
    if (::link(other.path(d).c_str(), target.c_str()) == 0 || errno == EEXIST) return;
    std::ifstream in(other.path(d), std::ios::binary);
    if (!in)
        throw StoreError("blob " + d.str() + " is not in the store at " + other.root().string());
    put(
        d,
        [&in]() -> std::string {
            std::string chunk(1 << 20, '\0');
            in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
            chunk.resize(static_cast<size_t>(in.gcount()));
            return chunk;
        },
        other.size(d));
}

size_t BlobStore::remove_abandoned_temporaries() const {
    size_t removed = 0;
    std::error_code ec;
    for (auto it = fs::directory_iterator(root_ / "ingest", ec);
         !ec && it != fs::directory_iterator(); it.increment(ec)) {
        int fd = ::open(it->path().c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) continue;
        if (::flock(fd, LOCK_EX | LOCK_NB) == 0) {
            std::error_code remove_error;
            if (fs::remove(it->path(), remove_error)) ++removed;
        }
        ::close(fd);
    }
    return removed;
}

BlobLock::BlobLock(const BlobStore& store, const Digest& digest) {
    fs::path dir = store.root() / "locks";
    std::error_code ec;
    fs::create_directories(dir, ec);
    fs::path file = dir / (digest.algorithm + "-" + digest.hex);
    fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) throw StoreError("cannot create " + file.string() + ": " + std::strerror(errno));
    while (::flock(fd_, LOCK_EX) != 0) {
        if (errno != EINTR) {
            ::close(fd_);
            throw StoreError("cannot lock " + file.string() + ": " + std::strerror(errno));
        }
    }
}

BlobLock::~BlobLock() {
    if (fd_ >= 0) ::close(fd_);  // closing releases the lock
}

std::string BlobStore::read(const Digest& d) const {
    std::ifstream in(path(d), std::ios::binary);
    if (!in) throw StoreError("blob " + d.str() + " is not in the store at " + root_.string());
    std::stringstream s;
    s << in.rdbuf();
    std::string content = s.str();
    // Stored blobs were verified on the way in; re-checking small ones guards against tampering.
    if (digest_of(content, d.algorithm) != d)
        throw StoreError("blob " + d.str() + " is corrupt in " + root_.string());
    return content;
}

}  // namespace envbuilder::oci
