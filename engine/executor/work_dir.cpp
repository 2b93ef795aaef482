#include "executor/work_dir.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <stdexcept>
#include <string>

namespace envbuilder::executor {

namespace fs = std::filesystem;

namespace {

int open_directory(const fs::path& dir) {
    return ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
}

}  // namespace

void secure_cache_dir(const fs::path& cache_dir) {
    std::error_code ec;
    fs::create_directories(cache_dir, ec);
    if (ec)
        throw std::runtime_error("cannot create the cache directory " + cache_dir.string() + ": " +
                                 ec.message());
    struct stat st;
    if (::stat(cache_dir.c_str(), &st) != 0)
        throw std::runtime_error("cannot read the cache directory " + cache_dir.string() + ": " +
                                 std::strerror(errno));
    if (st.st_uid != ::geteuid())
        throw std::runtime_error("the cache directory " + cache_dir.string() +
                                 " belongs to another user (uid " + std::to_string(st.st_uid) +
                                 "); use a cache directory of your own (--cache-dir DIR)");
    if (st.st_mode & (S_ISVTX | S_IWOTH))
        throw std::runtime_error("the cache directory " + cache_dir.string() +
                                 " is shared with other users (like /tmp); use a directory of "
                                 "your own (--cache-dir DIR)");
    if ((st.st_mode & 07777) != 0700 && ::chmod(cache_dir.c_str(), 0700) != 0)
        throw std::runtime_error("cannot make the cache directory " + cache_dir.string() +
                                 " private (0700): " + std::strerror(errno));
}

size_t remove_abandoned_work_dirs(const fs::path& cache_dir) {
    size_t removed = 0;
    std::error_code ec;
    for (fs::directory_iterator it(cache_dir / "work", ec), end; !ec && it != end;
         it.increment(ec)) {
        // A directory being created is not locked yet; it is renamed once it is.
        if (it->path().filename().string().rfind(".new-", 0) == 0) continue;
        int fd = open_directory(it->path());
        if (fd < 0) continue;
        // Held by a live build: leave it. Free: its build is gone.
        bool abandoned = ::flock(fd, LOCK_EX | LOCK_NB) == 0;
        if (abandoned) {
            std::error_code remove_ec;
            fs::remove_all(it->path(), remove_ec);
            if (!remove_ec) ++removed;
        }
        ::close(fd);
    }
    return removed;
}

WorkDir::WorkDir(const fs::path& cache_dir) {
    const fs::path parent = cache_dir / "work";
    std::error_code ec;
    fs::create_directories(parent, ec);
    if (ec) throw std::runtime_error("cannot create " + parent.string() + ": " + ec.message());
    ::chmod(parent.c_str(), 0700);
    remove_abandoned_work_dirs(cache_dir);
    std::random_device random;
    for (int attempt = 0; attempt < 100; ++attempt) {
        const std::string name = std::to_string(::getpid()) + "-" + std::to_string(random());
        const fs::path creating = parent / (".new-" + name), candidate = parent / name;
        if (::mkdir(creating.c_str(), 0700) != 0) {
            if (errno == EEXIST) continue;
            throw std::runtime_error("cannot create " + creating.string() + ": " +
                                     std::strerror(errno));
        }
        // Locked before it gets the name a sweeping build looks at.
        lock_fd_ = open_directory(creating);
        if (lock_fd_ < 0 || ::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0 ||
            ::rename(creating.c_str(), candidate.c_str()) != 0)
            throw std::runtime_error("cannot lock " + creating.string() + ": " +
                                     std::strerror(errno));
        path_ = candidate;
        return;
    }
    throw std::runtime_error("cannot create a work directory under " + parent.string());
}

WorkDir::~WorkDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
    if (lock_fd_ >= 0) ::close(lock_fd_);
}

}  // namespace envbuilder::executor
